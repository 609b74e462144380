import { describe, expect, it } from 'vitest';
import { serialRuns } from './serial-runs';

/** A run that waits until the test lets it finish, recording when each run starts. */
function gatedRuns() {
  const started: number[] = [];
  const gates: (() => void)[] = [];
  const run = () =>
    new Promise<void>((resolve) => {
      started.push(started.length + 1);
      gates.push(resolve);
    });
  return { run, started, finish: (i: number) => gates[i]!() };
}

describe('serial runs (the field outbox sync)', () => {
  it('runs again right after the current run when asked during it — not at the next timer tick', async () => {
    const { run, started, finish } = gatedRuns();
    const sync = serialRuns(run);
    const first = sync();
    // An op queued while the first sync is on the wire asks for a sync.
    const second = sync();
    expect(started).toEqual([1]);
    finish(0);
    await first;
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    finish(1);
    await second;
  });

  it('shares one follow-up between all the requests made during a run', async () => {
    const { run, started, finish } = gatedRuns();
    const sync = serialRuns(run);
    void sync();
    const a = sync();
    const b = sync();
    expect(a).toBe(b);
    finish(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2]);
    finish(1);
    await a;
    // Idle again: the next request starts a run at once.
    void sync();
    expect(started).toEqual([1, 2, 3]);
  });

  it('still runs the follow-up when the run before it failed', async () => {
    let calls = 0;
    const sync = serialRuns(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch');
    });
    const first = sync();
    const second = sync();
    await expect(first).rejects.toThrow('Failed to fetch');
    await second;
    expect(calls).toBe(2);
  });
});
