import type { BoardJob, DispatchBoard } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Segmented, Space, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { useAuth } from '../identity/auth';
import { DayBoard, type Dragged } from './DayBoard';
import { GeoView } from './GeoView';
import { OptimiseModal } from './OptimiseModal';
import { SuggestDrawer } from './SuggestDrawer';
import { clockOf, todayCst } from './time';
import { WeekBoard } from './WeekBoard';

/** The dispatcher's board: engineers × hours (or days), waiting jobs beside it, suggestions and the day optimiser. */
export default function DispatchPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [date, setDate] = useState(todayCst());
  const [view, setView] = useState<'day' | 'week'>('day');
  const [suggesting, setSuggesting] = useState<BoardJob | null>(null);
  const [optimising, setOptimising] = useState(false);
  const dragged = useRef<Dragged | null>(null);
  const days = view === 'day' ? 1 : 7;
  const board = useQuery({
    queryKey: ['/dispatch/board', date, days],
    queryFn: () => get<DispatchBoard>(`/dispatch/board?date=${date}&days=${days}`),
  });
  const canDispatch = can('ticket', 'update') && can('dispatch', 'update');

  const jobs = board.data && (
    <Card size="small" title={t('dispatch.unassigned')} style={{ width: 300, flex: 'none' }} data-testid="unassigned">
      {board.data.unassigned.length === 0 && <Empty description={t('dispatch.noUnassigned')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {board.data.unassigned.map((j) => (
          <div key={j.ticketId} style={{ border: '1px solid #d9d9d9', borderRadius: 6, background: '#fff' }}>
            <button
              type="button"
              draggable={canDispatch}
              data-testid={`job-${j.ticketNumber}`}
              onDragStart={() => {
                dragged.current = { kind: 'job', job: j, grabMinutes: 0 };
              }}
              style={{
                border: 0,
                padding: '8px 8px 4px',
                cursor: 'grab',
                background: 'transparent',
                width: '100%',
                textAlign: 'left',
                font: 'inherit',
              }}
            >
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                  <Typography.Text strong>{j.ticketNumber}</Typography.Text>
                  {j.priority && (
                    <Tag color={j.priority === 'P0' || j.priority === 'P1' ? 'red' : 'blue'}>{j.priority}</Tag>
                  )}
                </Space>
                <Typography.Text ellipsis>{j.title}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {j.customerName ?? ''}
                  {j.slaDueAt ? ` · ${t('dispatch.due')} ${j.slaDueAt.slice(5, 10)} ${clockOf(j.slaDueAt)}` : ''}
                </Typography.Text>
                <Space size={[0, 2]} wrap>
                  {j.requiredSkills.map((s) => (
                    <Tag key={s}>{s}</Tag>
                  ))}
                </Space>
              </Space>
            </button>
            <Button size="small" type="link" onClick={() => setSuggesting(j)} data-testid={`suggest-${j.ticketNumber}`}>
              {t('dispatch.suggest')}
            </Button>
          </div>
        ))}
      </Space>
    </Card>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="dispatch-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('dispatch.title')}
        </Typography.Title>
        <Space wrap>
          <Segmented
            value={view}
            onChange={(v) => setView(v as 'day' | 'week')}
            options={[
              { value: 'day', label: t('dispatch.day') },
              { value: 'week', label: t('dispatch.week') },
            ]}
          />
          <DatePicker
            value={dayjs(date)}
            allowClear={false}
            onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))}
            data-testid="board-date"
          />
          <Button onClick={() => setDate(todayCst())}>{t('dispatch.today')}</Button>
          {canDispatch && (
            <Button type="primary" onClick={() => setOptimising(true)} data-testid="optimise-day">
              {t('dispatch.optimise')}
            </Button>
          )}
        </Space>
      </Space>
      <Typography.Text type="secondary">{t('dispatch.dropHint')}</Typography.Text>
      {queryState(board) ??
        (board.data && (
          <Tabs
            items={[
              {
                key: 'board',
                label: t('dispatch.board'),
                children: (
                  <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      {view === 'day' ? (
                        <DayBoard board={board.data} date={date} dragged={dragged} />
                      ) : (
                        <WeekBoard board={board.data} dragged={dragged} />
                      )}
                    </div>
                    {jobs}
                  </div>
                ),
              },
              { key: 'map', label: t('dispatch.map'), children: <GeoView board={board.data} /> },
            ]}
          />
        ))}
      <SuggestDrawer job={suggesting} date={date} onClose={() => setSuggesting(null)} />
      {board.data && (
        <OptimiseModal open={optimising} date={date} board={board.data} onClose={() => setOptimising(false)} />
      )}
    </Space>
  );
}
