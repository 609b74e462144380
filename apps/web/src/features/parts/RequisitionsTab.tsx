import type { PartsSettings, Requisition, RequisitionAction, RequisitionState } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText, get, post, put } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';
import { useAuth } from '../identity/auth';

const STATES: RequisitionState[] = ['pending', 'approved', 'rejected', 'issued', 'consumed', 'cancelled'];
const STATE_COLOURS: Record<RequisitionState, string> = {
  pending: 'gold',
  approved: 'blue',
  rejected: 'red',
  issued: 'cyan',
  consumed: 'green',
  cancelled: 'default',
};

/** Requisitions with the actions the server offers this user (approve, reject, issue, …). */
export function RequisitionsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [state, setState] = useState<RequisitionState>();
  const list = usePagedList<Requisition>('/requisitions', { state });
  const [asking, setAsking] = useState<{ row: Requisition; action: 'reject' | 'cancel' } | null>(null);
  const [reasonForm] = Form.useForm();
  const settings = useQuery({ queryKey: ['/parts/settings'], queryFn: () => get<PartsSettings>('/parts/settings') });

  const act = async (row: Requisition, action: RequisitionAction, extra: Record<string, unknown> = {}) => {
    try {
      await post(`/requisitions/${row.id}/${action}`, { version: row.version, ...extra });
      message.success(t('parts.requisition.done'));
      void client.invalidateQueries({ queryKey: ['/requisitions'] });
      void client.invalidateQueries({ queryKey: ['/stock'] });
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    }
  };
  const saveMode = async (mode: PartsSettings['requisitionApproval']) => {
    try {
      await put('/parts/settings', { requisitionApproval: mode, version: settings.data?.version ?? 0 });
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorText(e));
    }
    void settings.refetch();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="requisitions-tab">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Select
          allowClear
          placeholder={t('parts.requisition.state')}
          value={state}
          onChange={setState}
          style={{ width: 180 }}
          options={STATES.map((s) => ({ value: s, label: t(`parts.requisition.states.${s}`) }))}
        />
        {settings.data && (
          <Space>
            <Typography.Text>{t('parts.approvalSetting')}</Typography.Text>
            <Select
              value={settings.data.requisitionApproval}
              disabled={!can('settings', 'update')}
              onChange={saveMode}
              style={{ width: 240 }}
              options={(['keeper', 'manager', 'both'] as const).map((m) => ({
                value: m,
                label: t(`parts.approvalModes.${m}`),
              }))}
            />
          </Space>
        )}
      </Space>
      <Table<Requisition>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        scroll={{ x: 1100 }}
        columns={[
          {
            title: t('parts.requisition.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => new Date(v).toLocaleString(),
            width: 170,
          },
          {
            title: t('parts.requisition.ticket'),
            // Keepers don't read tickets: the number is enough for them.
            render: (_, r) =>
              can('ticket', 'read') ? (
                <Link to={`/console/tickets/${r.ticketId}`}>{r.ticketNumber}</Link>
              ) : (
                r.ticketNumber
              ),
          },
          { title: t('parts.requisition.requester'), dataIndex: 'requesterName' },
          {
            title: t('parts.requisition.lines'),
            render: (_, r) =>
              r.lines.map((l) => (
                <div key={l.id}>
                  {l.sku} {l.partName} × {l.quantity} · {l.warehouseName}
                </div>
              )),
          },
          {
            title: t('parts.requisition.state'),
            dataIndex: 'state',
            render: (s: RequisitionState) => <Tag color={STATE_COLOURS[s]}>{t(`parts.requisition.states.${s}`)}</Tag>,
          },
          {
            title: t('parts.requisition.approvals'),
            render: (_, r) =>
              `${t(`parts.approvalModes.${r.approvalMode}`)}${
                r.approvals.length
                  ? ` · ${r.approvals.map((a) => t(`parts.requisition.capacity.${a.capacity}`)).join('、')}`
                  : ''
              }`,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 220,
            render: (_, r) => (
              <Space wrap>
                {r.allowedActions.map((action) => (
                  <Button
                    key={action}
                    size="small"
                    danger={action === 'reject' || action === 'cancel'}
                    type={action === 'approve' || action === 'issue' ? 'primary' : 'default'}
                    data-testid={`requisition-${action}`}
                    onClick={() => {
                      if (action === 'reject' || action === 'cancel') {
                        reasonForm.resetFields();
                        setAsking({ row: r, action });
                      } else void act(r, action);
                    }}
                  >
                    {t(`parts.requisition.actions.${action}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={asking !== null}
        title={asking ? t(`parts.requisition.actions.${asking.action}`) : ''}
        onCancel={() => setAsking(null)}
        okText={t('common.save')}
        onOk={async () => {
          const { reason } = await reasonForm.validateFields();
          if (asking && (await act(asking.row, asking.action, { reason }))) setAsking(null);
        }}
        destroyOnHidden
      >
        <Form form={reasonForm} layout="vertical">
          <Form.Item
            name="reason"
            label={t('parts.requisition.reason')}
            rules={[{ required: asking?.action === 'reject', min: 2 }]}
          >
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
