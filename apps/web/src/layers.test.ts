import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web app's layers, from the top: `app/` is the router and the shell; the three faces
 * (`console/`, `field/`, `portal/`) lay out pages; `features/` are the pages and their parts;
 * `lib/` and `i18n/` serve everyone and know nobody. An import may only point down or sideways
 * within its own layer, so the shell can change without touching a page and a page without
 * touching another face.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'main.tsx': ['app'],
  app: ['app', 'console', 'field', 'portal', 'features', 'lib', 'i18n'],
  console: ['console', 'features', 'lib', 'i18n'],
  field: ['field', 'features', 'lib', 'i18n'],
  portal: ['portal', 'features', 'lib', 'i18n'],
  features: ['features', 'lib', 'i18n'],
  lib: ['lib'],
  i18n: ['i18n'],
};

const SRC = import.meta.dirname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });

/** Every relative import of the app's sources (static, dynamic and bare side-effect ones), by layer. */
function imports() {
  const found: { file: string; line: number; from: string; to: string }[] = [];
  for (const file of sources(SRC)) {
    const from = path.relative(SRC, file).split(path.sep)[0]!;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g)) {
          const to = path.relative(SRC, path.resolve(path.dirname(file), spec!)).split(path.sep)[0]!;
          found.push({ file: path.relative(SRC, file), line: i + 1, from, to });
        }
      });
  }
  return found;
}

describe('web app layers', () => {
  const all = imports();

  it('sees the imports it guards (the scan itself works)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual(expect.objectContaining({ from: 'app', to: 'console' }));
    expect(all).toContainEqual(expect.objectContaining({ from: 'portal', to: 'features' }));
    expect(new Set(all.map((i) => i.from))).toEqual(new Set(Object.keys(MAY_IMPORT)));
  });

  it('imports only down or within its own layer: nothing outside app/ reaches into the shell', () => {
    const upward = all
      .filter(({ from, to }) => !MAY_IMPORT[from]?.includes(to))
      .map(({ file, line, to }) => `${file}:${line} imports ${to}/`);
    expect(upward).toEqual([]);
  });
});
