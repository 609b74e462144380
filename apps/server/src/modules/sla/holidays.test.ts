import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, type TestServer } from '../../../test/harness';
import { rows } from '../../platform/db/client';
import { analyticsCalendar } from '../analytics/business-time';
import { addBusinessMinutes, isWorkingTime } from './calendar';
import { loadCalendar } from './calendars';
import { HOLIDAY_CHECK_QUEUE } from './holiday-schedule';

/** 2027 as a holiday calendar feed publishes it: New Year's three days off, a 调休 Saturday. */
const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//ServiceLoop test//CN holidays//ZH',
  'BEGIN:VEVENT',
  'UID:2027-new-year',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2027-spring-festival-workday',
  'DTSTART;VALUE=DATE:20270220',
  'DTEND;VALUE=DATE:20270221',
  'SUMMARY:春节调休 补班',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2026-national-day',
  'DTSTART;VALUE=DATE:20261001',
  'SUMMARY:国庆节',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe.each(BACKENDS)("China's holiday schedule beyond the shipped years on %s", (kind) => {
  let server: TestServer;

  beforeEach(async () => {
    server = await createTestServer(kind);
  });
  afterEach(async () => {
    await server.close();
  });

  const admin = () => server.signIn('admin');
  const settle = async () => {
    await server.platform.dispatcher.stop();
    await server.platform.dispatcher.drain();
  };
  const runChecks = async () => {
    await server.platform.jobs.enqueue(server.platform.db, { queue: HOLIDAY_CHECK_QUEUE });
    await server.platform.jobs.runDue();
    await settle();
  };
  const warnings = async () =>
    rows<{ entity_id: string }>(
      server.platform.db,
      sql`select entity_id from events where type = 'sla.holidays_missing' order by seq`,
    );
  const workdaysCalendar = async () => {
    const [row] = await rows<{ id: string }>(
      server.platform.db,
      sql`select id from sla_calendars where code = 'cn-workdays'`,
    );
    return loadCalendar(server.platform.db, row!.id);
  };

  it('warns admins from November when next year is missing, once, in their language; not in October', async () => {
    server.clock.set('2026-10-15T10:00:00+08:00');
    expect((await (await admin()).get('/api/v1/sla/holidays')).json()).toMatchObject({ lastYear: 2026, missing: [] });
    await runChecks();
    expect(await warnings()).toEqual([]);

    server.clock.set('2026-11-15T10:00:00+08:00');
    const a = await admin();
    expect((await a.get('/api/v1/sla/holidays')).json()).toMatchObject({ lastYear: 2026, missing: [2027] });
    await runChecks();
    await runChecks();
    expect(await warnings()).toEqual([{ entity_id: '2027' }]);

    const inbox = (await a.get('/api/v1/notifications')).json().items as {
      eventType: string;
      title: string;
      link: string;
    }[];
    expect(inbox.filter((n) => n.eventType === 'sla.holidays_missing')).toEqual([
      expect.objectContaining({ title: '缺少 2027 年节假日安排', link: '/console/sla?tab=holidays' }),
    ]);
    // Not every user: an engineer has nothing to do about it.
    const engineer = await server.userWith('engineer');
    const theirs = (await engineer.get('/api/v1/notifications')).json().items as { eventType: string }[];
    expect(theirs.some((n) => n.eventType === 'sla.holidays_missing')).toBe(false);
  });

  it('imports an ICS file: 2027-01-01 becomes a day off and a 调休 Saturday a working day for due times', async () => {
    server.clock.set('2026-12-07T10:00:00+08:00');
    const before = await workdaysCalendar();
    const lateOnNewYearsEve = new Date('2026-12-31T17:00:00+08:00');
    expect(addBusinessMinutes(lateOnNewYearsEve, 120, before).toISOString()).toBe(
      new Date('2027-01-01T10:00:00+08:00').toISOString(),
    );
    expect(isWorkingTime(new Date('2027-02-20T10:00:00+08:00'), before)).toBe(false);
    const newYearsDay = new Date('2027-01-01T10:00:00+08:00');
    expect(isWorkingTime(newYearsDay, await analyticsCalendar(server.platform.db))).toBe(true);

    const a = await admin();
    const imported = await a.post('/api/v1/sla/holidays/import', { ics: ICS_2027 });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({
      skipped: [2026],
      years: [
        {
          year: 2027,
          source: 'imported',
          holidays: [
            { date: '2027-01-01', name: '元旦' },
            { date: '2027-01-02', name: '元旦' },
            { date: '2027-01-03', name: '元旦' },
          ],
          workdays: [{ date: '2027-02-20', name: '春节调休 补班' }],
        },
      ],
    });

    const after = await workdaysCalendar();
    expect(addBusinessMinutes(lateOnNewYearsEve, 120, after).toISOString()).toBe(
      new Date('2027-01-04T10:00:00+08:00').toISOString(),
    );
    expect(isWorkingTime(new Date('2027-02-20T10:00:00+08:00'), after)).toBe(true);
    // Business-hours KPIs reckon on the same schedule.
    expect(isWorkingTime(newYearsDay, await analyticsCalendar(server.platform.db))).toBe(false);
    // The shipped 2026 notice stays as it was: 2026-10-01 was already a day off, nothing was replaced.
    const coverage = (await a.get('/api/v1/sla/holidays')).json();
    expect(coverage).toMatchObject({ lastYear: 2027, missing: [] });
    expect(coverage.years.map((y: { year: number; source: string }) => `${y.year}:${y.source}`)).toEqual([
      '2024:shipped',
      '2025:shipped',
      '2026:shipped',
      '2027:imported',
    ]);
  });

  it('marks due times past the last known year provisional, and re-plans them once the year is entered', async () => {
    server.clock.set('2026-12-31T17:00:00+08:00');
    const a = await admin();
    const reported = await a.post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '数控机床主轴报警',
      description: '主轴运行中报警 ALM-401，停机后可复位',
      severity: 'major',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const ticket = reported.json().ticket as { id: string; version: number };
    const triaged = await a.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      action: 'triage',
      priority: 'P2',
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    await settle();
    // Triage answers the customer (the response clock is met): the resolution clock runs on.
    const resolution = async () =>
      ((await (await admin()).get(`/api/v1/tickets/${ticket.id}/sla`)).json().clocks as Record<string, unknown>[]).find(
        (c) => c.kind === 'resolution',
      )!;

    // Three working days (27 h) from 17:00 on 31 December: 1 h that day, then 1, 4 and 5 January —
    // if 1 January is a working day.
    expect(await resolution()).toMatchObject({
      state: 'running',
      dueAt: new Date('2027-01-05T17:00:00+08:00').toISOString(),
      provisional: true,
    });

    const entered = await (await admin()).put('/api/v1/sla/holidays/2027', {
      title: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-01-02', name: '元旦' },
        { date: '2027-01-03', name: '元旦' },
      ],
      workdays: [],
    });
    expect(entered.statusCode, entered.body).toBe(200);
    await server.platform.jobs.runDue();
    await settle();
    expect(await resolution()).toMatchObject({
      dueAt: new Date('2027-01-06T17:00:00+08:00').toISOString(),
      provisional: false,
    });
    const detail = (await (await admin()).get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(detail.resolutionDueAt ?? detail.ticket?.resolutionDueAt).toBe(
      new Date('2027-01-06T17:00:00+08:00').toISOString(),
    );
  });

  it('refuses a date outside the year, a day both off and working, and a file that is not a calendar', async () => {
    const a = await admin();
    const wrongYear = await a.put('/api/v1/sla/holidays/2027', {
      holidays: [{ date: '2027-01-01' }, { date: '2028-01-01' }],
    });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().details).toEqual([expect.objectContaining({ path: 'holidays.1.date' })]);

    const twice = await a.request(
      'PUT',
      '/api/v1/sla/holidays/2027',
      { holidays: [{ date: '2027-02-20' }], workdays: [{ date: '2027-02-20' }] },
      { 'accept-language': 'en-US' },
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details).toEqual([
      expect.objectContaining({ path: 'workdays', message: 'A day cannot be both a day off and a working day' }),
    ]);

    const notIcs = await a.request(
      'POST',
      '/api/v1/sla/holidays/import',
      { ics: '元旦放假三天' },
      { 'accept-language': 'zh-CN' },
    );
    expect(notIcs.statusCode).toBe(400);
    expect(notIcs.json().details).toEqual([
      expect.objectContaining({ path: 'ics', message: '无法读取该 ICS 日历文件' }),
    ]);

    const engineer = await server.userWith('engineer');
    expect((await engineer.post('/api/v1/sla/holidays/import', { ics: ICS_2027 })).statusCode).toBe(403);
    // Nothing refused was stored.
    expect((await a.get('/api/v1/sla/holidays')).json().lastYear).toBe(2026);
  });
});
