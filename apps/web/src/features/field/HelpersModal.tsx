import type { BoardEngineer, BoardVisit } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, put } from '../../lib/api';

/** Helpers on a visit beside its lead: they see the job in their phone app and check in themselves. */
export function HelpersModal({
  visit,
  engineers,
  onClose,
}: {
  visit: BoardVisit | null;
  engineers: BoardEngineer[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => setChosen(visit?.assistantIds ?? []), [visit]);
  return (
    <Modal
      open={!!visit}
      title={visit ? `${t('dispatch.helpers')} · ${visit.ticketNumber}` : ''}
      onCancel={onClose}
      onOk={async () => {
        if (!visit) return;
        try {
          await put(`/field/visits/${visit.visitId}/assistants`, { engineerIds: chosen });
          void client.invalidateQueries({ queryKey: ['/dispatch/board'] });
          onClose();
        } catch (error) {
          message.error(errorText(error));
        }
      }}
    >
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        value={chosen}
        onChange={setChosen}
        data-testid="helpers-select"
        optionFilterProp="label"
        options={engineers
          .filter((e) => e.engineerId !== visit?.engineerId)
          .map((e) => ({ value: e.engineerId, label: e.displayName }))}
      />
    </Modal>
  );
}
