import type { DispatchBoard } from '@serviceloop/contracts';
import { Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import type { Dragged } from './DayBoard';
import { addDays, clockOf, isoAt, localDateOf, minuteOfDay, toMinute } from './time';
import { useDispatch } from './useDispatch';

/** Engineers × seven days: drop a job on a day to dispatch it after that day's planned work; drag a visit to move it. */
export function WeekBoard(props: { board: DispatchBoard; dragged: React.MutableRefObject<Dragged | null> }) {
  const { t } = useTranslation();
  const dispatch = useDispatch();
  const { board, dragged } = props;
  const dates = Array.from({ length: board.days }, (_, i) => addDays(board.from, i));

  const drop = async (engineerId: string, date: string) => {
    const item = dragged.current;
    dragged.current = null;
    if (!item) return;
    const engineer = board.engineers.find((e) => e.engineerId === engineerId)!;
    const day = engineer.days.find((d) => d.date === date);
    if (item.kind === 'visit') {
      const v = item.visit;
      const start = minuteOfDay(v.plannedStart, localDateOf(v.plannedStart));
      const length = (Date.parse(v.plannedEnd) - Date.parse(v.plannedStart)) / 60_000;
      await dispatch(
        { ticketId: v.ticketId, ticketNumber: v.ticketNumber, version: v.ticketVersion },
        engineerId,
        isoAt(date, start),
        isoAt(date, start + length),
        true,
      );
      return;
    }
    // After the day's last planned visit, or at the start of the shift.
    const busy = board.visits
      .filter((v) => v.engineerId === engineerId && localDateOf(v.plannedStart) === date)
      .map((v) => minuteOfDay(v.plannedEnd, date));
    const start = Math.max(day?.start ? toMinute(day.start) : 9 * 60, ...busy);
    await dispatch(
      { ticketId: item.job.ticketId, ticketNumber: item.job.ticketNumber, version: item.job.ticketVersion },
      engineerId,
      isoAt(date, start),
      isoAt(date, start + item.job.durationMinutes),
    );
  };

  return (
    <Table
      size="small"
      rowKey="engineerId"
      pagination={false}
      dataSource={board.engineers}
      scroll={{ x: 1100 }}
      data-testid="week-board"
      columns={[
        { title: '', dataIndex: 'displayName', fixed: 'left', width: 140 },
        ...dates.map((date) => ({
          title: `${labelOf(t, 'engineers.weekdays', ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1)} ${date.slice(5)}`,
          key: date,
          width: 140,
          onCell: (engineer: (typeof board.engineers)[number]) => ({
            onDragOver: (e: React.DragEvent) => e.preventDefault(),
            onDrop: (e: React.DragEvent) => {
              e.preventDefault();
              void drop(engineer.engineerId, date);
            },
            style: {
              verticalAlign: 'top',
              background: engineer.days.find((d) => d.date === date)?.start ? undefined : '#f5f5f5',
            },
          }),
          render: (_: unknown, engineer: (typeof board.engineers)[number]) => {
            const day = engineer.days.find((d) => d.date === date);
            const visits = board.visits.filter(
              (v) => v.engineerId === engineer.engineerId && localDateOf(v.plannedStart) === date,
            );
            return (
              <div style={{ minHeight: 40 }}>
                {day?.onLeave ? (
                  <Tag>{t('dispatch.onLeave')}</Tag>
                ) : !day?.start ? (
                  <Tag>{t('dispatch.offDay')}</Tag>
                ) : null}
                {visits.map((v) => (
                  <Tooltip
                    key={v.visitId}
                    title={`${v.title}${v.flags.length ? ` · ${v.flags.map((f) => t(`dispatch.flags.${f}`)).join('、')}` : ''}`}
                  >
                    <Tag
                      color={v.flags.length ? 'orange' : 'blue'}
                      draggable={!v.checkedInAt}
                      onDragStart={() => {
                        dragged.current = { kind: 'visit', visit: v, grabMinutes: 0 };
                      }}
                      style={{ cursor: 'grab', marginBottom: 2 }}
                    >
                      {clockOf(v.plannedStart)} {v.ticketNumber}
                    </Tag>
                  </Tooltip>
                ))}
              </div>
            );
          },
        })),
      ]}
    />
  );
}
