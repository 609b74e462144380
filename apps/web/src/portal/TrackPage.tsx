import { FilePdfOutlined } from '@ant-design/icons';
import type { Ticket, TicketSla, TimelineEntry, Tracking } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Rate, Space, Spin, Steps, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { z } from 'zod';
import { Attachments } from '../features/tickets/Attachments';
import { STATE_COLOR } from '../features/tickets/labels';
import { SignaturePad } from '../features/tickets/SignaturePad';
import { errorText, get, post } from '../lib/api';
import { useMessage } from '../lib/message';
import { QuoteCard } from './QuoteCard';
import { SurveyCard } from './SurveyCard';

type Entry = z.infer<typeof TimelineEntry>;
type Sla = z.infer<typeof TicketSla>;

/** The parcel-style milestones a customer recognises, and which ticket states reach each. */
const MILESTONES = [
  ['reported', ['new']],
  ['accepted', ['triaged', 'remote_support', 'suspended']],
  ['dispatched', ['dispatched']],
  ['onSite', ['on_site']],
  ['resolved', ['resolved', 'awaiting_confirmation']],
  ['closed', ['closed']],
] as const;

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
const window = (start: string, end: string) => {
  const a = new Date(start);
  const b = new Date(end);
  return `${a.toLocaleDateString()} ${a.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}–${b.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
};

/** One ticket, tracked like a parcel: where it is, who comes when, what was promised, and what needs me. */
export default function TrackPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const message = useMessage();
  const client = useQueryClient();
  const [signature, setSignature] = useState<string | undefined>();
  const [csat, setCsat] = useState(0);
  const [busy, setBusy] = useState(false);
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => get<Ticket>(`/tickets/${id}`) });
  const tracking = useQuery({
    queryKey: ['ticket', id, 'tracking'],
    queryFn: () => get<Tracking>(`/portal/tickets/${id}/tracking`),
  });
  const timeline = useQuery({
    queryKey: ['ticket', id, 'timeline'],
    queryFn: () => get<Entry[]>(`/tickets/${id}/timeline`),
  });
  const sla = useQuery({ queryKey: ['ticket', id, 'sla'], queryFn: () => get<Sla>(`/tickets/${id}/sla`) });
  if (!ticket.data || !tracking.data) return <Spin />;
  const tk = ticket.data;
  const tr = tracking.data;
  const reached =
    tk.state === 'cancelled'
      ? -1
      : MILESTONES.findIndex(([, states]) => (states as readonly string[]).includes(tk.state));
  const resolution = sla.data?.clocks.find((c) => c.kind === 'resolution');
  const response = sla.data?.clocks.find((c) => c.kind === 'response');
  const refresh = () => client.invalidateQueries({ queryKey: ['ticket', id] });

  const confirm = async () => {
    setBusy(true);
    try {
      await post(`/tickets/${id}/transitions`, { action: 'confirm', version: tk.version, signature, csat });
      message.success(t('portal.confirm.done'));
      // The survey is created by a subscriber right after the close commits.
      await refresh();
      setTimeout(() => void refresh(), 1500);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="portal-track">
      <Card size="small">
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
          <Typography.Text strong>{tk.title}</Typography.Text>
          <Tag color={STATE_COLOR[tk.state]} data-testid="portal-state">
            {t(`tickets.states.${tk.state}`)}
          </Tag>
        </div>
        <Typography.Text type="secondary">{tk.number}</Typography.Text>
        <Steps
          direction="vertical"
          size="small"
          current={reached}
          style={{ marginTop: 12 }}
          items={MILESTONES.map(([key]) => ({ title: t(`portal.milestones.${key}`) }))}
        />
      </Card>
      <Card size="small" title={t('portal.track.service')}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('portal.track.engineer')}>
            <span data-testid="portal-engineer">
              {tr.engineer
                ? [tr.engineer.name, tr.engineer.mobile].filter(Boolean).join(' · ')
                : t('portal.track.notYet')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('portal.track.arrival')}>
            <span data-testid="portal-arrival">
              {tr.nextVisit
                ? tr.nextVisit.checkedInAt
                  ? t('portal.track.arrived', { at: when(tr.nextVisit.checkedInAt) })
                  : window(tr.nextVisit.plannedStart, tr.nextVisit.plannedEnd)
                : t('portal.track.notYet')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('portal.track.respondBy')}>
            {response
              ? response.metAt
                ? t('portal.track.met', { at: when(response.metAt) })
                : when(response.dueAt)
              : when(tr.promise.respondBy)}
          </Descriptions.Item>
          <Descriptions.Item label={t('portal.track.resolveBy')}>
            <span data-testid="portal-promise">
              {resolution
                ? resolution.metAt
                  ? t('portal.track.met', { at: when(resolution.metAt) })
                  : when(resolution.dueAt)
                : when(tr.promise.resolveBy)}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <QuoteCard ticketId={id} canDecide onChange={() => void refresh()} />
      {tk.allowedActions?.includes('confirm') && (
        <Card size="small" title={t('portal.confirm.title')} data-testid="portal-confirm">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('portal.confirm.hint')}</Typography.Text>
            <SignaturePad onChange={setSignature} />
            <Typography.Text>{t('portal.survey.csat')}</Typography.Text>
            <Rate
              allowClear={false}
              value={csat}
              onChange={setCsat}
              style={{ fontSize: 28 }}
              data-testid="confirm-csat"
            />
            <Button
              type="primary"
              block
              disabled={!signature || !csat}
              loading={busy}
              onClick={confirm}
              data-testid="confirm-submit"
            >
              {t('portal.confirm.submit')}
            </Button>
          </Space>
        </Card>
      )}
      {tr.surveyId && <SurveyCard surveyId={tr.surveyId} />}
      {(tk.state === 'resolved' || tk.state === 'awaiting_confirmation' || tk.state === 'closed') && (
        <Button block icon={<FilePdfOutlined />} href={`/api/v1/tickets/${id}/service-report.pdf`} target="_blank">
          {t('portal.track.report')}
        </Button>
      )}
      <Attachments ticketId={id} canChooseVisibility={false} />
      <Card size="small" title={t('portal.track.timeline')}>
        <Timeline
          data-testid="portal-timeline"
          items={(timeline.data ?? []).map((e) => ({
            children: (
              <>
                <Typography.Text>{t(`portal.events.${e.type}`, { defaultValue: e.type })}</Typography.Text>
                {typeof e.data.reason === 'string' && <div style={{ color: '#888' }}>{e.data.reason}</div>}
                {typeof e.data.body === 'string' && <div style={{ color: '#555' }}>{e.data.body}</div>}
                <div style={{ fontSize: 12, color: '#999' }}>{when(e.occurredAt)}</div>
              </>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}
