/**
 * One run of `run` at a time. A request made while a run is going is not dropped: one more run
 * starts as soon as it ends (requests made meanwhile share that follow-up), so an operation queued
 * during a sync leaves right after it instead of at the next timer tick. The promise resolves once
 * a run that started after the request has finished.
 */
export function serialRuns(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let followUp: Promise<void> | null = null;
  const start = () => {
    current = run().finally(() => {
      current = null;
    });
    return current;
  };
  return () => {
    if (!current) return start();
    followUp ??= current
      .catch(() => undefined)
      .then(() => {
        followUp = null;
        return start();
      });
    return followUp;
  };
}
