import { describe, expect, it } from 'vitest';
import { compare, failed, median, report } from './regression';

describe('the bench:smoke regression guard', () => {
  const reference = { 'create ticket': 1.0, 'ticket list': 4.0 };

  it('passes figures within 50 % of the reference, either way', () => {
    const result = compare(reference, { 'create ticket': 1.49, 'ticket list': 2.8 });
    expect(result.map((c) => c.verdict)).toEqual(['ok', 'ok']);
    expect(failed(result)).toBe(false);
  });

  it('fails when one figure grows by more than 50 %', () => {
    const result = compare(reference, { 'create ticket': 1.51, 'ticket list': 4.0 });
    expect(result.find((c) => c.name === 'create ticket')).toMatchObject({ verdict: 'slower', ratio: 1.51 });
    expect(failed(result)).toBe(true);
    expect(report(result)).toMatch(/create ticket\s+1\.000 →\s+1\.510 ms\s+\+51 %\s+slower/);
  });

  it('fails when a figure of the reference was not measured, and notes new and much faster ones without failing', () => {
    const missing = compare(reference, { 'create ticket': 1.0 });
    expect(missing.find((c) => c.name === 'ticket list')?.verdict).toBe('missing');
    expect(failed(missing)).toBe(true);
    const better = compare(reference, { 'create ticket': 0.6, 'ticket list': 4.0, 'dispatch board': 2 });
    expect(better.map((c) => c.verdict)).toEqual(['faster', 'ok', 'new']);
    expect(failed(better)).toBe(false);
  });

  it('takes the median of repeated rounds, ignoring failed ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, Number.NaN, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
