import { loadConfig } from './platform/config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoOnce } from './seed/demo';
import { createServer } from './server';

const config = loadConfig();
const server = await createServer({ config });
const { identity } = server.modules;

const admin = await identity.service.ensureAdmin(config.adminPassword);
const demo = config.seedDemo ? await seedDemoOnce(server) : null;
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
