/**
 * Board times are China Standard Time (UTC+8), as on the server, whatever zone the browser is in:
 * a dispatcher in another zone still plans the engineers' local day.
 */
const OFFSET = 8 * 60 * 60_000;

export const dayStartMs = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
export const minuteOfDay = (iso: string, date: string) => (Date.parse(iso) - dayStartMs(date)) / 60_000;
export const isoAt = (date: string, minute: number) => new Date(dayStartMs(date) + minute * 60_000).toISOString();
export const todayCst = () => new Date(Date.now() + OFFSET).toISOString().slice(0, 10);
export const localDateOf = (iso: string) => new Date(Date.parse(iso) + OFFSET).toISOString().slice(0, 10);
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(Math.round(minute % 60)).padStart(2, '0')}`;
export const clockOf = (iso: string) => hhmm(minuteOfDay(iso, localDateOf(iso)));
export const toMinute = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
/** Rounds up to the next quarter hour: plans people read are in quarters. */
export const quarterUp = (minute: number) => Math.ceil(minute / 15) * 15;
