import { loadConfig } from './platform/config';
import { createServer } from './server';

const config = loadConfig();
const server = await createServer({ config });
server.startWorkers();
await server.app.listen({ port: config.port, host: config.host });

const shutdown = async (signal: string) => {
  server.platform.log.info({ signal }, 'shutting down');
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
