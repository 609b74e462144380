import type { BoardEngineer, BoardJob, BoardVisit, DispatchBoard } from '@serviceloop/contracts';
import { Tooltip, Typography } from 'antd';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HelpersModal } from './HelpersModal';
import { hhmm, isoAt, minuteOfDay, toMinute } from './time';
import { useDispatch } from './useDispatch';

const FIRST_HOUR = 6;
const LAST_HOUR = 22;
const PX_PER_MINUTE = 1;
const ROW_HEIGHT = 46;
const NAME_WIDTH = 150;
const WIDTH = (LAST_HOUR - FIRST_HOUR) * 60 * PX_PER_MINUTE;
const x = (minute: number) => (minute - FIRST_HOUR * 60) * PX_PER_MINUTE;

export type Dragged =
  | { kind: 'job'; job: BoardJob; grabMinutes: number }
  | { kind: 'visit'; visit: BoardVisit; grabMinutes: number };

const FLAG_COLOURS: Record<string, string> = {
  conflict: '#ff4d4f',
  on_leave: '#ff4d4f',
  overtime: '#fa8c16',
  over_capacity: '#fa8c16',
  late: '#fa8c16',
};

/** Engineers × hours of one day: working windows shaded, visits as blocks, drop a job to dispatch it. */
export function DayBoard(props: {
  board: DispatchBoard;
  date: string;
  dragged: React.MutableRefObject<Dragged | null>;
}) {
  const { t } = useTranslation();
  const dispatch = useDispatch();
  const { board, date, dragged } = props;
  const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i);
  const names = new Map(board.engineers.map((e) => [e.engineerId, e.displayName]));
  const [crewVisit, setCrewVisit] = useState<BoardVisit | null>(null);

  const drop = async (engineer: BoardEngineer, e: DragEvent<HTMLFieldSetElement>) => {
    e.preventDefault();
    const item = dragged.current;
    dragged.current = null;
    if (!item) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const pointer = FIRST_HOUR * 60 + (e.clientX - rect.left) / PX_PER_MINUTE;
    const start = Math.max(0, Math.round((pointer - item.grabMinutes) / 15) * 15);
    if (item.kind === 'job') {
      await dispatch(
        { ticketId: item.job.ticketId, ticketNumber: item.job.ticketNumber, version: item.job.ticketVersion },
        engineer.engineerId,
        isoAt(date, start),
        isoAt(date, start + item.job.durationMinutes),
      );
    } else {
      const v = item.visit;
      const length = (Date.parse(v.plannedEnd) - Date.parse(v.plannedStart)) / 60_000;
      await dispatch(
        { ticketId: v.ticketId, ticketNumber: v.ticketNumber, version: v.ticketVersion },
        engineer.engineerId,
        isoAt(date, start),
        isoAt(date, start + length),
        true,
      );
    }
  };

  return (
    <div style={{ overflowX: 'auto', border: '1px solid #f0f0f0' }} data-testid="day-board">
      <div style={{ display: 'flex', width: NAME_WIDTH + WIDTH, background: '#fafafa', fontSize: 12 }}>
        <div style={{ width: NAME_WIDTH, flex: 'none' }} />
        {hours.map((h) => (
          <div
            key={h}
            style={{ width: 60 * PX_PER_MINUTE, flex: 'none', borderLeft: '1px solid #eee', paddingLeft: 2 }}
          >
            {`${h}:00`}
          </div>
        ))}
      </div>
      {board.engineers.map((engineer) => {
        const day = engineer.days[0]!;
        // A helper's row shows the visits they assist on too (dashed, moved with the lead's).
        const visits = board.visits.filter(
          (v) => v.engineerId === engineer.engineerId || v.assistantIds.includes(engineer.engineerId),
        );
        const minutes = visits.reduce(
          (s, v) => s + (Date.parse(v.plannedEnd) - Date.parse(v.plannedStart)) / 60_000,
          0,
        );
        return (
          <div
            key={engineer.engineerId}
            style={{ display: 'flex', width: NAME_WIDTH + WIDTH, borderTop: '1px solid #f0f0f0' }}
          >
            <div style={{ width: NAME_WIDTH, flex: 'none', padding: '4px 8px', fontSize: 12 }}>
              <Typography.Text strong ellipsis>
                {engineer.displayName}
              </Typography.Text>
              <div style={{ color: '#888' }}>
                {day.onLeave
                  ? t('dispatch.onLeave')
                  : day.start
                    ? `${visits.length}/${engineer.capacityJobs} · ${(minutes / 60).toFixed(1)}/${engineer.capacityHours}h`
                    : t('dispatch.offDay')}
              </div>
            </div>
            <fieldset
              aria-label={engineer.displayName}
              data-testid={`board-row-${engineer.displayName}`}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => void drop(engineer, e)}
              style={{
                position: 'relative',
                margin: 0,
                padding: 0,
                border: 0,
                minWidth: 0,
                width: WIDTH,
                height: ROW_HEIGHT,
                flex: 'none',
                background: day.onLeave
                  ? 'repeating-linear-gradient(45deg,#fafafa,#fafafa 6px,#f0f0f0 6px,#f0f0f0 12px)'
                  : '#fafafa',
              }}
            >
              {day.start && day.end && !day.onLeave && (
                <div
                  style={{
                    position: 'absolute',
                    left: x(toMinute(day.start)),
                    width: (toMinute(day.end) - toMinute(day.start)) * PX_PER_MINUTE,
                    top: 0,
                    bottom: 0,
                    background: '#f6ffed',
                  }}
                />
              )}
              {visits.map((v) => {
                const start = minuteOfDay(v.plannedStart, date);
                const end = minuteOfDay(v.plannedEnd, date);
                const flagged = v.flags.length > 0;
                const colour = v.flags.map((f) => FLAG_COLOURS[f]).find(Boolean);
                const assisting = v.engineerId !== engineer.engineerId;
                const crew = v.assistantIds.map((id) => names.get(id) ?? '').filter(Boolean);
                return (
                  <Tooltip
                    key={v.visitId}
                    title={`${v.ticketNumber} ${v.title} · ${hhmm(start)}–${hhmm(end)}${flagged ? ` · ${v.flags.map((f) => t(`dispatch.flags.${f}`)).join('、')}` : ''}${crew.length ? ` · ${t('dispatch.helpers')}: ${crew.join('、')}` : ''}`}
                  >
                    <button
                      type="button"
                      draggable={!v.checkedInAt && !assisting}
                      data-testid={assisting ? `assist-${v.ticketNumber}` : `visit-${v.ticketNumber}`}
                      // A click on the lead's block sets the visit's helpers.
                      onClick={() => !assisting && setCrewVisit(v)}
                      data-flags={v.flags.join(' ')}
                      onDragStart={(e) => {
                        const rect = e.currentTarget.getBoundingClientRect();
                        dragged.current = {
                          kind: 'visit',
                          visit: v,
                          grabMinutes: (e.clientX - rect.left) / PX_PER_MINUTE,
                        };
                      }}
                      style={{
                        position: 'absolute',
                        left: x(Math.max(start, FIRST_HOUR * 60)),
                        width: Math.max(
                          12,
                          (Math.min(end, LAST_HOUR * 60) - Math.max(start, FIRST_HOUR * 60)) * PX_PER_MINUTE,
                        ),
                        top: 6,
                        height: ROW_HEIGHT - 12,
                        background: v.checkedInAt ? '#d9f7be' : '#e6f4ff',
                        border: `2px ${assisting ? 'dashed' : 'solid'} ${colour ?? '#91caff'}`,
                        borderRadius: 4,
                        fontSize: 11,
                        padding: '1px 4px',
                        overflow: 'hidden',
                        whiteSpace: 'nowrap',
                        cursor: v.checkedInAt ? 'default' : 'grab',
                        textAlign: 'left',
                        font: 'inherit',
                        color: 'inherit',
                      }}
                    >
                      {flagged && '⚠ '}
                      {v.ticketNumber}
                      {crew.length > 0 && !assisting && ` +${crew.length}`}
                      {assisting && ` · ${t('dispatch.assisting')}`}
                      <br />
                      {v.title}
                    </button>
                  </Tooltip>
                );
              })}
            </fieldset>
          </div>
        );
      })}
      <HelpersModal visit={crewVisit} engineers={board.engineers} onClose={() => setCrewVisit(null)} />
    </div>
  );
}
