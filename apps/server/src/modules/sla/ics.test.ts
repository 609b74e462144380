import { describe, expect, it } from 'vitest';
import { IcsError, readHolidayIcs } from './ics';

const calendar = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
  ].join('\r\n');

describe('reading a holiday schedule from ICS', () => {
  it('spreads an all-day event over its days, DTEND exclusive, and tells working days by 班', () => {
    const days = readHolidayIcs(
      calendar(
        ['UID:a', 'DTSTART;VALUE=DATE:20270206', 'DTEND;VALUE=DATE:20270213', 'SUMMARY:春节'],
        ['UID:b', 'DTSTART;VALUE=DATE:20270130', 'SUMMARY:春节 补班'],
        ['UID:c', 'DTSTART;VALUE=DATE:20270220', 'SUMMARY:Spring Festival make-up workday'],
        ['UID:d', 'DTSTART:20270405T090000', 'DTEND:20270405T180000', 'SUMMARY:清明节'],
      ),
    );
    expect(days.filter((d) => d.kind === 'holiday').map((d) => d.date)).toEqual([
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
      '2027-02-12',
      '2027-04-05',
    ]);
    expect(days.filter((d) => d.kind === 'workday')).toEqual([
      { date: '2027-01-30', name: '春节 补班', kind: 'workday' },
      { date: '2027-02-20', name: 'Spring Festival make-up workday', kind: 'workday' },
    ]);
  });

  it('lets a working day win when two events name the same date', () => {
    const days = readHolidayIcs(
      calendar(
        ['UID:a', 'DTSTART;VALUE=DATE:20271001', 'DTEND;VALUE=DATE:20271003', 'SUMMARY:国庆节'],
        ['UID:b', 'DTSTART;VALUE=DATE:20271002', 'SUMMARY:上班'],
      ),
    );
    expect(days.map((d) => `${d.date} ${d.kind}`)).toEqual(['2027-10-01 holiday', '2027-10-02 workday']);
  });

  it('bounds an overlong event and refuses text that is not iCalendar', () => {
    const long = readHolidayIcs(
      calendar(['UID:a', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20280101', 'SUMMARY:x']),
    );
    expect(long).toHaveLength(31);
    expect(() => readHolidayIcs('元旦放假三天')).toThrow(IcsError);
  });
});
