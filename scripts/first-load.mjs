#!/usr/bin/env node
// What each face downloads on a first visit, as the server sends it: the page, the entry script
// and its static imports, and the route chunks of the sign-in page, the face's layout and its
// landing pages — walked through Vite's build manifest (apps/web/dist/.vite/manifest.json). Each
// file weighs what goes over the wire: the .gz or .br the build wrote beside it (gzip over plain
// http, brotli over https), or the file itself where none was written (under 1 KB).
// `node scripts/first-load.mjs` prints the table; tests/e2e/weight.e2e.ts holds the limits.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// What the console and the field app load with their layouts and the portal goes without
// (apps/web/src/app/routes.tsx, `staff`).
const STAFF = ['src/app/StaffFrame.tsx', 'virtual:messages/zh-CN/staff'];

export const FACES = {
  // A customer: sign in, then the requests, or the report form for a device whose QR label was scanned.
  portal: ['src/portal/PortalLayout.tsx', 'src/portal/ReportPage.tsx', 'src/portal/PortalHome.tsx'],
  // An engineer opening the app: sign in, then the day's visits.
  field: ['src/field/FieldLayout.tsx', 'src/field/FieldHome.tsx', ...STAFF],
  // A dispatcher or manager: sign in, then the workbench.
  console: ['src/console/ConsoleLayout.tsx', 'src/console/HomePage.tsx', ...STAFF],
};
const SIGN_IN = 'src/features/identity/LoginPage.tsx';

export function firstLoad(dist, face) {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  const files = new Set(['index.html']);
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of ['index.html', SIGN_IN, ...FACES[face]]) {
    if (key === 'index.html') for (const css of manifest[key].css ?? []) files.add(css);
    visit(key);
  }
  const sent = (file, suffix) => {
    const full = path.join(dist, file);
    return statSync(existsSync(full + suffix) ? full + suffix : full).size;
  };
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    raw += sent(file, '');
    gzip += sent(file, '.gz');
    brotli += sent(file, '.br');
  }
  return { files: files.size, raw, gzip, brotli };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = path.resolve(import.meta.dirname, '../apps/web/dist');
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`.padStart(8);
  console.log('face      files      raw     gzip   brotli');
  for (const face of Object.keys(FACES)) {
    const f = firstLoad(dist, face);
    console.log(`${face.padEnd(8)} ${String(f.files).padStart(6)} ${kb(f.raw)} ${kb(f.gzip)} ${kb(f.brotli)}`);
  }
}
