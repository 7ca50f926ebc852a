import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { seedDemoData } from './catalog/demo-seed.js';
import { ConfigError, loadConfig } from './config.js';
import { createContext } from './context.js';
import { backgroundJobs } from './jobs.js';
import { offsetClock, systemClock } from './platform/clock.js';
import { openDatabase } from './platform/db.js';
import { logDatabaseErrors } from './platform/db-errors.js';
import { startJobs } from './platform/jobs.js';
import { createLogger } from './platform/logger.js';
import { migrate } from './platform/migrate.js';

/** Starts one server process: configuration, database, migrations, demo data, jobs, HTTP. */
export async function serve() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`E-Запис не запущено: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  // The demo's terminal shows the start-up URLs, not a line per request (LOG_LEVEL=debug shows them).
  const requestLogs = config.production || config.logLevel === 'debug' || config.logLevel === 'trace';
  const logger = createLogger(config.logLevel, undefined, { requestLogs });
  const clock = config.demoNow ? offsetClock(config.demoNow) : systemClock;
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    ...config.databaseTimeouts,
    onError: logDatabaseErrors(logger),
  });
  const applied = await migrate(handle);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const ctx = createContext({ config, handle, clock, logger });
  if (config.demo && (await seedDemoData(ctx))) logger.info('demo data seeded');
  const app = await buildApp(ctx, logger);
  await ctx.start(app);
  const stopJobs = config.jobs
    ? startJobs(app.metrics.timeJobs(backgroundJobs(ctx)), logger)
    : async () => {};

  const address = await app.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const mode = config.production ? 'production' : 'demo';
  const lines = [
    `E-Запис (${mode}, database: ${handle.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    ...ctx.surfaces(base).map(([name, url]) => `  ${name.padEnd(22)} ${url}`),
  ];
  // In cluster mode every worker serves the same port; one of them prints the URLs.
  if (!cluster.isWorker || cluster.worker?.id === 1) console.log(lines.join('\n'));

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await stopJobs();
    await ctx.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
