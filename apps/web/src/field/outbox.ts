import type { FieldCommand, FieldJob, FieldJobDetail, OpResult, SyncResponse } from '@serviceloop/contracts';
import { createStore, del, get, set } from 'idb-keyval';
import { ApiError, post, uploadHeaders } from '../lib/api';
import { refused, retried, settle, wire } from './outbox-rules';
import { serialRuns } from './serial-runs';

/**
 * The phone's outbox. Everything the engineer does on a job becomes an operation with an id made
 * here, stored in IndexedDB before anything else happens, then sent to `/field/sync` whenever the
 * network is there. The server applies each id once, so sending again after a lost answer is
 * safe; an operation it could not apply (the ticket moved meanwhile) stays here as a conflict until
 * the engineer discards or retries it. Photos wait here as blobs and upload with their id as the
 * `Idempotency-Key`. Jobs last read are kept too, so the app opens without a network.
 */

export interface QueuedOp {
  opId: string;
  ticketId: string;
  baseVersion: number;
  createdAt: string;
  command: FieldCommand;
  /** Which job it was made on, to show it there. */
  visitId: string;
  ticketNumber: string;
  state: 'pending' | 'conflict';
  result?: OpResult;
}

export interface QueuedPhoto {
  id: string;
  ticketId: string;
  visitId: string;
  name: string;
  blob: Blob;
  createdAt: string;
  state: 'pending' | 'failed';
  error?: string;
}

interface Snapshot {
  ops: QueuedOp[];
  photos: QueuedPhoto[];
  syncing: boolean;
  online: boolean;
  lastSyncedAt: string | null;
}

const outboxStore = createStore('serviceloop-field', 'outbox');
const cacheStore = createStore('serviceloop-field-cache', 'cache');

let snapshot: Snapshot = { ops: [], photos: [], syncing: false, online: navigator.onLine, lastSyncedAt: null };
const listeners = new Set<() => void>();
let loaded: Promise<void> | null = null;
/** Writes to IndexedDB one after another, in the order the changes were made. */
let writing: Promise<unknown> = Promise.resolve();

function publish(next: Partial<Snapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const listener of listeners) listener();
}

function persist() {
  const { ops, photos } = snapshot;
  writing = writing.then(() => Promise.all([set('ops', ops, outboxStore), set('photos', photos, outboxStore)]));
  return writing;
}

export const outbox = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: () => snapshot,

  /** Reads the queue left by an earlier session and starts syncing when the network comes and goes. */
  load(): Promise<void> {
    loaded ??= (async () => {
      const [ops, photos] = await Promise.all([
        get<QueuedOp[]>('ops', outboxStore),
        get<QueuedPhoto[]>('photos', outboxStore),
      ]);
      publish({ ops: ops ?? [], photos: photos ?? [] });
      window.addEventListener('online', () => {
        publish({ online: true });
        void outbox.sync();
      });
      window.addEventListener('offline', () => publish({ online: false }));
      // A network that returns without an `online` event (a captive portal, a flaky cell) is tried too.
      setInterval(() => void outbox.sync(), 30_000);
      void outbox.sync();
    })();
    return loaded;
  },

  /** Queues what the engineer did (stored before it is sent), then tries to send it. */
  async enqueue(
    job: Pick<FieldJob, 'visitId'> & { ticket: { id: string; version: number; number: string } },
    command: FieldCommand,
  ) {
    await outbox.load();
    const op: QueuedOp = {
      opId: crypto.randomUUID(),
      ticketId: job.ticket.id,
      baseVersion: job.ticket.version,
      createdAt: new Date().toISOString(),
      command,
      visitId: job.visitId,
      ticketNumber: job.ticket.number,
      state: 'pending',
    };
    publish({ ops: [...snapshot.ops, op] });
    await persist();
    void outbox.sync();
    return op;
  },

  async addPhoto(job: { visitId: string; ticket: { id: string } }, file: File) {
    await outbox.load();
    const photo: QueuedPhoto = {
      id: crypto.randomUUID(),
      ticketId: job.ticket.id,
      visitId: job.visitId,
      name: file.name || 'photo.jpg',
      blob: file,
      createdAt: new Date().toISOString(),
      state: 'pending',
    };
    publish({ photos: [...snapshot.photos, photo] });
    await persist();
    void outbox.sync();
  },

  async discard(opId: string) {
    publish({ ops: snapshot.ops.filter((o) => o.opId !== opId) });
    await persist();
  },

  /** Sends a conflicted operation again as a new one, based on the version the ticket has now. */
  async retry(opId: string, version: number) {
    const old = snapshot.ops.find((o) => o.opId === opId);
    if (!old) return;
    const fresh = retried(old, crypto.randomUUID(), version);
    publish({ ops: snapshot.ops.map((o) => (o.opId === opId ? fresh : o)) });
    await persist();
    void outbox.sync();
  },

  async discardPhoto(id: string) {
    publish({ photos: snapshot.photos.filter((p) => p.id !== id) });
    await persist();
  },

  /**
   * Sends what waits. One run at a time, and one more right after when something was queued during
   * it; a failed network leaves everything queued for the next.
   */
  async sync(): Promise<void> {
    await outbox.load();
    return syncInTurn();
  },

  /** Called after each successful sync (the pages refetch). */
  onSynced(listener: () => void) {
    syncedListeners.add(listener);
    return () => syncedListeners.delete(listener);
  },
};

