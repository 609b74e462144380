/** Warranty status as of a day (YYYY-MM-DD, China time): the end date itself is still covered. */
export function warrantyStatus(endsOn: string | null, today: string): 'in_warranty' | 'out_of_warranty' | 'unknown' {
  if (!endsOn) return 'unknown';
  return endsOn >= today ? 'in_warranty' : 'out_of_warranty';
}

/** Today's date in Asia/Shanghai, which is the business day for contracts and warranties. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
