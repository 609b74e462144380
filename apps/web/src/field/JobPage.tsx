import { CopyOutlined, LeftOutlined, PhoneOutlined } from '@ant-design/icons';
import type { FieldCommand, FieldJobDetail } from '@serviceloop/contracts';
import { App, Button, Card, Collapse, Descriptions, Empty, Input, List, Modal, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PRIORITY_COLOR, STATE_COLOR } from '../features/tickets/labels';
import { labelOf } from '../i18n/keys';
import { here } from '../lib/geolocation';
import { queryState } from '../lib/QueryState';
import { MAP_VENDORS, mapLink } from './map-links';
import { outbox } from './outbox';
import { PhotoCapture } from './PhotoCapture';
import { project, type ShownJob } from './projection';
import { useFieldJob } from './queries';
import { ReportCard } from './ReportCard';
import { ResolutionForm } from './ResolutionForm';
import { SignatureCard } from './SignatureCard';
import { SubmittedRecord } from './SubmittedRecord';
import { useOutbox } from './useOutbox';

/** One job on the phone: who and where, the visit's steps, the work record, the customer's signature. */
export default function JobPage() {
  const { visitId = '' } = useParams();
  const { t } = useTranslation();
  const query = useFieldJob(visitId);
  const { ops } = useOutbox();
  const waiting = queryState(query);
  if (waiting || !query.data) return waiting;
  const detail = query.data;
  const job = project(detail.job, ops);
  const queue = (command: FieldCommand) => outbox.enqueue(detail.job, command);
  const lead = job.role === 'lead';
  const state = job.ticket.state;
  const onSite = !!job.checkedInAt && !job.checkedOutAt;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="field-job-page">
      <Link to="/field">
        <LeftOutlined /> {t('field.back')}
      </Link>
      <JobHeader job={job} />
      {job.declined ? (
        <Card size="small">{t('field.job.declinedNote')}</Card>
      ) : (
        <>
          <VisitCard job={job} queue={queue} />
          {lead && job.checkedInAt && state === 'on_site' && (
            <ResolutionForm
              detail={detail}
              visitOpen={onSite}
              onSubmit={async (commands) => {
                // One after another: the outbox keeps their order, and the server applies them in it.
                for (const command of commands) await queue(command);
              }}
            />
          )}
          <SubmittedRecord job={job} />
          {(onSite || !!job.checkedOutAt) && <PhotoCapture job={detail.job} />}
          {lead && ['resolved', 'awaiting_confirmation'].includes(state) && !job.ticket.confirmed && (
            <SignatureCard
              visitId={job.visitId}
              onSign={(signature, csat) => queue({ action: 'confirm', signature, csat })}
            />
          )}
          {lead && job.ticket.confirmed && <ReportCard job={job} />}
        </>
      )}
      <Knowledge detail={detail} />
    </Space>
  );
}

