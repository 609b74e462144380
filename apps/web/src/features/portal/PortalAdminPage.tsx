import type { Customer, Faq, Invitation, Page, SurveySummary } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { del, errorText, get, patch, post, showFieldErrors } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';
import { npsFigure } from '../analytics/nps';
import { useAuth } from '../identity/auth';
import { RemoteSelect } from '../shared/RemoteSelect';

/** Inviting contacts: the link is shown here when no mail server carried it. */
function Invitations() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const list = usePagedList<Invitation>('/portal/invitations');
  const submit = async (values: Record<string, string>) => {
    try {
      const created = await post<{ link: string; emailed: boolean }>('/portal/invitations', {
        customerId: values.customerId,
        name: values.name,
        mobile: values.mobile || null,
        email: values.email || null,
      });
      setOpen(false);
      form.resetFields();
      if (created.emailed) message.success(t('portalAdmin.emailed'));
      else setLink(created.link);
      await client.invalidateQueries({ queryKey: ['/portal/invitations'] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="invite-new">
        {t('portalAdmin.invite')}
      </Button>
      {link && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setLink(null)}
          message={t('portalAdmin.linkHint')}
          description={
            <Typography.Text copyable data-testid="invite-link">
              {link}
            </Typography.Text>
          }
        />
      )}
      <Table<Invitation>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        columns={[
          { title: t('portalAdmin.name'), dataIndex: 'name' },
          { title: t('portalAdmin.customer'), dataIndex: 'customerName' },
          { title: t('portalAdmin.mobile'), dataIndex: 'mobile' },
          { title: t('portalAdmin.email'), dataIndex: 'email' },
          {
            title: t('portalAdmin.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag>{labelOf(t, 'portalAdmin.states', s)}</Tag>,
          },
          {
            title: t('portalAdmin.expires'),
            dataIndex: 'expiresAt',
            render: (d: string) => new Date(d).toLocaleString(),
          },
        ]}
      />
      <Modal open={open} title={t('portalAdmin.invite')} onCancel={() => setOpen(false)} onOk={() => form.submit()}>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="customerId" label={t('portalAdmin.customer')} rules={[{ required: true }]}>
            <RemoteSelect<Customer> path="/customers" label={(c) => c.name} />
          </Form.Item>
          <Form.Item name="name" label={t('portalAdmin.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="mobile" label={t('portalAdmin.mobile')}>
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="email" label={t('portalAdmin.email')}>
            <Input type="email" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** The self-service FAQ, with how often each answer solved a customer's problem. */
function Faqs() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<Faq | 'new' | null>(null);
  const list = usePagedList<Faq>('/faqs', { includeInactive: 'true' });
  const refresh = () => client.invalidateQueries({ queryKey: ['/faqs'] });
  const submit = async (values: Record<string, unknown>) => {
    try {
      if (editing === 'new') await post('/faqs', values);
      else if (editing) await patch(`/faqs/${editing.id}`, { ...values, version: editing.version });
      setEditing(null);
      await refresh();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {can('faq', 'create') && (
        <Button
          type="primary"
          onClick={() => {
            form.resetFields();
            setEditing('new');
          }}
        >
          {t('common.create')}
        </Button>
      )}
      <Table<Faq>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        columns={[
          { title: t('portalAdmin.question'), dataIndex: 'question' },
          { title: t('portalAdmin.solved'), dataIndex: 'solvedCount', width: 90 },
          { title: t('portalAdmin.unsolved'), dataIndex: 'unsolvedCount', width: 90 },
          { title: t('portalAdmin.active'), dataIndex: 'active', width: 80, render: (a: boolean) => (a ? '✓' : '—') },
          {
            key: 'actions',
            width: 140,
            render: (_, row) => (
              <Space>
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    form.setFieldsValue(row);
                    setEditing(row);
                  }}
                >
                  {t('common.edit')}
                </Button>
                {can('faq', 'delete') && (
                  <Button size="small" type="link" danger onClick={() => del(`/faqs/${row.id}`).then(refresh)}>
                    {t('common.delete')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t('portalAdmin.faq')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ active: true }}>
          <Form.Item name="question" label={t('portalAdmin.question')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="answer" label={t('portalAdmin.answer')} rules={[{ required: true }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="keywords" label={t('portalAdmin.keywords')}>
            <Input />
          </Form.Item>
          <Form.Item name="active" label={t('portalAdmin.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function Surveys() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const summary = useQuery({
    queryKey: ['surveys', 'summary'],
    queryFn: () => get<SurveySummary>('/surveys/summary'),
    enabled: can('analytics', 'read'),
  });
  const s = summary.data;
  if (!s) return null;
  const nps = npsFigure(t, s.nps, s.npsResponses);
  return (
    <Row gutter={16}>
      <Col span={6}>
        <Statistic title={t('analytics.nps')} value={nps.value} />
        <Typography.Text type="secondary">{nps.note}</Typography.Text>
      </Col>
      <Col span={6}>
        <Statistic
          title={t('portalAdmin.responseRate')}
          value={s.responseRate ?? '—'}
          suffix={s.responseRate === null ? '' : '%'}
        />
      </Col>
      <Col span={6}>
        <Statistic title="CSAT" value={s.csatAverage ?? '—'} suffix="/ 5" />
      </Col>
      <Col span={6}>
        <Statistic title={t('portalAdmin.answered')} value={`${s.answered} / ${s.sent}`} />
      </Col>
    </Row>
  );
}

/** The customer portal as staff run it: invitations, the FAQ, and what the surveys say. */
export default function PortalAdminPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('nav.portal')}>
      <Tabs
        items={[
          { key: 'invitations', label: t('portalAdmin.invitations'), children: <Invitations /> },
          { key: 'faqs', label: t('portalAdmin.faqs'), children: <Faqs /> },
          { key: 'surveys', label: t('portalAdmin.surveys'), children: <Surveys /> },
        ]}
      />
    </Card>
  );
}
export type { Page };
