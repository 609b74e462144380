import type { BulkTicketAction, BulkTicketResult, Ticket, User } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../../lib/api';
import { RemoteSelect } from '../shared/RemoteSelect';
import { PRIORITIES } from './labels';

type Action = BulkTicketAction['command']['action'];
const ACTIONS: Action[] = ['transfer', 'priority', 'close'];

/**
 * Actions on the tickets chosen in the list. The server applies each ticket through its normal
 * command with the version shown here, so a stale or refused one fails alone: every ticket's
 * outcome is listed afterwards.
 */
export function BulkActions({ selected, onDone }: { selected: Ticket[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<BulkTicketResult | null>(null);
  // Kept from the moment of submitting: the selection is cleared once the outcome arrives.
  const [numbers, setNumbers] = useState(new Map<string, string>());

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const outcome = await post<BulkTicketResult>('/tickets/bulk', {
        tickets: selected.map(({ id, version }) => ({ id, version })),
        command: { action, ...values },
      });
      setNumbers(new Map(selected.map((s) => [s.id, s.number])));
      setResults(outcome);
      setAction(null);
      form.resetFields();
      onDone();
      void client.invalidateQueries({ queryKey: ['/tickets'] });
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {/* Opened by a click: a phone has no hover, and a tap must not open and close it at once. */}
      <Dropdown
        trigger={['click']}
        disabled={selected.length === 0}
        menu={{
          items: ACTIONS.map((a) => ({ key: a, label: t(`tickets.bulk.${a}`), 'data-testid': `bulk-${a}` })),
          onClick: ({ key }) => setAction(key as Action),
        }}
      >
        <Button data-testid="bulk-actions">
          {t('tickets.bulk.title')} ({selected.length})
        </Button>
      </Dropdown>
      <Modal
        open={action !== null}
        title={action && `${t(`tickets.bulk.${action}`)} (${selected.length})`}
        onOk={submit}
        okButtonProps={{ loading: busy, 'data-testid': 'bulk-submit' } as never}
        onCancel={() => setAction(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {action === 'transfer' && (
            <Form.Item name="toUserId" label={t('tickets.assignee')} rules={[{ required: true }]}>
              <RemoteSelect<User> path="/users" filters={{ role: 'engineer' }} label={(u) => u.displayName} />
            </Form.Item>
          )}
          {action === 'priority' && (
            <Form.Item name="priority" label={t('tickets.priority')} rules={[{ required: true }]}>
              <Select data-testid="bulk-priority-value" options={PRIORITIES.map((p) => ({ value: p, label: p }))} />
            </Form.Item>
          )}
          {(action === 'transfer' || action === 'close') && (
            <Form.Item
              name="reason"
              label={t('tickets.reason')}
              extra={action === 'close' ? t('tickets.bulk.closeHint') : undefined}
              rules={[{ required: true, min: 2 }]}
            >
              <Input data-testid="bulk-reason" />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={results !== null}
        title={t('tickets.bulk.results', {
          ok: results?.filter((r) => r.ok).length ?? 0,
          failed: results?.filter((r) => !r.ok).length ?? 0,
        })}
        footer={null}
        onCancel={() => setResults(null)}
      >
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          data-testid="bulk-results"
          dataSource={results ?? []}
          columns={[
            { title: t('tickets.number'), render: (_, r) => numbers.get(r.id) ?? r.id },
            {
              title: t('tickets.bulk.outcome'),
              render: (_, r) =>
                r.ok ? <Tag color="green">{t('tickets.bulk.done')}</Tag> : <Tag color="red">{r.error?.message}</Tag>,
            },
          ]}
        />
      </Modal>
    </>
  );
}
