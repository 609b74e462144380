import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, transformWithOxc } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { PORTAL_SECTIONS } from './src/i18n/faces';

/**
 * Writes `.br` and `.gz` beside every text file of the build, at the highest levels (too slow per
 * request, free once at build): the server sends them as they are (@fastify/static preCompressed).
 * Runs last, so the service worker written by the PWA plugin is compressed too.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  const textFile = /\.(js|css|html|svg|json|webmanifest)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  return {
    name: 'serviceloop:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir).filter((f) => textFile.test(f))) {
          const bytes = readFileSync(file);
          if (bytes.length < 1024) continue;
          writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
          writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        }
      },
    },
  };
}

/**
 * `virtual:messages/zh-CN/portal` and `…/staff`: the Chinese messages split by face, so the
 * customer's first load carries the portal's sections only. The files of src/i18n/zh-CN/ (one per
 * feature, each exporting its sections) are plain data: stripped of their types and evaluated
 * here, once per build.
 */
function messagesByFace(): Plugin {
  const prefix = 'virtual:messages/zh-CN/';
  const dir = path.resolve(import.meta.dirname, 'src/i18n/zh-CN');
  async function sectionsOf(file: string): Promise<[string, unknown][]> {
    const { code } = await transformWithOxc(readFileSync(file, 'utf8'), file);
    const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
    const exports = (await import(url)) as Record<string, Record<string, unknown>>;
    return Object.values(exports).flatMap((feature) => Object.entries(feature));
  }
  return {
    name: 'serviceloop:messages-by-face',
    resolveId: (id) => (id.startsWith(prefix) ? `\0${id}` : undefined),
    async load(id) {
      if (!id.startsWith(`\0${prefix}`)) return undefined;
      const files = readdirSync(dir)
        .filter((name) => name.endsWith('.ts'))
        .map((name) => path.join(dir, name));
      const all: [string, unknown][] = [];
      for (const file of files) {
        this.addWatchFile(file);
        all.push(...(await sectionsOf(file)));
      }
      // zh-CN.ts spreads the features into one object: a section in two files would lose one silently.
      const twice = all.map(([name]) => name).filter((name, i, names) => names.indexOf(name) !== i);
      if (twice.length > 0) this.error(`message sections defined in two files of ${dir}: ${twice.join(', ')}`);
      const portal = id.endsWith('/portal');
      const sections = all.filter(([name]) => PORTAL_SECTIONS.includes(name) === portal);
      return `export default ${JSON.stringify(Object.fromEntries(sections))};`;
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    messagesByFace(),
    // The engineer's app opens without a network in a basement plant room, on any of its pages,
    // even one never opened online: its worker precaches the whole build at install (Workbox).
    // Registered by the field layout only, so the console and the portal carry no worker.
    VitePWA({
      strategies: 'generateSW',
      filename: 'field-sw.js',
      injectRegister: false,
      manifest: false,
      workbox: {
        cacheId: 'serviceloop-field',
        globPatterns: ['index.html', 'assets/*.{js,css,svg,png,woff2}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Offline, /field and /field/jobs/<id> open the precached page; the API is never cached
        // here: the app keeps its own copies of jobs in IndexedDB.
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/field(\/|$)/],
        cleanupOutdatedCaches: true,
        // A new release takes over at once: the page reloads once on a chunk it can no longer find.
        skipWaiting: true,
        clientsClaim: true,
      },
    }),
    precompress(),
  ],
  server: { proxy: { '/api': 'http://localhost:3000' } },
  build: {
    chunkSizeWarningLimit: 1500,
    // Tells which chunks a page needs: scripts/first-load.mjs weighs each face's first load with it.
    manifest: true,
    rollupOptions: {
      output: {
        // Charts change less often than our code and only the analytics pages need them. antd is
        // left to the bundler, split by the pages that use each component, so the portal and the
        // field app do not download the console's tables, trees and pickers.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          return undefined;
        },
      },
    },
  },
});
