import { loadConfig } from './platform/config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoOnce } from './seed/demo';
import { createServer } from './server';

const config = loadConfig();
// A first start creates the database, applies every migration and writes the demo data (~30 s on a
// small machine): say what is happening rather than stay silent.
console.log(`› Opening the database${config.databaseUrl ? '' : ` in ${config.dataDir}`}…`);
const server = await createServer({
  config,
  onMigrated: ({ file, index, total }) => console.log(`  migration ${index}/${total} ${file}`),
});
const { identity } = server.modules;

const admin = await identity.service.ensureAdmin(config.adminPassword);
const demo = config.seedDemo ? await whileSaying('Writing the demo data', seedDemoOnce(server)) : null;
server.startWorkers();
const address = await server.app.listen({ port: config.port, host: config.host });

const url = `http://localhost:${new URL(address).port}`;
const lines = [
  '',
  `  ServiceLoop 售后服务管理 is running: ${url}`,
  `  API reference: ${url}/api/docs`,
  `  Database: ${server.platform.database.kind}${config.databaseUrl ? '' : ` (${config.dataDir})`}`,
];
if (admin.password) lines.push(`  Administrator: admin / ${admin.password}   (shown once; change it after signing in)`);
else if (admin.created) lines.push('  Administrator: admin / (ADMIN_PASSWORD)');
if (config.seedDemo) {
  lines.push(`  Demo accounts (password ${DEMO_PASSWORD}):`);
  for (const { username, displayName } of DEMO_ACCOUNTS) {
    lines.push(`    ${username.padEnd(10)} ${displayName}`);
  }
  if (demo) lines.push('  Demo data created on this first start.');
}
console.log(`${lines.join('\n')}\n`);

const shutdown = async (signal: string) => {
  server.platform.log.info({ signal }, 'shutting down');
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

/** Prints a line every few seconds while slow work runs (nothing when it is quick: a restart). */
async function whileSaying<T>(what: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const ticker = setInterval(() => console.log(`› ${what}… ${seconds()} s`), 3000);
  try {
    const result = await work;
    if (seconds() >= 3) console.log(`✓ ${what}: done in ${seconds()} s`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}
