/**
 * The regression guard's judgement (`npm run bench:smoke`): each figure is server CPU per request,
 * which a shared machine disturbs far less than throughput, compared with the committed reference.
 */

export interface Figures {
  /** Server CPU milliseconds per request, by measurement name. */
  [name: string]: number;
}

export interface Reference {
  measuredAt: string;
  note?: string;
  serverCpuMsPerRequest: Figures;
}

export type Verdict = 'ok' | 'slower' | 'faster' | 'new' | 'missing';

export interface Comparison {
  name: string;
  reference: number | null;
  current: number | null;
  /** current / reference, when both are there. */
  ratio: number | null;
  verdict: Verdict;
}

/**
 * `slower` when a figure grew by more than `tolerance` (0.5: more than 50 %); `faster` when it fell
 * by as much (time to lower the reference, not a failure); `missing` when a reference figure was not
 * measured (a renamed or dropped measurement must update the reference); `new` when it has none yet.
 */
export function compare(reference: Figures, current: Figures, tolerance = 0.5): Comparison[] {
  const names = [...new Set([...Object.keys(reference), ...Object.keys(current)])];
  return names.map((name) => {
    const ref = reference[name] ?? null;
    const cur = current[name] ?? null;
    if (ref === null) return { name, reference: null, current: cur, ratio: null, verdict: 'new' };
    if (cur === null || !Number.isFinite(cur))
      return { name, reference: ref, current: null, ratio: null, verdict: 'missing' };
    const ratio = cur / ref;
    const verdict: Verdict = ratio > 1 + tolerance ? 'slower' : ratio < 1 / (1 + tolerance) ? 'faster' : 'ok';
    return { name, reference: ref, current: cur, ratio, verdict };
  });
}

/** Whether the guard fails: a figure grew beyond the tolerance, or one the reference holds went unmeasured. */
export function failed(comparisons: Comparison[]): boolean {
  return comparisons.some((c) => c.verdict === 'slower' || c.verdict === 'missing');
}

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function report(comparisons: Comparison[]): string {
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));
  const change = (c: Comparison) =>
    c.ratio === null ? '' : `${c.ratio >= 1 ? '+' : ''}${((c.ratio - 1) * 100).toFixed(0)} %`;
  const lines = comparisons.map((c) => {
    const figures = `${c.name.padEnd(28)} ${fmt(c.reference).padStart(8)} → ${fmt(c.current).padStart(8)} ms  ${change(c)}`;
    return `${figures.padEnd(62)} ${c.verdict}`;
  });
  return [`${'server CPU per request'.padEnd(28)} ${'reference'.padStart(8)} → ${'now'.padStart(8)}`, ...lines].join(
    '\n',
  );
}
