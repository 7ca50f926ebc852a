import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';

async function logsOf(requestLogs: boolean) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink, { requestLogs });
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.inject({ url: '/ok' });
  await app.inject({ url: '/boom' });
  logger.info('demo data seeded');
  await app.close();
  return lines.map((l) => JSON.parse(l) as { msg: string });
}

describe('request logs (the demo terminal shows its start-up URLs, not a line per request)', () => {
  it('without request logs: no line per request, but errors and other messages still log', async () => {
    const messages = (await logsOf(false)).map((l) => l.msg);
    expect(messages).not.toContain('incoming request');
    expect(messages).not.toContain('request completed');
    expect(messages).toContain('boom');
    expect(messages).toContain('demo data seeded');
  });

  it('with request logs (production, LOG_LEVEL=debug): both lines per request', async () => {
    const messages = (await logsOf(true)).map((l) => l.msg);
    expect(messages.filter((m) => m === 'incoming request')).toHaveLength(2);
    expect(messages.filter((m) => m === 'request completed')).toHaveLength(2);
  });
});
