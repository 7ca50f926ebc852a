import { ConfigError, loadConfig } from './config.js';
import { feedbackLinks } from './feedback/feedback-service.js';
import { checkInCode } from './hall/check-in-code.js';
import { queueAheadMs } from './hall/queue-wait.js';
import { createNotifyService } from './notify/notify-service.js';
import { offsetClock, systemClock } from './platform/clock.js';
import { createPiiCrypto } from './platform/crypto.js';
import { openDatabase } from './platform/db.js';
import { logDatabaseErrors } from './platform/db-errors.js';
import { createEventBus } from './platform/events.js';
import { startJobs } from './platform/jobs.js';
import { createLogger } from './platform/logger.js';
import { migrate } from './platform/migrate.js';

/**
 * `npm run worker`: the outbox worker on its own (production runs one or more beside the HTTP
 * servers, on the same PostgreSQL; SKIP LOCKED claims let them share the work). Also runs the
 * evening reminder job. Stops gracefully: the round in flight finishes, then the pool closes.
 */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`E-Запис worker не запущено: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    // PGlite is one in-process database: a second process cannot open it. `npm start` runs the
    // worker itself in that case.
    console.error(
      'E-Запис worker: потрібен DATABASE_URL (PostgreSQL). Без нього воркер працює всередині npm start.',
    );
    process.exit(2);
  }
  const clock = config.demoNow ? offsetClock(config.demoNow) : systemClock;
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    poolSize: Math.min(config.databasePoolSize, 5),
    ...config.databaseTimeouts,
    onError: logDatabaseErrors(logger),
  });
  await migrate(handle);
  // Only what sending needs: the outbox worker, its transports and the data its messages read.
  const crypto = createPiiCrypto({ keys: config.piiKeys, hmacKey: config.piiHmacKey });
  const notify = createNotifyService({
    config,
    db: handle.db,
    clock,
    crypto,
    events: createEventBus(handle),
    logger,
    feedbackToken: feedbackLinks(crypto, config.notify.feedbackLinkDays),
    queueAheadMs,
    checkInCode: (id, day) => checkInCode(crypto, id, day),
  });
  await notify.start();
  const stopJobs = startJobs(
    [
      { name: 'reminders', everyMs: 5 * 60_000, run: () => notify.sendReminders() },
      { name: 'outbox-purge', everyMs: 60 * 60_000, run: () => notify.purgeSent() },
    ],
    logger,
  );
  logger.info(
    { sms: config.notify.sms, smtp: config.smtpUrl ? 'SMTP_URL' : notify.mailbox?.url },
    'outbox worker started',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'outbox worker stopping');
    await stopJobs();
    await notify.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
