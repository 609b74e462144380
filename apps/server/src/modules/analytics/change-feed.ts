/**
 * Tells open dashboards that ticket facts changed. Bursts are merged: listeners hear at most one
 * notice per `intervalMs`, the last change of a burst never lost. In-process: a listener hears the
 * changes this process projected (with several replicas, each dashboard stream follows the replica
 * serving it — see docs/kpis.md).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(at: string) => void>();
  private timer: NodeJS.Timeout | null = null;
  private pending = false;
  private last = 0;
  /** When listeners were last told of a change (ISO), for clients that poll instead of listening. */
  lastChangeAt: string | null = null;

  constructor(private readonly intervalMs = 250) {}

  subscribe(listener: (at: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.pending = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.pending) this.emit();
    }, wait);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private emit(): void {
    this.pending = false;
    this.last = Date.now();
    const at = new Date().toISOString();
    this.lastChangeAt = at;
    for (const listener of this.listeners) listener(at);
  }
}
