// Bundles the server into dist/main.js (or the directory given, which must sit beside dist: the
// bundle finds ../migrations). Our workspace packages are bundled in (they ship TypeScript source);
// npm dependencies stay external and load from node_modules.
import { existsSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(
    Object.entries({ main: 'src/main.ts', seed: 'src/seed/cli.ts' }).filter(([, file]) => existsSync(file)),
  ),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  alias: { '@serviceloop/contracts': '../../packages/contracts/src/index.ts' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
