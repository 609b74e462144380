import type { Bus } from '../../platform/bus';

const CHANNEL = 'sl_analytics_changed';

/**
 * Tells open dashboards that ticket facts changed. Bursts are merged: listeners hear at most one
 * notice per `intervalMs`, the last change of a burst never lost. Changes travel over the
 * platform bus, so a dashboard stream on one replica hears facts projected by any replica
 * (PostgreSQL LISTEN/NOTIFY; in-process on PGlite).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(at: string) => void>();
  private timer: NodeJS.Timeout | null = null;
  private pending = false;
  private last = 0;
  /** When listeners were last told of a change (ISO), for clients that poll instead of listening. */
  lastChangeAt: string | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly intervalMs = 250,
  ) {
    bus.subscribe(CHANNEL, () => this.heard());
    // Changes made while this replica was not listening: open dashboards refetch once.
    bus.onReconnect(() => this.heard());
  }

  subscribe(listener: (at: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Facts changed here: every replica's listeners hear it. */
  notify(): void {
    this.bus.publish(CHANNEL, {}).catch(() => this.heard());
  }

  private heard(): void {
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
