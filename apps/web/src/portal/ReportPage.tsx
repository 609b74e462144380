import { CameraOutlined } from '@ant-design/icons';
import type { CreatedTicket, ScanResult } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Flex, Form, Space, Spin, Tag, Typography } from 'antd';
// By path: the `Input` of antd's index carries Search, Password and OTP along as its statics.
import Input from 'antd/es/input/Input';
import TextArea from 'antd/es/input/TextArea';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { useAuth } from '../app/auth';
import { errorText, get, post, showFieldErrors, uploadHeaders } from '../lib/api';
import { useMessage } from '../lib/message';
import { Outcome } from '../lib/Outcome';
import { Panel } from '../lib/Panel';

type Created = z.infer<typeof CreatedTicket>;
interface Suggestion {
  id: string;
  question: string;
  answer: string;
}

/** Waits until typing pauses, so suggestions don't fire on every keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Report a fault from the phone. Reached by scanning a device's QR label (/portal/r/<asset code>)
 * the device, model and site are filled in; while the fault is described, matching FAQ answers
 * are offered — one that solves it saves a ticket.
 */
export default function ReportPage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const { me } = useAuth();
  const message = useMessage();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [solved, setSolved] = useState(false);
  const description: string = Form.useWatch('description', form) ?? '';
  const title: string = Form.useWatch('title', form) ?? '';
  const typed = useDebounced(`${title} ${description}`.trim(), 400);

  const scan = useQuery({
    queryKey: ['scan', code],
    queryFn: () => get<ScanResult>(`/portal/scan?code=${encodeURIComponent(code!)}`),
    enabled: !!code,
    retry: false,
  });
  const suggestions = useQuery({
    queryKey: ['faq-suggest', typed],
    queryFn: () => get<Suggestion[]>(`/faqs/suggest?text=${encodeURIComponent(typed)}`),
    enabled: typed.length >= 4,
    placeholderData: (previous) => previous,
  });

  useEffect(() => {
    if (me) form.setFieldsValue({ contactName: form.getFieldValue('contactName') ?? me.displayName });
  }, [me, form]);

  if (code && scan.isLoading) return <Spin />;
  if (code && scan.isError)
    return <Outcome status="warning" title={t('portal.report.unknownDevice')} subTitle={errorText(scan.error)} />;
  if (solved)
    return (
      <Outcome
        status="success"
        title={t('portal.report.solvedTitle')}
        extra={<Button onClick={() => navigate('/portal')}>{t('portal.nav.requests')}</Button>}
      />
    );
  const device = scan.data;

  const feedback = async (id: string, wasSolved: boolean) => {
    await post(`/faqs/${id}/feedback`, { solved: wasSolved }).catch(() => undefined);
    if (wasSolved) setSolved(true);
  };

  const submit = async (values: Record<string, string>) => {
    setBusy(true);
    try {
      const created = await post<Created>('/tickets', {
        channel: 'portal',
        contactName: values.contactName,
        contactPhone: values.contactPhone || null,
        title: values.title,
        description: values.description,
        deviceId: device?.deviceId ?? null,
        siteId: device?.siteId ?? null,
        serviceAddress: device?.serviceAddress ?? null,
        serialNumber: device ? null : values.serialNumber || null,
      });
      for (const photo of photos) {
        const body = new FormData();
        body.append('file', photo, photo.name);
        const res = await fetch(`/api/v1/tickets/${created.ticket.id}/attachments`, {
          method: 'POST',
          headers: uploadHeaders(),
          body,
        });
        if (!res.ok) message.warning(t('portal.report.photoFailed', { name: photo.name }));
      }
      message.success(t('portal.report.submitted', { number: created.ticket.number }));
      void navigate(`/portal/tickets/${created.ticket.id}`);
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {device && (
        <Panel size="small" title={t('portal.report.device')} data-testid="scanned-device">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('portal.devices.model')}>{device.modelName}</Descriptions.Item>
            <Descriptions.Item label={t('portal.devices.serial')}>{device.serialNumber}</Descriptions.Item>
            <Descriptions.Item label={t('portal.devices.site')}>
              {[device.siteName, device.serviceAddress].filter(Boolean).join(' · ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('portal.devices.warranty')}>
              <Tag color={device.warrantyStatus === 'in_warranty' ? 'green' : 'default'}>
                {t(`portal.warranty.${device.warrantyStatus}`)}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
        </Panel>
      )}
      <Panel size="small" title={t('portal.report.title')}>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          {!device && (
            <Form.Item name="serialNumber" label={t('portal.report.serial')}>
              <Input placeholder={t('portal.report.serialHint')} />
            </Form.Item>
          )}
          <Form.Item name="title" label={t('portal.report.faultTitle')} rules={[{ required: true, min: 2 }]}>
            <Input placeholder={t('portal.report.faultTitleHint')} />
          </Form.Item>
          <Form.Item name="description" label={t('portal.report.description')} rules={[{ required: true, min: 10 }]}>
            <TextArea rows={4} placeholder={t('portal.report.descriptionHint')} />
          </Form.Item>
          {!!suggestions.data?.length && (
            <Alert
              type="info"
              data-testid="faq-suggestions"
              message={t('portal.report.tryThese')}
              description={
                <Flex vertical gap={8} style={{ marginTop: 8 }}>
                  {suggestions.data.map((s) => (
                    <Flex key={s.id} justify="space-between" align="flex-start" gap={8}>
                      <div style={{ minWidth: 0 }}>
                        <Typography.Text strong>{s.question}</Typography.Text>
                        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                          {s.answer}
                        </Typography.Paragraph>
                      </div>
                      <Button size="small" type="link" onClick={() => feedback(s.id, true)} data-testid="faq-solved">
                        {t('portal.report.solvedIt')}
                      </Button>
                    </Flex>
                  ))}
                </Flex>
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item label={t('portal.report.photos')}>
            <label style={{ display: 'inline-flex', alignItems: 'center', gap: 8, cursor: 'pointer' }}>
              <CameraOutlined />
              <span>{t('portal.report.addPhotos')}</span>
              <input
                type="file"
                accept="image/*"
                multiple
                data-testid="report-photos"
                style={{ display: 'none' }}
                onChange={(e) => setPhotos([...photos, ...Array.from(e.target.files ?? [])])}
              />
            </label>
            {photos.length > 0 && (
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                {photos.map((p) => p.name).join('，')}
              </Typography.Paragraph>
            )}
          </Form.Item>
          <Form.Item name="contactName" label={t('portal.report.contactName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('portal.report.contactPhone')}>
            <Input inputMode="tel" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="report-submit">
            {t('portal.report.submit')}
          </Button>
        </Form>
      </Panel>
    </Space>
  );
}
