import type {
  FaultCategory,
  FieldDefinition,
  Ticket,
  TicketAction,
  TicketWorkflowView,
  User,
} from '@serviceloop/contracts';
import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Rate, Select, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, post, showFieldErrors } from '../../lib/api';
import { here } from '../../lib/geolocation';
import { CustomFields } from '../forms/CustomFields';
import { toApi } from '../forms/values';
import { RemoteSelect } from '../shared/RemoteSelect';
import { PRIORITIES } from './labels';
import { SignaturePad } from './SignaturePad';

const toIso = (local?: string) => (local ? new Date(local).toISOString() : undefined);

type Offered = TicketWorkflowView['transitions'][number];

/**
 * One form per lifecycle action; each submits one transition carrying the ticket's version. With a
 * workflow transition it goes to that transition by key, asking too for the custom fields it
 * requires that are still empty (a pure stage move asks only for those).
 */
export function ActionModal({
  ticket,
  action,
  transition,
  customFields = [],
  categories,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  action: TicketAction | null;
  transition?: Offered | null;
  customFields?: FieldDefinition[];
  categories: FaultCategory[];
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const reason = (
    <Form.Item name="reason" label={t('tickets.reason')} rules={[{ required: true, min: 2 }]}>
      <Input.TextArea rows={2} />
    </Form.Item>
  );
  const note = (required = false) => (
    <Form.Item name="note" label={t('tickets.note')} rules={[{ required }]}>
      <Input.TextArea rows={3} />
    </Form.Item>
  );
  const pendingVisits = (ticket.visits ?? []).filter((v) =>
    action === 'check_in' ? !v.checkedInAt : v.checkedInAt && !v.checkedOutAt,
  );
  const visit = (
    <Form.Item
      name="visitId"
      label={t('tickets.visit')}
      initialValue={pendingVisits[0]?.id}
      rules={[{ required: true }]}
    >
      <Select
        options={pendingVisits.map((v) => ({
          value: v.id,
          label: `${new Date(v.plannedStart).toLocaleString()} – ${new Date(v.plannedEnd).toLocaleTimeString()}`,
        }))}
      />
    </Form.Item>
  );
  const fields: Partial<Record<TicketAction, ReactNode>> = {
    triage: (
      <>
        <Form.Item name="priority" label={t('tickets.priority')} rules={[{ required: true }]}>
          <Select
            options={PRIORITIES.map((p) => ({ value: p, label: `${p} · ${labelOf(t, 'tickets.priorities', p)}` }))}
          />
        </Form.Item>
        <Form.Item name="categoryId" label={t('tickets.category')} initialValue={ticket.categoryId}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={categories
              .filter((c) => c.parentId)
              .map((c) => ({ value: c.id, label: i18n.language === 'zh-CN' ? c.nameZh : c.nameEn }))}
          />
        </Form.Item>
        {note()}
      </>
    ),
    start_remote: note(),
    record_remote: note(true),
    dispatch: (
      <>
        <Form.Item name="engineerId" label={t('tickets.engineer')} rules={[{ required: true }]}>
          <RemoteSelect<User> path="/users" filters={{ role: 'engineer' }} label={(u) => u.displayName} />
        </Form.Item>
        <Form.Item name="plannedStart" label={t('tickets.plannedStart')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="plannedEnd" label={t('tickets.plannedEnd')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        {note()}
      </>
    ),
    check_in: visit,
    check_out: (
      <>
        {visit}
        {note()}
      </>
    ),
    resolve: (
      <>
        <Form.Item name="rootCause" label={t('tickets.rootCause')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="actionsTaken" label={t('tickets.actionsTaken')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.List name="partsUsed">
          {(items, { add, remove }) => (
            <Form.Item label={t('tickets.partsUsed')}>
              {items.map((item) => (
                <Space key={item.key} align="baseline" wrap>
                  <Form.Item name={[item.name, 'sku']} rules={[{ required: true }]}>
                    <Input placeholder="SKU" style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'name']} rules={[{ required: true }]}>
                    <Input placeholder={t('tickets.partName')} style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'quantity']} initialValue={1} rules={[{ required: true }]}>
                    <InputNumber min={1} style={{ width: 70 }} />
                  </Form.Item>
                  <Button size="small" onClick={() => remove(item.name)}>
                    ×
                  </Button>
                </Space>
              ))}
              <Button size="small" onClick={() => add()}>
                + {t('tickets.addPart')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
        <Space wrap>
          <Form.Item name="labourMinutes" label={t('tickets.labourMinutes')} rules={[{ required: true }]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="travelMinutes" label={t('tickets.travelMinutes')} initialValue={0}>
            <InputNumber min={0} />
          </Form.Item>
        </Space>
        <Form.Item label={t('tickets.checklist')}>
          {(['functionalTest', 'stressTest', 'relatedPartsCheck'] as const).map((k) => (
            <Form.Item key={k} name={['checklist', k]} valuePropName="checked" initialValue={false} noStyle>
              <Checkbox data-testid={`check-${k}`}>{t(`tickets.checks.${k}`)}</Checkbox>
            </Form.Item>
          ))}
        </Form.Item>
      </>
    ),
    confirm: (
      <>
        <Form.Item
          name="signature"
          label={t('tickets.signature')}
          rules={[{ required: true, message: t('tickets.signHere') }]}
        >
          <SignaturePad />
        </Form.Item>
        <Form.Item name="csat" label={t('tickets.csat')} rules={[{ required: true }]}>
          <Rate allowClear={false} data-testid="csat" />
        </Form.Item>
        <Form.Item name="comment" label={t('tickets.comment')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </>
    ),
    close: (
      <Form.Item name="overrideReason" label={t('tickets.overrideReason')} extra={t('tickets.overrideHelp')}>
        <Input.TextArea rows={2} />
      </Form.Item>
    ),
    suspend: reason,
    cancel: reason,
    reopen: reason,
    transfer: (
      <>
        <Form.Item name="toUserId" label={t('tickets.assignee')} rules={[{ required: true }]}>
          <RemoteSelect<User> path="/users" filters={{ role: 'engineer' }} label={(u) => u.displayName} />
        </Form.Item>
        {reason}
      </>
    ),
    comment: (
      <>
        <Form.Item name="body" label={t('tickets.comment')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="visibility" label={t('tickets.visibility')} initialValue="internal">
          <Select
            options={['internal', 'customer'].map((v) => ({ value: v, label: labelOf(t, 'tickets.visibilities', v) }))}
          />
        </Form.Item>
      </>
    ),
  };

  // Custom fields the transition requires and the ticket lacks: required here, whatever the form says.
  const asked = (transition?.missingFields ?? []).flatMap((key) => {
    const d = customFields.find((f) => f.key === key);
    return d ? [{ ...d, required: true }] : [];
  });
  const submit = async () => {
    const { fields, ...values } = await form.validateFields();
    const body: Record<string, unknown> = { action, version: ticket.version, ...values };
    if (action === 'dispatch')
      Object.assign(body, { plannedStart: toIso(values.plannedStart), plannedEnd: toIso(values.plannedEnd) });
    if (action === 'check_in' || action === 'check_out') body.location = await here();
    if (transition) body.fields = toApi(asked, fields ?? {});
    try {
      const updated = await post<Ticket>(
        transition ? `/tickets/${ticket.id}/transitions/${transition.key}` : `/tickets/${ticket.id}/transitions`,
        body,
      );
      form.resetFields();
      onDone(updated);
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };

  return (
    <Modal
      open={action !== null || !!transition}
      title={
        transition
          ? transition.name[i18n.language === 'en-US' ? 'en-US' : 'zh-CN']
          : action
            ? t(`tickets.actions.${action}`)
            : ''
      }
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'action-ok' } as React.ComponentProps<typeof Button>}
    >
      <Form form={form} layout="vertical" preserve={false}>
        {action ? fields[action] : null}
        {asked.length > 0 && <CustomFields definitions={asked} />}
      </Form>
    </Modal>
  );
}
