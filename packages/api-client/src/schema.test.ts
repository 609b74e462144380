import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';

const here = path.resolve(import.meta.dirname, '..');
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('openapi-typescript/package.json')),
  'bin/cli.js',
);

it('holds the types generated from the committed docs/openapi.json', () => {
  const run = spawnSync(process.execPath, [cli, '../../docs/openapi.json', '--output', 'src/schema.ts', '--check'], {
    cwd: here,
    encoding: 'utf8',
  });
  expect(
    run.status === 0 ? '' : `${run.stdout}${run.stderr}`,
    'src/schema.ts is not what docs/openapi.json generates: run `npm run openapi` and review the diff',
  ).toBe('');
});
