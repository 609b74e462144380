import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../../lib/api';

/** Dispatches (or re-dispatches) a ticket through its lifecycle, with the version the board showed. */
export function useDispatch() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  return async (
    job: { ticketId: string; ticketNumber: string; version: number },
    engineerId: string,
    plannedStart: string,
    plannedEnd: string,
    rescheduling = false,
  ) => {
    try {
      await post(`/tickets/${job.ticketId}/transitions`, {
        action: 'dispatch',
        version: job.version,
        engineerId,
        plannedStart,
        plannedEnd,
      });
      message.success(t(rescheduling ? 'dispatch.rescheduled' : 'dispatch.dispatched', { number: job.ticketNumber }));
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    } finally {
      void client.invalidateQueries({ queryKey: ['/dispatch/board'] });
    }
  };
}
