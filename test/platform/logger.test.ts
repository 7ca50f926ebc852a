import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, lazyChildLogger } from '../../src/platform/logger.js';

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

describe("a request's logger is made only when the request writes a line (#19)", () => {
  async function run(level: string) {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger(level, sink, { requestLogs: false });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      genReqId: () => 'req-1',
      childLoggerFactory: lazyChildLogger,
    });
    app.get('/quiet', async (request) => {
      request.log.info({ passport: 'КВ123456' }, 'an info line');
      return { ok: true };
    });
    app.get('/loud', async (request) => {
      request.log.warn({ passport: 'КВ123456', person: { rnokpp: '1234567890' } }, 'a warning');
      request.log.debug('a debug line');
      return { ok: true };
    });
    await app.ready();
    const before = children;
    await app.inject({ url: '/quiet' });
    const quietChildren = children - before;
    await app.inject({ url: '/loud' });
    await app.close();
    return { lines, quietChildren, children: children - before };
  }

  it('at warn: an info line makes no child and writes nothing; a warning is written with the request id, redacted', async () => {
    const { lines, quietChildren, children } = await run('warn');
    expect(quietChildren).toBe(0);
    expect(children).toBe(1);
    expect(lines.map((l) => l.msg)).toEqual(['a warning']);
    expect(lines[0]).toMatchObject({
      reqId: 'req-1',
      passport: '[скрито]',
      person: { rnokpp: '[скрито]' },
      level: 40,
    });
  });

  it("at info: the info line is written with the request id, as pino's own child writes it", async () => {
    const { lines } = await run('info');
    const quiet = lines.find((l) => l.msg === 'an info line');
    expect(quiet).toMatchObject({ reqId: 'req-1', passport: '[скрито]', level: 30 });
    expect(lines.some((l) => l.msg === 'a debug line')).toBe(false);
  });

  it('a Fastify without our logger keeps its own (silent) child', () => {
    const app = Fastify({ childLoggerFactory: lazyChildLogger });
    expect(() => app.log.child({})).not.toThrow();
  });
});
