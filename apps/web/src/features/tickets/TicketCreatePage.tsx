import {
  type Customer,
  type Device,
  type FaultCategory,
  type FieldDefinition,
  TicketType,
} from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, List, Modal, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { errorText, get, post, showFieldErrors } from '../../lib/api';
import { CustomFields } from '../forms/CustomFields';
import { toApi } from '../forms/values';
import { RemoteSelect } from '../shared/RemoteSelect';
import { CHANNELS } from './labels';

interface Duplicate {
  id: string;
  number: string;
  title: string;
  reason: string;
}

/** The standard fault report (seed 001): picking a device fills in its customer. */
export default function TicketCreatePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [device, setDevice] = useState<Device | null>(null);
  // A customer chosen by hand (not filled in from a device) narrows the device picker.
  const watchedCustomer: string | undefined = Form.useWatch('customerId', form);
  const chosenCustomer = device ? undefined : watchedCustomer;
  const [duplicates, setDuplicates] = useState<Duplicate[] | null>(null);
  const categories = useQuery({
    queryKey: ['fault-categories'],
    queryFn: () => get<FaultCategory[]>('/fault-categories'),
  });
  const name = (c: FaultCategory) => (i18n.language === 'zh-CN' ? c.nameZh : c.nameEn);
  const roots = (categories.data ?? []).filter((c) => !c.parentId);
  const categoryOptions = roots.map((root) => ({
    label: name(root),
    options: (categories.data ?? [])
      .filter((c) => c.parentId === root.id)
      .map((c) => ({ value: c.id, label: name(c) })),
  }));

  // Each ticket type has its own custom fields (and its own workflow, applied by the server).
  const type: TicketType = Form.useWatch('type', form) ?? 'repair';
  const customFields = useQuery({
    queryKey: ['forms', type],
    queryFn: () => get<FieldDefinition[]>(`/forms/fields?ticketType=${type}`),
  });
  const values = () => {
    const { fields, ...v } = form.getFieldsValue();
    return {
      ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')),
      fields: toApi(customFields.data ?? [], fields ?? {}),
    };
  };
  const create = async () => {
    try {
      const created = await post<{ ticket: { id: string; number: string } }>('/tickets', values());
      message.success(`${t('tickets.created')} ${created.ticket.number}`);
      void navigate(`/console/tickets/${created.ticket.id}`);
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  /**
   * Link instead of create: the new report becomes a comment on the existing ticket (who called,
   * what they said), so nothing reported is lost and no duplicate ticket is opened.
   */
  const addToExisting = async (existing: Duplicate) => {
    const v = values() as Record<string, unknown> as Record<string, string>;
    try {
      const current = await get<{ version: number }>(`/tickets/${existing.id}`);
      const body = [
        `${t('tickets.duplicateReport')}: ${v.contactName ?? ''} ${v.contactPhone ?? ''}`,
        v.title,
        v.description,
      ]
        .filter(Boolean)
        .join('\n');
      await post(`/tickets/${existing.id}/transitions`, {
        action: 'comment',
        version: current.version,
        body,
        visibility: 'internal',
      });
      message.success(t('tickets.linked', { number: existing.number }));
      void navigate(`/console/tickets/${existing.id}`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const submit = async () => {
    await form.validateFields();
    try {
      const found = await post<Duplicate[]>('/tickets/duplicates', values());
      if (found.length) setDuplicates(found);
      else await create();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };

  return (
    <Card title={t('tickets.new')} style={{ maxWidth: 960 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ type: 'repair', channel: 'phone', severity: 'major', serviceType: 'remote' }}
        onFinish={submit}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="type" label={t('tickets.type')}>
              <Select
                data-testid="ticket-type"
                options={TicketType.options.map((x) => ({ value: x, label: t(`workflows.types.${x}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="deviceId" label={t('tickets.device')}>
              <RemoteSelect<Device>
                path="/devices"
                // Found by serial, asset code or customer name; only the chosen customer's devices once one is chosen.
                filters={{ customerId: chosenCustomer }}
                placeholder={t('tickets.devicePickerHint')}
                label={(d) => `${d.serialNumber} · ${d.modelName} · ${d.customerName}`}
                data-testid="ticket-device"
                onSelectRow={(d: Device | null) => {
                  setDevice(d);
                  if (d) form.setFieldsValue({ customerId: d.customerId });
                }}
              />
            </Form.Item>
            {device && (
              <Alert
                type="info"
                style={{ marginBottom: 16 }}
                message={`${device.customerName} · ${device.modelName} · ${t(`devices.warrantyStatus.${device.warrantyStatus}`)}`}
              />
            )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="customerId" label={t('tickets.customer')}>
              <RemoteSelect<Customer> path="/customers" label={(c) => c.name} disabled={!!device} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serialNumber" label={t('tickets.serialNumber')} tooltip={t('tickets.serialHint')}>
              <Input disabled={!!device} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="contactName" label={t('tickets.contactName')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="contactPhone" label={t('tickets.contactPhone')}>
              <Input inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="title" label={t('tickets.title')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('tickets.description')} rules={[{ required: true }]}>
              <Input.TextArea rows={4} placeholder={t('tickets.descriptionHint')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="categoryId" label={t('tickets.category')}>
              <Select allowClear showSearch optionFilterProp="label" options={categoryOptions} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="problemType" label={t('tickets.problemType')} tooltip={t('tickets.problemTypeHint')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="severity" label={t('tickets.severity')}>
              <Select
                options={['critical', 'major', 'minor', 'cosmetic'].map((s) => ({
                  value: s,
                  label: labelOf(t, 'tickets.severities', s),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="channel" label={t('tickets.channel')}>
              <Select options={CHANNELS.map((c) => ({ value: c, label: labelOf(t, 'tickets.channels', c) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serviceType" label={t('tickets.serviceType')}>
              <Select
                options={['remote', 'onsite', 'return_to_factory'].map((s) => ({
                  value: s,
                  label: labelOf(t, 'tickets.serviceTypes', s),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serviceAddress" label={t('tickets.serviceAddress')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="initialDiagnosis" label={t('tickets.initialDiagnosis')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
          <CustomFields definitions={customFields.data ?? []} />
        </Row>
        <Button type="primary" htmlType="submit" data-testid="ticket-submit">
          {t('common.save')}
        </Button>
      </Form>
      <Modal
        open={duplicates !== null}
        title={t('tickets.duplicatesTitle')}
        onCancel={() => setDuplicates(null)}
        footer={
          <Space>
            <Button onClick={() => setDuplicates(null)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              onClick={() => {
                setDuplicates(null);
                void create();
              }}
            >
              {t('tickets.createAnyway')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph>{t('tickets.duplicatesHelp')}</Typography.Paragraph>
        <List
          dataSource={duplicates ?? []}
          renderItem={(d) => (
            <List.Item
              actions={[
                <Button key="link" size="small" type="link" onClick={() => addToExisting(d)} data-testid="link-instead">
                  {t('tickets.linkInstead')}
                </Button>,
                <Link key="open" to={`/console/tickets/${d.id}`}>
                  {t('tickets.openInstead')}
                </Link>,
              ]}
            >
              {d.number} · {d.title} · {labelOf(t, 'tickets.duplicateReasons', d.reason)}
            </List.Item>
          )}
        />
      </Modal>
    </Card>
  );
}
