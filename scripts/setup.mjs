// What `npm start` and `npm test` both need on a fresh clone, in either order: the dependencies
// installed and the server and web built. Only Node's standard library here: this runs before
// any dependency exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

/** Runs a command in the repository, its output shown; a failure ends this process with its code. */
export function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  if (existsSync(installed) && mtime(path.join(root, 'package-lock.json')) <= mtime(installed)) return;
  console.log('› Installing dependencies (npm ci, a few minutes on a fresh clone)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** `npm run build` when a source under apps/ or packages/ is newer than the built server or web. */
export function ensureBuilt() {
  const sources = Math.max(newest(path.join(root, 'apps')), newest(path.join(root, 'packages')));
  const built = Math.min(
    mtime(path.join(root, 'apps/server/dist/main.js')),
    mtime(path.join(root, 'apps/web/dist/index.html')),
  );
  if (sources <= built) return;
  console.log('› Building server and web…');
  run('npm', ['run', 'build']);
}
