import { describe, expect, it } from 'vitest';
import { isChunkLoadError, reloadOnce } from './staleChunks';

describe('a chunk of an older release that is gone', () => {
  it('is recognised in the words of Chromium, Firefox and Safari, and nothing else is', () => {
    expect(
      isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: http://x/assets/JobPage-a1.js')),
    ).toBe(true);
    expect(isChunkLoadError(new TypeError('error loading dynamically imported module'))).toBe(true);
    expect(isChunkLoadError(new TypeError('Importing a module script failed.'))).toBe(true);
    expect(isChunkLoadError(new Error('Unable to preload CSS for /assets/index-b2.css'))).toBe(true);
    expect(isChunkLoadError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isChunkLoadError(null)).toBe(false);
  });

  it('reloads the page once, not again within a minute (offline, or a broken release)', () => {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => stored.set(k, v),
    };
    let reloads = 0;
    const reload = () => reloads++;
    expect(reloadOnce(storage, reload, 1_000_000)).toBe(true);
    expect(reloadOnce(storage, reload, 1_030_000)).toBe(false);
    expect(reloads).toBe(1);
    // A later release, much later: reloads again.
    expect(reloadOnce(storage, reload, 1_100_000)).toBe(true);
    expect(reloads).toBe(2);
  });
});
