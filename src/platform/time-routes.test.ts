import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { onlineHorizon } from '../booking/booking-rules.js';
import { fixedClock } from './clock.js';
import { timeRoutes } from './time-routes.js';

const policy = {
  horizonDays: 21,
  releaseHour: 6,
  cancelBeforeMinutes: 120,
  personOnlinePerMonth: 4,
  noShowBlockThreshold: 4,
};

async function ask(at: string) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(
    timeRoutes({ clock: fixedClock(at), horizon: (now) => onlineHorizon(now, policy), policy }),
  );
  const res = await app.inject({ method: 'GET', url: '/api/v1/time' });
  await app.close();
  return res;
}

describe('GET /api/v1/time: screens take today, the window and the clock from the server', () => {
  it('answers the server clock, the Kyiv day and the online window D+1 … D+21 after 06:00', async () => {
    const res = await ask('2026-12-08T08:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      now: '2026-12-08T08:00:00.000Z',
      today: '2026-12-08',
      horizonFrom: '2026-12-09',
      horizonTo: '2026-12-29',
      timeZone: 'Europe/Kyiv',
      policy: { horizonDays: 21, cancelBeforeMinutes: 120, personOnlinePerMonth: 4, noShowBlockThreshold: 4 },
    });
  });

  it('counts the day in Kyiv: 23:30 UTC is already the next day there; before 06:00 the 21st day is not open', async () => {
    const body = (await ask('2026-12-08T23:30:00Z')).json();
    expect(body.today).toBe('2026-12-09');
    expect(body.horizonFrom).toBe('2026-12-10');
    expect(body.horizonTo).toBe('2026-12-29');
  });
});
