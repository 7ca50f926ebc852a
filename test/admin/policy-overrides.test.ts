import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { openPostgres } from '../../src/platform/db.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

const NOW = '2026-11-23T07:00:00Z';
const NATIONAL = {
  id: 'st-nat-1',
  center_id: null,
  full_name: 'Гончар Віктор',
  role: 'national_admin',
} as const;

interface Value {
  key: string;
  value: number;
  source: string;
  configured: number;
  default: number;
  min: number;
  max: number;
  changedByName: string | null;
}
interface Change {
  key: string;
  oldValue: number;
  oldSource: string;
  newValue: number;
  newSource: string;
  byName: string | null;
  reason: string;
}

describe.each(testDatabases())('§1: the national admin edits the global policy values on %s', (kind) => {
  let h: Harness;
  let admin: string;
  let head: string;
  beforeAll(async () => {
    // One value configured in the environment, the rest SPEC defaults.
    h = await createHarness(kind, { now: NOW, env: { LIMIT_ENTITY_TERMINAL_PER_DAY: '7' } });
    await seedCatalog(h.ctx.db);
    await h.ctx.db.insertInto('staff').values(NATIONAL).execute();
    admin = await staffCookie(h.app, 'national_admin');
    head = await staffCookie(h.app, 'center_head', CENTER);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    // Each test starts from the configured values: no override, no history.
    await h.ctx.db.deleteFrom('policy_overrides').execute();
    await h.ctx.db.deleteFrom('policy_changes').execute();
    await h.ctx.policy.refresh();
  });

  const read = async (cookie = admin) =>
    h.app.inject({ url: '/api/v1/admin/policy/values', headers: { cookie } });
  const put = (key: string, body: Record<string, unknown>, cookie = admin) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/policy/values/${key}`,
      headers: { cookie },
      payload: body,
    });
  const pick = (values: Value[], key: string) => values.find((v) => v.key === key);

  it('every value shows its source (default, config, override), its configured and default value and its range', async () => {
    const res = await read();
    expect(res.statusCode).toBe(200);
    const { values, history } = res.json() as { values: Value[]; history: Change[] };
    expect(history).toEqual([]);
    expect(pick(values, 'personOnlinePerMonth')).toMatchObject({
      value: 4,
      source: 'default',
      default: 4,
      min: 1,
      max: 31,
    });
    expect(pick(values, 'entityTerminalPerDay')).toMatchObject({
      value: 7,
      source: 'config',
      configured: 7,
      default: 6,
    });
    expect(pick(values, 'onlineShare')).toMatchObject({ value: 50, source: 'default', min: 0, max: 100 });
    // Structural values stay environment settings: not offered for editing.
    expect(pick(values, 'slotWindowMinutes')).toBeUndefined();
    expect(pick(values, 'cancelBeforeMinutes')).toBeUndefined();
  });

  it('rule 1: a lowered online limit applies to the next booking at once (the second online booking of the month is refused)', async () => {
    const res = await put('personOnlinePerMonth', {
      value: 1,
      reason: 'Тимчасово: наплив перекупників у листопаді',
    });
    expect(res.statusCode).toBe(200);
    expect(pick(res.json().values, 'personOnlinePerMonth')).toMatchObject({
      value: 1,
      source: 'override',
      changedByName: 'Гончар Віктор',
    });
    const person = await citizenCookie(h.app, { rnokpp: rnokpp(151_001) });
    const me = (await h.app.inject({ url: '/api/v1/me', headers: { cookie: person.cookie } })).json();
    expect(me.limits.online.limit).toBe(1);
    const first = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 3 });
    const second = await addSlot(h.ctx.db, { day: '2026-11-26', time: '10:00', capacity: 3 });
    expect((await h.client.book({ cookie: person.cookie }, { slotId: first })).statusCode).toBe(201);
    const refused = await h.client.book({ cookie: person.cookie }, { slotId: second });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('LIMIT_REACHED');
  });

  it('each change is in the history and the audit log with the staff member’s name, old and new value and the reason', async () => {
    expect(
      (await put('horizonDays', { value: 14, reason: 'Скорочення горизонту на час зими' })).statusCode,
    ).toBe(200);
    expect(
      (await put('horizonDays', { value: 28, reason: 'Повернення після зими, з запасом' })).statusCode,
    ).toBe(200);
    const { history } = (await read()).json() as { history: Change[] };
    expect(history.map((c) => [c.key, c.oldValue, c.oldSource, c.newValue, c.newSource, c.byName])).toEqual([
      ['horizonDays', 14, 'override', 28, 'override', 'Гончар Віктор'],
      ['horizonDays', 21, 'default', 14, 'override', 'Гончар Віктор'],
    ]);
    expect(history[0]?.reason).toBe('Повернення після зими, з запасом');
    const audit = (
      await h.app.inject({ url: '/api/v1/admin/audit?action=policy.changed', headers: { cookie: admin } })
    ).json().items;
    expect(audit[0]).toMatchObject({
      actorKind: 'national_admin',
      actorId: NATIONAL.id,
      actorName: 'Гончар Віктор',
      subjectKind: 'policy',
      subjectId: 'horizonDays',
      details: { from: 14, to: 28, reason: 'Повернення після зими, з запасом' },
    });
  });

  it('removing an override (value null) restores the configured value, recorded as a change back to config', async () => {
    await put('entityTerminalPerDay', { value: 9, reason: 'Пілот для автосалонів області' });
    expect(h.ctx.config.policy.entityTerminalPerDay).toBe(9);
    const res = await put('entityTerminalPerDay', { value: null, reason: 'Пілот завершено, як було' });
    expect(res.statusCode).toBe(200);
    expect(pick(res.json().values, 'entityTerminalPerDay')).toMatchObject({ value: 7, source: 'config' });
    expect(h.ctx.config.policy.entityTerminalPerDay).toBe(7);
    expect(res.json().history[0]).toMatchObject({
      oldValue: 9,
      oldSource: 'override',
      newValue: 7,
      newSource: 'config',
    });
    // Nothing to remove any more.
    expect((await put('entityTerminalPerDay', { value: null, reason: 'Ще раз те саме' })).statusCode).toBe(
      400,
    );
  });

  it('out-of-range, fractional, inconsistent values and a missing reason are refused and change nothing', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['personOnlinePerMonth', { value: 0, reason: 'Нульовий ліміт закрив би запис' }],
      ['personOnlinePerMonth', { value: 32, reason: 'Більше, ніж днів у місяці' }],
      ['horizonDays', { value: 14.5, reason: 'Дробове значення днів' }],
      ['onlineShare', { value: 101, reason: 'Понад сто відсотків' }],
      // Rule 3: the random return delay needs min ≤ max (30 by default).
      ['resaleDelayMinMinutes', { value: 45, reason: 'Більше за найбільшу затримку' }],
      // The lottery window must close before midnight of the release day (06:00 + 20 h).
      ['lotteryWindowMinutes', { value: 121, reason: 'Поза межами вікна' }],
      ['personOnlinePerMonth', { value: 5, reason: 'коротко' }],
      ['personOnlinePerMonth', { value: 5 }],
      ['slotWindowMinutes', { value: 15, reason: 'Не редагується в консолі' }],
    ];
    for (const [key, body] of cases) {
      const res = await put(key, body);
      expect(res.statusCode, `${key} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json().code).toBe('VALIDATION');
    }
    expect((await read()).json().history).toEqual([]);
    expect(h.ctx.config.policy.personOnlinePerMonth).toBe(4);
    expect(h.ctx.config.policy.resaleDelayMinMinutes).toBe(5);
  });

  it('a center head, an operator and a citizen get 403, anonymous 401: on reading and on changing', async () => {
    const operator = await staffCookie(h.app, 'operator', CENTER);
    const citizen = (await citizenCookie(h.app, { rnokpp: rnokpp(151_002) })).cookie;
    for (const cookie of [head, operator, citizen]) {
      expect((await read(cookie)).statusCode).toBe(403);
      expect(
        (await put('horizonDays', { value: 14, reason: 'Спроба не того працівника' }, cookie)).statusCode,
      ).toBe(403);
    }
    expect((await h.app.inject({ url: '/api/v1/admin/policy/values' })).statusCode).toBe(401);
    expect((await read()).json().history).toEqual([]);
  });

  it('rule 8: the national online share is the default of new centers; a center’s own share keeps priority', async () => {
    const res = await put('onlineShare', { value: 80, reason: 'Більше онлайн для нових центрів' });
    expect(res.statusCode).toBe(200);
    expect(h.ctx.config.policy.onlineShare).toBe(0.8);
    const center = await h.ctx.db
      .selectFrom('centers')
      .select('online_share')
      .where('id', '=', CENTER)
      .executeTakeFirstOrThrow();
    expect(Number(center.online_share)).toBe(0.7);
    const settings = await h.app.inject({
      url: `/api/v1/admin/centers/${CENTER}`,
      headers: { cookie: head },
    });
    expect(settings.json().onlineShare).toBe(0.7);
  });

  it('§6 scale-out: another server process on the same database applies the change without a restart', async () => {
    // A second process: its own Policy object, its own database connections and listener.
    const second =
      h.handle.kind === 'postgres' && h.handle.url
        ? await openPostgres(h.handle.url, { poolSize: 2 })
        : h.handle;
    const config = { ...h.config, policy: { ...h.ctx.config.policy }, policyRefreshMs: 0 };
    const other = createContext({ config, handle: second, clock: h.clock });
    await other.policy.start();
    try {
      expect(config.policy.noShowBlockDays).toBe(30);
      expect(
        (await put('noShowBlockDays', { value: 14, reason: 'Коротше блокування на пілоті' })).statusCode,
      ).toBe(200);
      await expect.poll(() => config.policy.noShowBlockDays, { timeout: 5_000 }).toBe(14);
    } finally {
      await other.policy.stop();
      if (second !== h.handle) await second.close();
    }
  });
});
