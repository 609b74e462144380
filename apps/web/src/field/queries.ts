import type { FieldJob, FieldJobDetail } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { get } from '../lib/api';
import { jobCache } from './outbox';

/**
 * Reads that fall back to the copy last read when there is no network (a `TypeError` from fetch):
 * the phone opens its jobs in a basement plant room too.
 */
async function orCached<T>(
  load: () => Promise<T>,
  save: (v: T) => Promise<void>,
  cached: () => Promise<T | undefined>,
) {
  try {
    const fresh = await load();
    await save(fresh).catch(() => undefined);
    return fresh;
  } catch (error) {
    if (error instanceof TypeError) {
      const kept = await cached();
      if (kept) return kept;
    }
    throw error;
  }
}

/** Today in China Standard Time, as the server counts dispatch days. */
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export const useFieldJobs = (date: string) =>
  useQuery({
    queryKey: ['field', 'jobs', date],
    queryFn: () =>
      orCached(
        () => get<FieldJob[]>(`/field/jobs?date=${date}`),
        (jobs) => jobCache.saveJobs(date, jobs),
        () => jobCache.jobs(date),
      ),
    networkMode: 'always',
    retry: false,
  });

export const useFieldJob = (visitId: string) =>
  useQuery({
    queryKey: ['field', 'job', visitId],
    queryFn: () =>
      orCached(
        () => get<FieldJobDetail>(`/field/jobs/${visitId}`),
        (detail) => jobCache.saveDetail(visitId, detail),
        () => jobCache.detail(visitId),
      ),
    networkMode: 'always',
    retry: false,
  });
