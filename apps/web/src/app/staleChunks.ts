/**
 * After a restart or an upgrade, a page still running the previous build asks for chunks whose
 * hashed names are gone (404). The cure is to load the new build: reload once. "Once": a second
 * failure within a minute (offline, or a broken deploy) shows the error page instead of looping.
 * The route's error page does it, not a `vite:preloadError` listener: that fires before the router
 * commits the new URL, so its reload would land on the page the reader was leaving.
 */
const KEY = 'serviceloop.reloadedForChunkAt';
const GUARD_MS = 60_000;

/** How each browser words a dynamic import or a preload that failed to load. */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error ?? '');
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS|Failed to load module script/i.test(
    message,
  );
}

/** Reloads unless it already did so lately; tells whether it did. */
export function reloadOnce(
  storage: Pick<Storage, 'getItem' | 'setItem'> = sessionStorage,
  reload: () => void = () => window.location.reload(),
  now = Date.now(),
): boolean {
  const last = Number(storage.getItem(KEY) ?? 0);
  if (now - last < GUARD_MS) return false;
  storage.setItem(KEY, String(now));
  reload();
  return true;
}