const syncedListeners = new Set<() => void>();

/** One sync: the pending operations in one batch, then the photos. */
async function sendWaiting(): Promise<void> {
  if (!navigator.onLine) return;
  const pending = snapshot.ops.filter((o) => o.state === 'pending');
  const photos = snapshot.photos.filter((p) => p.state === 'pending');
  if (pending.length === 0 && photos.length === 0) return;
  publish({ syncing: true });
  try {
    if (pending.length) {
      const results = await send(pending);
      publish({ ops: settle(snapshot.ops, results) });
      await persist();
    }
    for (const photo of photos) await uploadPhoto(photo);
    publish({ lastSyncedAt: new Date().toISOString() });
    for (const listener of syncedListeners) listener();
  } catch (error) {
    // Offline again or the server unreachable: everything stays queued.
    if (!(error instanceof TypeError)) console.warn('field sync failed', error);
  } finally {
    publish({ syncing: false });
  }
}

const syncInTurn = serialRuns(sendWaiting);

/**
 * One batch; if the server refuses the batch as malformed (a 400 — an app older than the server,
 * say), the ops go one by one so a single bad op becomes a conflict instead of blocking the queue.
 */
async function send(ops: QueuedOp[]): Promise<OpResult[]> {
  try {
    return (await post<SyncResponse>('/field/sync', { ops: ops.map(wire) })).results;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) throw error;
  }
  const results: OpResult[] = [];
  for (const op of ops) {
    try {
      results.push(...(await post<SyncResponse>('/field/sync', { ops: [wire(op)] })).results);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400)) throw error;
      results.push(refused(op, error));
    }
  }
  return results;
}

async function uploadPhoto(photo: QueuedPhoto) {
  const form = new FormData();
  form.append('visibility', 'customer');
  form.append('file', photo.blob, photo.name);
  const res = await fetch(`/api/v1/tickets/${photo.ticketId}/attachments`, {
    method: 'POST',
    headers: { ...uploadHeaders(), 'idempotency-key': photo.id },
    credentials: 'same-origin',
    body: form,
  });
  if (res.ok) {
    publish({ photos: snapshot.photos.filter((p) => p.id !== photo.id) });
  } else {
    const body = await res.json().catch(() => ({}));
    // Refused for good (too large, not an image): kept and shown, never retried blindly.
    if (res.status < 500) {
      const error = new ApiError(res.status, body.code ?? 'unknown', body.message ?? res.statusText);
      publish({
        photos: snapshot.photos.map((p) => (p.id === photo.id ? { ...p, state: 'failed', error: error.message } : p)),
      });
    }
  }
  await persist();
}

/** The last jobs and job details read, for opening the app without a network. */
export const jobCache = {
  jobs: (date: string) => get<FieldJob[]>(`jobs:${date}`, cacheStore),
  saveJobs: (date: string, jobs: FieldJob[]) => set(`jobs:${date}`, jobs, cacheStore),
  detail: (visitId: string) => get<FieldJobDetail>(`job:${visitId}`, cacheStore),
  saveDetail: (visitId: string, detail: FieldJobDetail) => set(`job:${visitId}`, detail, cacheStore),
  forget: (visitId: string) => del(`job:${visitId}`, cacheStore),
};
