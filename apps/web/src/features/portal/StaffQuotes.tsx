import { FilePdfOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Quote } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, post, showFieldErrors } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { QuoteCard } from './QuoteCard';

interface LineForm {
  kind: string;
  description: string;
  quantity: number;
  unitPrice: number;
}

/** Staff side of quotes on a ticket: issue one (parts and labour lines) or withdraw the pending one. */
export function StaffQuotes({ ticketId, open }: { ticketId: string; open: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState(false);
  const quotes = useQuery({
    queryKey: ['ticket', ticketId, 'quotes'],
    queryFn: () => get<Quote[]>(`/tickets/${ticketId}/quotes`),
  });
  const pending = quotes.data?.find((q) => q.state === 'pending');
  const lines: LineForm[] = Form.useWatch('lines', form) ?? [];
  const total = lines.reduce((sum, l) => sum + (l?.quantity ?? 0) * (l?.unitPrice ?? 0), 0);

  const submit = async (values: { lines: LineForm[]; note?: string }) => {
    try {
      await post(`/tickets/${ticketId}/quotes`, {
        note: values.note || null,
        lines: values.lines.map((l) => ({
          kind: l.kind,
          description: l.description,
          quantity: l.quantity,
          unitPriceFen: Math.round(l.unitPrice * 100),
        })),
      });
      setEditing(false);
      form.resetFields();
      await client.invalidateQueries({ queryKey: ['ticket', ticketId] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  const withdraw = async () => {
    if (!pending) return;
    await post(`/quotes/${pending.id}/withdraw`, { version: pending.version }).catch((e) =>
      message.error(errorText(e)),
    );
    await client.invalidateQueries({ queryKey: ['ticket', ticketId] });
  };

  return (
    <>
      <Card
        size="small"
        title={t('portal.quote.title')}
        extra={
          <Space>
            <Button
              size="small"
              icon={<FilePdfOutlined />}
              href={`/api/v1/tickets/${ticketId}/service-report.pdf`}
              target="_blank"
            >
              {t('portal.track.report')}
            </Button>
            {pending && can('quote', 'update') && (
              <Button size="small" onClick={withdraw}>
                {t('portal.quote.withdraw')}
              </Button>
            )}
            {open && !pending && can('quote', 'create') && (
              <Button size="small" type="primary" onClick={() => setEditing(true)} data-testid="quote-new">
                {t('portal.quote.new')}
              </Button>
            )}
          </Space>
        }
      >
        {quotes.data?.length ? null : <span style={{ color: '#999' }}>{t('portal.quote.none')}</span>}
      </Card>
      <QuoteCard ticketId={ticketId} canDecide={false} />
      <Modal
        open={editing}
        width={720}
        title={t('portal.quote.new')}
        onCancel={() => setEditing(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'quote-save' } as never}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            lines: [
              { kind: 'part', quantity: 1 },
              { kind: 'labour', quantity: 1 },
            ],
          }}
        >
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'kind']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 100 }}
                        options={['part', 'labour', 'travel', 'other'].map((k) => ({
                          value: k,
                          label: labelOf(t, 'portal.quote.kinds', k),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'description']} rules={[{ required: true }]}>
                      <Input
                        placeholder={t('portal.quote.item')}
                        style={{ width: 240 }}
                        data-testid="quote-line-description"
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'quantity']} rules={[{ required: true }]}>
                      <InputNumber min={0.01} placeholder={t('portal.quote.quantity')} style={{ width: 80 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unitPrice']} rules={[{ required: true }]}>
                      <InputNumber
                        min={0}
                        precision={2}
                        prefix="¥"
                        placeholder={t('portal.quote.unitPrice')}
                        style={{ width: 120 }}
                        data-testid="quote-line-price"
                      />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'part', quantity: 1 })} block>
                  {t('portal.quote.addLine')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="note" label={t('portal.quote.note')} style={{ marginTop: 12 }}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <strong>
            {t('portal.quote.total')}：¥{total.toFixed(2)}
          </strong>
        </Form>
      </Modal>
    </>
  );
}
