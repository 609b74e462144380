import { describe, expect, it } from 'vitest';
import { repeatsInFile } from './write';

const day = 86_400_000;
const row = (device: string | null, category: string | null, reportedDay: number, closedDay: number) => ({
  line: 0,
  values: {
    device: device ? { id: device, customerId: 'c', modelId: 'm', siteId: null, serialNumber: device } : null,
    categoryId: category,
    reportedAt: new Date(reportedDay * day),
    closedAt: new Date(closedDay * day),
  },
});

describe('repeat repairs within a file', () => {
  it('links a ticket to the latest earlier one of the same device and category closed in the 30 days before it', () => {
    const rows = [
      row('d1', 'power', 50, 52), // 0
      row('d1', 'power', 0, 2), // 1
      row('d1', 'power', 10, 12), // 2: 8 days after 1 closed
      row('d1', 'power', 20, 21), // 3: 2 after 2 closed (latest of 1 and 2)
      row('d1', 'sensor', 22, 23), // 4: other category
      row('d2', 'power', 22, 23), // 5: other device
      row('d1', 'power', 21, 25), // 6: reported the day 3 closed, which counts
      row(null, 'power', 30, 31), // 7: no device
    ];
    const repeats = repeatsInFile(rows);
    // 0 comes first in the file but was reported 25 days after 6 closed: a repeat of 6.
    expect(Object.fromEntries(repeats)).toEqual({ 0: 6, 2: 1, 3: 2, 6: 3 });
  });

  it('ignores repairs closed more than 30 days before, and never links a ticket to itself', () => {
    const rows = [row('d1', 'power', 0, 1), row('d1', 'power', 40, 41), row('d1', 'power', 41, 41)];
    expect(Object.fromEntries(repeatsInFile(rows))).toEqual({ 2: 1 });
  });
});
