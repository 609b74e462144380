import type { Quote } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../lib/api';
import { useMessage } from '../lib/message';

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const STATE_COLOR: Record<Quote['state'], string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

/** The quotes on a ticket; a pending one the customer approves, or rejects with a reason. */
export function QuoteCard({
  ticketId,
  canDecide,
  onChange,
}: {
  ticketId: string;
  canDecide: boolean;
  onChange?: () => void;
}) {
  const { t } = useTranslation();
  const message = useMessage();
  const client = useQueryClient();
  const [rejecting, setRejecting] = useState<Quote | null>(null);
  const [reason, setReason] = useState('');
  const quotes = useQuery({
    queryKey: ['ticket', ticketId, 'quotes'],
    queryFn: () => get<Quote[]>(`/tickets/${ticketId}/quotes`),
  });
  if (!quotes.data?.length) return null;

  const decide = async (quote: Quote, decision: 'approve' | 'reject', why?: string) => {
    try {
      await post(`/quotes/${quote.id}/decision`, { decision, version: quote.version, reason: why });
      message.success(t(decision === 'approve' ? 'portal.quote.approved' : 'portal.quote.rejected'));
      setRejecting(null);
      await client.invalidateQueries({ queryKey: ['ticket', ticketId] });
      onChange?.();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card size="small" title={t('portal.quote.title')} data-testid="quotes">
      <Space direction="vertical" style={{ width: '100%' }}>
        {quotes.data.map((q) => (
          <div key={q.id} data-testid={`quote-${q.state}`}>
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <Typography.Text strong>{yuan(q.totalFen)}</Typography.Text>
              <Tag color={STATE_COLOR[q.state]}>{t(`portal.quote.states.${q.state}`)}</Tag>
            </div>
            <Table
              size="small"
              pagination={false}
              rowKey={(_, i) => String(i)}
              dataSource={q.lines}
              columns={[
                { title: t('portal.quote.item'), dataIndex: 'description' },
                { title: t('portal.quote.quantity'), dataIndex: 'quantity', width: 56 },
                { title: t('portal.quote.amount'), dataIndex: 'amountFen', width: 90, render: yuan },
              ]}
            />
            {q.note && <Typography.Paragraph type="secondary">{q.note}</Typography.Paragraph>}
            {q.decisionReason && (
              <Typography.Paragraph type="secondary">
                {t('portal.quote.reason')}：{q.decisionReason}
              </Typography.Paragraph>
            )}
            {canDecide && q.state === 'pending' && (
              <Space style={{ width: '100%', marginTop: 8 }}>
                <Button type="primary" onClick={() => decide(q, 'approve')} data-testid="quote-approve">
                  {t('portal.quote.approve')}
                </Button>
                <Button danger onClick={() => setRejecting(q)} data-testid="quote-reject">
                  {t('portal.quote.reject')}
                </Button>
              </Space>
            )}
          </div>
        ))}
      </Space>
      <Modal
        open={!!rejecting}
        title={t('portal.quote.rejectTitle')}
        onCancel={() => setRejecting(null)}
        onOk={() => rejecting && decide(rejecting, 'reject', reason)}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('portal.quote.reasonHint')}
        />
      </Modal>
    </Card>
  );
}