function JobHeader({ job }: { job: ShownJob }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tk = job.ticket;
  const copy = async () => {
    const text = [tk.customerName, tk.address].filter(Boolean).join(' ');
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('field.job.copied'));
    } catch {
      // Clipboard refused (no permission): show it to copy by hand.
      Modal.info({ content: text });
    }
  };
  return (
    <Card size="small" data-testid="field-job-header">
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={4}>
          <Typography.Text strong>
            {tk.number} · {tk.title}
          </Typography.Text>
          <Tag color={STATE_COLOR[tk.state]} data-testid="field-job-state">
            {labelOf(t, 'tickets.states', tk.state)}
          </Tag>
          {tk.priority && <Tag color={PRIORITY_COLOR[tk.priority]}>{tk.priority}</Tag>}
          {job.pendingOps > 0 && (
            <Tag color="warning" data-testid="field-job-pending">
              {t('field.pending', { count: job.pendingOps })}
            </Tag>
          )}
        </Space>
        <Typography.Text type="secondary">
          {dayjs(job.plannedStart).format('MM-DD HH:mm')}–{dayjs(job.plannedEnd).format('HH:mm')}
          {job.role === 'assistant' && ` · ${t('field.job.assisting', { lead: job.leadName })}`}
        </Typography.Text>
        <Typography.Paragraph style={{ margin: 0 }}>{tk.description}</Typography.Paragraph>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('field.job.customer')}>{tk.customerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.job.address')}>
            <Space size={4} wrap>
              {tk.address ?? '—'}
              <Button size="small" icon={<CopyOutlined />} onClick={() => void copy()} data-testid="copy-address">
                {t('field.job.copyAddress')}
              </Button>
              {tk.address &&
                MAP_VENDORS.map((vendor) => (
                  <Button
                    key={vendor}
                    size="small"
                    href={mapLink(vendor, tk.address!)}
                    target="_blank"
                    rel="noopener"
                    data-testid={`map-${vendor}`}
                  >
                    {t(`field.job.maps.${vendor}`)}
                  </Button>
                ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('field.job.contact')}>
            <Space size={4} wrap>
              {tk.contactName}
              {tk.contactPhone && (
                <Button
                  size="small"
                  icon={<PhoneOutlined />}
                  href={`tel:${tk.contactPhone}`}
                  data-testid="call-contact"
                >
                  {tk.contactPhone}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
          {(tk.modelName || tk.serialNumber) && (
            <Descriptions.Item label={t('field.job.device')}>
              {[tk.modelName, tk.serialNumber].filter(Boolean).join(' · ')}
            </Descriptions.Item>
          )}
          {job.assistants.length > 0 && (
            <Descriptions.Item label={t('field.job.crew')}>
              {[job.leadName, ...job.assistants.map((a) => a.displayName)].join('、')}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Space>
    </Card>
  );
}

/** Accept or decline, check in and out: each step is queued with the phone's time and position. */
function VisitCard({ job, queue }: { job: ShownJob; queue: (c: FieldCommand) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [locating, setLocating] = useState(false);
  const lead = job.role === 'lead';
  const step = async (action: 'check_in' | 'check_out') => {
    setLocating(true);
    const location = await here();
    setLocating(false);
    const at = new Date().toISOString();
    await queue(
      lead
        ? { action, visitId: job.visitId, location, at }
        : {
            action: action === 'check_in' ? 'assist_check_in' : 'assist_check_out',
            visitId: job.visitId,
            location,
            at,
          },
    );
  };
  const waitingForVisit = ['dispatched'].includes(job.ticket.state) || !lead;
  return (
    <Card size="small" title={t('field.sections.visit')} data-testid="field-visit">
      <Space direction="vertical" style={{ width: '100%' }}>
        {job.acceptedAt && <Typography.Text type="secondary">{t('field.job.accepted')}</Typography.Text>}
        {job.checkedInAt && (
          <Typography.Text data-testid="checked-in-at">
            {t('field.job.checkedInAt', { at: dayjs(job.checkedInAt).format('HH:mm') })}
          </Typography.Text>
        )}
        {job.checkedOutAt && (
          <Typography.Text>
            {t('field.job.checkedOutAt', { at: dayjs(job.checkedOutAt).format('HH:mm') })}
          </Typography.Text>
        )}
        <Space wrap>
          {lead && !job.acceptedAt && !job.checkedInAt && job.ticket.state === 'dispatched' && (
            <>
              <Button onClick={() => void queue({ action: 'accept', visitId: job.visitId })} data-testid="job-accept">
                {t('field.job.accept')}
              </Button>
              <Button danger onClick={() => setDeclining(true)} data-testid="job-decline">
                {t('field.job.decline')}
              </Button>
            </>
          )}
          {!job.checkedInAt && waitingForVisit && (
            <Button type="primary" loading={locating} onClick={() => void step('check_in')} data-testid="job-check-in">
              {t('field.job.checkIn')}
            </Button>
          )}
          {job.checkedInAt && !job.checkedOutAt && (
            <Button loading={locating} onClick={() => void step('check_out')} data-testid="job-check-out">
              {t('field.job.checkOut')}
            </Button>
          )}
        </Space>
      </Space>
      <Modal
        open={declining}
        title={t('field.job.decline')}
        onCancel={() => setDeclining(false)}
        okButtonProps={{ disabled: reason.trim().length < 2, danger: true }}
        onOk={async () => {
          await queue({ action: 'decline', visitId: job.visitId, reason: reason.trim() });
          setDeclining(false);
        }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('field.job.declineReason')}
          data-testid="decline-reason"
        />
      </Modal>
    </Card>
  );
}

/** The device's own history and how the same fault was fixed on other devices of its model. */
function Knowledge({ detail }: { detail: FieldJobDetail }) {
  const { t } = useTranslation();
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'history',
          label: t('field.sections.history', { count: detail.deviceHistory.length }),
          children: detail.deviceHistory.length ? (
            <List
              size="small"
              dataSource={detail.deviceHistory}
              renderItem={(h) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Typography.Text>
                      {dayjs(h.reportedAt).format('YYYY-MM-DD')} {h.number} · {h.title}{' '}
                      <Tag>{labelOf(t, 'tickets.states', h.state)}</Tag>
                    </Typography.Text>
                    {h.rootCause && (
                      <Typography.Text type="secondary">
                        {h.rootCause} — {h.actionsTaken}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('field.historyEmpty')} />
          ),
        },
        {
          key: 'knowledge',
          label: t('field.sections.knowledge', { category: detail.categoryName ?? '—' }),
          children: detail.knowledge.length ? (
            <List
              size="small"
              dataSource={detail.knowledge}
              renderItem={(k) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>
                      {k.number} · {k.title}
                    </Typography.Text>
                    <Typography.Text>{k.rootCause}</Typography.Text>
                    <Typography.Text type="secondary">{k.actionsTaken}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('field.knowledgeEmpty')} />
          ),
        },
      ]}
    />
  );
}
