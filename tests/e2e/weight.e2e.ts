import path from 'node:path';
import { describe, expect, it } from 'vitest';
// The same walk `node scripts/first-load.mjs` prints.
import { FACES, firstLoad } from '../../scripts/first-load.mjs';

const dist = path.resolve(import.meta.dirname, '../../apps/web/dist');

/**
 * Each face's first load, as the server sends it over plain http (the precompressed .gz files; the
 * .br sent over https are ~12 % smaller), may not grow past its budget.
 * - portal 300 KB: issue 13's promise to a customer who scanned a label on a weak mobile link
 *   (293 KB on 2026-12-07 for sign-in, the requests and the report form, after leaving antd's App,
 *   Card, List, Select and Result and the other faces' messages off its path).
 * - console 480 KB: 461 KB once the header search and the holiday banner load after the frame;
 *   the margin is for the next small feature, not for a heavy dependency on the first paint.
 * - field 395 KB: 382 KB with today's jobs as plain rows; its layout carries the staff's messages.
 */
const BUDGET_KB: Record<string, number> = { portal: 300, field: 395, console: 480 };

describe('first-load weight of the built web app', () => {
  it.each(Object.keys(FACES))('%s stays within its budget', (face) => {
    const load = firstLoad(dist, face) as { raw: number; gzip: number; brotli: number };
    console.log(`${face}: ${Math.round(load.gzip / 1024)} KB gzip, ${Math.round(load.brotli / 1024)} KB brotli`);
    expect(load.gzip / 1024).toBeLessThan(BUDGET_KB[face]!);
    // Compression does its part: minified bundles shrink at least 2.5-fold.
    expect(load.gzip).toBeLessThan(load.raw / 2.5);
  });
});
