import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';

/** How one action of a run ended, coloured by its status. */
export function OutcomeTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = { done: 'green', planned: 'blue', skipped: undefined, failed: 'red' }[status];
  return <Tag color={color}>{labelOf(t, 'automation.status', status)}</Tag>;
}
