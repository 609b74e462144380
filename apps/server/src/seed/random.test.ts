import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, Random } from './random';

describe('seeded random', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('apportion', () => {
  it('reproduces seed 000’s 2025 fault mix to the ticket', () => {
    const counts = apportion(1000, { hardware: 42.5, software: 28.1, operation: 16.3, parts: 9.6, other: 3.5 });
    expect(counts).toEqual({ hardware: 425, software: 281, operation: 163, parts: 96, other: 35 });
  });

  it('always sums to the total and never strays a whole unit from the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const shares = Object.fromEntries(weights.map((w, i) => [`k${i}`, w]));
          const counts = apportion(total, shares);
          const sum = weights.reduce((s, w) => s + w, 0);
          expect(Object.values(counts).reduce((s, n) => s + n, 0)).toBe(total);
          for (const [k, n] of Object.entries(counts)) expect(Math.abs(n - (total * shares[k]!) / sum)).toBeLessThan(1);
        },
      ),
    );
  });
});
