import type { AssignmentSuggestions, BoardJob } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Drawer, List, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { hhmm, isoAt, localDateOf, minuteOfDay, quarterUp } from './time';
import { useDispatch } from './useDispatch';

const EFFECT_COLOURS = { plus: 'green', minus: 'orange', block: 'red' } as const;

/** The ranked engineers for one job, each with the parts of its score and the reasons, and a dispatch button. */
export function SuggestDrawer(props: { job: BoardJob | null; date: string; onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useDispatch();
  const { job, date } = props;
  const result = useQuery({
    queryKey: ['/assignment-suggestions', job?.ticketId, date],
    queryFn: () => get<AssignmentSuggestions>(`/tickets/${job!.ticketId}/assignment-suggestions?date=${date}`),
    enabled: !!job,
  });
  return (
    <Drawer
      open={!!job}
      onClose={props.onClose}
      width={560}
      title={job ? `${t('dispatch.suggestions')} · ${job.ticketNumber}` : ''}
      destroyOnHidden
    >
      {job && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('dispatch.skillsNeeded')}: {job.requiredSkills.length ? job.requiredSkills.join(', ') : '—'} ·{' '}
            {t('dispatch.duration', { minutes: job.durationMinutes })}
          </Typography.Text>
          {queryState(result) ??
            (result.data && (
              <List
                data-testid="suggestions"
                dataSource={result.data.suggestions}
                renderItem={(s) => {
                  const startsAt = s.earliestStart
                    ? quarterUp(minuteOfDay(s.earliestStart, localDateOf(s.earliestStart)))
                    : null;
                  const startDate = s.earliestStart ? localDateOf(s.earliestStart) : date;
                  return (
                    <List.Item
                      actions={[
                        <Button
                          key="dispatch"
                          type="primary"
                          size="small"
                          disabled={!s.eligible || startsAt === null}
                          onClick={async () => {
                            const ok = await dispatch(
                              { ticketId: job.ticketId, ticketNumber: job.ticketNumber, version: job.ticketVersion },
                              s.engineerId,
                              isoAt(startDate, startsAt!),
                              isoAt(startDate, startsAt! + result.data!.durationMinutes),
                            );
                            if (ok) props.onClose();
                          }}
                        >
                          {t('dispatch.dispatchAt', { time: startsAt === null ? '' : hhmm(startsAt) })}
                        </Button>,
                      ]}
                    >
                      <Space direction="vertical" size={2} style={{ width: '100%' }}>
                        <Space>
                          <Typography.Text strong>{s.displayName}</Typography.Text>
                          <Progress
                            percent={s.score}
                            size="small"
                            style={{ width: 120 }}
                            format={(p) => `${t('dispatch.score')} ${p}`}
                          />
                          {!s.eligible && <Tag color="red">{t('dispatch.ineligible')}</Tag>}
                        </Space>
                        <Space size={[0, 2]} wrap>
                          {Object.entries(s.parts).map(([k, v]) => (
                            <Tag key={k}>{`${labelOf(t, 'dispatch.parts', k)} ${Math.round(v * 100)}%`}</Tag>
                          ))}
                        </Space>
                        <Space size={[0, 2]} wrap>
                          {s.reasons.map((r) => (
                            <Tag key={r.code} color={EFFECT_COLOURS[r.effect]}>
                              {labelOf(t, 'dispatch.reasons', r.code, r.params)}
                            </Tag>
                          ))}
                        </Space>
                      </Space>
                    </List.Item>
                  );
                }}
              />
            ))}
        </Space>
      )}
    </Drawer>
  );
}
