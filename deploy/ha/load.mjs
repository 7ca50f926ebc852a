// The booking load of deploy/ha/chaos: seeds a center, citizens with sessions and slots through
// HAProxy, books through HAProxy at a steady rate until told to stop, retries every attempt that
// got no definitive answer with the same Idempotency-Key, then checks the database.
// Run by deploy/ha/chaos (Node >= 22); progress goes to stderr, the result to $HA_DIR/result.json.
import { createCipheriv, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

const env = (name, fallback) => process.env[name] ?? fallback;
const APP = new URL(env('HA_APP_URL', 'http://127.0.0.1:15080'));
const DB_URL = env('HA_PG_URL');
const DIR = env('HA_DIR');
const RATE = Number(env('HA_RATE', '10')); // new booking attempts per second
const MAX_LOAD_SECONDS = Number(env('HA_MAX_LOAD_SECONDS', '240'));
const IN_FLIGHT = Number(env('HA_IN_FLIGHT', '64'));
// An attempt still without a definitive answer this long after the load stopped is "unresolved".
const DRAIN_SECONDS = Number(env('HA_DRAIN_SECONDS', '90'));
const RETRY_MS = 200;
const REQUEST_TIMEOUT_MS = 15_000;

const CENTER = 'ha-chaos';
const GROUP = 'ha-chaos-grp';
const SERVICE = 'ha-chaos-svc';
// Answers that settle an attempt: 201, or a 4xx refusal (SLOT_TAKEN; anything else is counted and
// shows in the result). Retried with the same key: no answer, 5xx, 429, a proof-of-work refusal
// (then a fresh challenge is solved) and "the request with this key is still processing".
const RETRIED_REFUSALS = new Set(['ANTIBOT_REQUIRED', 'RATE_LIMITED', 'CONFLICT']);

const log = (msg) => process.stderr.write(`chaos: load: ${msg}\n`);
const t0 = performance.now();
const now = () => (performance.now() - t0) / 1000;

// The servers' personal-data keys (PII_KEYS: "id:base64,…", the first encrypts; PII_HMAC_KEY).
const pii = (() => {
  const [keyId, keyB64] = env('HA_PII_KEYS', '').split(',')[0].split(':');
  const key = Buffer.from(keyB64 ?? '', 'base64');
  const hmacKey = Buffer.from(env('HA_PII_HMAC_KEY', ''), 'base64');
  return {
    hash: (kind, value) => createHmac('sha256', hmacKey).update(`${kind}:${value}`).digest('base64url'),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        keyId,
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        data.toString('base64'),
      ].join(':');
    },
  };
})();

// --- seed ------------------------------------------------------------------------------------

async function seed(db, citizens) {
  const hours = JSON.stringify(
    Object.fromEntries(
      ['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { open: '08:00', close: '18:00' }]),
    ),
  );
  await db.query(
    `INSERT INTO service_groups (id, code, name, role) VALUES ($1, $1, 'HA chaos', 'administrator')`,
    [GROUP],
  );
  await db.query(`INSERT INTO services (id, code, name, group_id) VALUES ($1, $1, 'HA chaos', $2)`, [
    SERVICE,
    GROUP,
  ]);
  await db.query(
    `INSERT INTO centers (id, code, name, region, address, working_hours)
     VALUES ($1, $1, 'ТСЦ HA chaos', 'Тест', 'вул. Тестова, 1', $2)`,
    [CENTER, hours],
  );
  // Every day of the horizon counts as generated and released: the capacity job leaves the
  // center alone, and no day is inside its release lottery.
  await db.query(
    `INSERT INTO capacity_days (center_id, day, generated_at, released_at)
     SELECT $1, (now() AT TIME ZONE 'Europe/Kyiv')::date + d, now(), now() FROM generate_series(0, 21) AS d`,
    [CENTER],
  );
  // Days D+2 … D+8, 20 half-hour windows each, sized for every citizen plus 10 %; and three
  // "hot" slots of 5 places that a twentieth of the attempts race for (SLOT_TAKEN, overbooking).
  const windows = 7 * 20;
  const capacity = Math.ceil((citizens * 1.1) / windows);
  const { rows } = await db.query(
    `INSERT INTO slots (center_id, group_id, day, starts_at, ends_at, pool, capacity)
     SELECT $1, $2, day, start, start + interval '30 minutes', 'online', CASE WHEN hot THEN 5 ELSE $3 END
     FROM (SELECT (now() AT TIME ZONE 'Europe/Kyiv')::date + d AS day, w, d = 2 AND w < 3 AS hot
           FROM generate_series(2, 8) AS d, generate_series(0, 19) AS w) AS g,
          LATERAL (SELECT ((day + time '08:00' + w * interval '30 minutes') AT TIME ZONE 'Europe/Kyiv') AS start) AS s
     RETURNING id, capacity`,
    [CENTER, GROUP, capacity],
  );
  const hot = rows.filter((r) => r.capacity === 5).map((r) => Number(r.id));
  const normal = rows.filter((r) => r.capacity !== 5).map((r) => Number(r.id));
  // Citizens with live sessions, as e-identification would leave them (production mode has no
  // /dev/session). No e-mail: nothing goes to the outbox, so no SMTP server is needed.
  const people = Array.from({ length: citizens }, (_, i) => ({
    personId: randomUUID(),
    token: randomBytes(32).toString('base64url'),
    address: `127.${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
  }));
  // Identifiers kept as e-identification keeps them: a keyed hash to find the person, the
  // number itself encrypted with the servers' PII key (the mask is derived from it when read).
  const personColumns = new Set(
    (
      await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'persons'`)
    ).rows.map((r) => r.column_name),
  );
  const last4 = personColumns.has('id_last4');
  for (let i = 0; i < people.length; i += 2000) {
    const chunk = people.slice(i, i + 2000);
    const ids = chunk.map((p) => p.personId);
    const rnokpp = chunk.map((_, j) => String(9_000_000_000 + i + j));
    await db.query(
      `INSERT INTO persons (id, id_hash, id_kind, id_enc, ${last4 ? 'id_last4, ' : ''}last_name, first_name, created_at, updated_at)
       SELECT id, h, 'rnokpp', enc, ${last4 ? 'right(n, 4), ' : ''}'Хаос', 'Тест', now(), now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(id, h, enc, n)`,
      [ids, rnokpp.map((n) => pii.hash('rnokpp', n)), rnokpp.map((n) => pii.encrypt(n)), rnokpp],
    );
    await db.query(
      `INSERT INTO sessions (id_hash, kind, person_id, role, csrf_token, data, created_at, last_seen_at, expires_at)
       SELECT h, 'citizen', id, 'citizen', 'ha-chaos', '{}', now(), now(), now() + interval '12 hours'
       FROM unnest($1::text[], $2::uuid[]) AS t(h, id)`,
      [chunk.map((p) => createHash('sha256').update(p.token).digest('base64url')), ids],
    );
  }
  return { people, hot, normal, capacity };
}

// --- one booking attempt ---------------------------------------------------------------------

// Proof-of-work is solved on a worker thread, so the solving does not delay the timestamps of
// the answers (the outage figures) on the main thread.
const powWorker = new Worker(
  `const { parentPort } = require('node:worker_threads');
   const { hash } = require('node:crypto');
   parentPort.on('message', ({ id, c }) => {
     for (let n = 0; n <= c.maxnumber; n++) {
       if (hash('sha256', c.salt + n, 'hex') === c.challenge) {
         const payload = { algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature };
         parentPort.postMessage({ id, payload: Buffer.from(JSON.stringify(payload)).toString('base64') });
         return;
       }
     }
     parentPort.postMessage({ id, payload: null });
   });`,
  { eval: true },
);
powWorker.unref();
const solving = new Map();
let solveId = 0;
powWorker.on('message', ({ id, payload }) => {
  solving.get(id)?.(payload);
  solving.delete(id);
});

function solve(challenge) {
  const id = ++solveId;
  return new Promise((resolve, reject) => {
    solving.set(id, (payload) =>
      payload ? resolve(payload) : reject(new Error('proof-of-work without a solution')),
    );
    powWorker.postMessage({ id, c: challenge });
  });
}

const stats = { attempts: 0, requests: 0, retries: 0, accepted: 0, refused: {}, retried: {}, unresolved: 0 };
const accepted = new Map(); // registration id -> person id
const answers = new Map(); // person id -> final answer
const bookedAt = []; // epoch ms at which each 201 arrived

/**
 * One HTTP request from the citizen's own address: every citizen connects from its own loopback
 * address (127.10.x.y), so HAProxy forwards a distinct client address, as it would for citizens
 * on the internet, and the per-address limits and suspicion apply per citizen.
 */
function request(method, path, person, body, key) {
  const headers = { authorization: `Bearer ${person.token}` };
  const payload = body ? Buffer.from(JSON.stringify(body)) : null;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (key) headers['idempotency-key'] = key;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: APP.hostname,
        port: APP.port,
        path,
        method,
        headers,
        localAddress: person.address,
        agent: false,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {}
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

async function attempt(person, slotId, giveUpAt) {
  stats.attempts++;
  const key = `ha-${randomUUID()}`;
  let lastStatus = 0;
  let altcha = null;
  for (let tries = 0; ; tries++) {
    if (tries > 0) {
      stats.retries++;
      if (now() > giveUpAt()) {
        stats.unresolved++;
        answers.set(person.personId, 'UNRESOLVED');
        return;
      }
      await sleep(lastStatus === 429 ? 1000 : RETRY_MS);
    }
    let outcome;
    try {
      stats.requests++;
      // A solved proof-of-work is sent again until the server says it is spent (or too easy now):
      // one that met a database outage was usually never recorded as used.
      if (!altcha) {
        const challenge = await request('GET', '/api/v1/antibot/challenge?scope=bookings', person);
        if (challenge.status !== 200) throw new Error(`challenge ${challenge.status}`);
        altcha = await solve(challenge.json);
      }
      const res = await request(
        'POST',
        '/api/v1/bookings',
        person,
        { slotId, serviceId: SERVICE, altcha },
        key,
      );
      if (res.status === 201) {
        accepted.set(res.json.id, person.personId);
        answers.set(person.personId, res.json.id);
        stats.accepted++;
        bookedAt.push(Date.now());
        return;
      }
      lastStatus = res.status;
      const code = res.json?.code ?? `HTTP_${res.status}`;
      if (code === 'ANTIBOT_REQUIRED') altcha = null;
      if (res.status >= 400 && res.status < 500 && !RETRIED_REFUSALS.has(code)) {
        stats.refused[code] = (stats.refused[code] ?? 0) + 1;
        answers.set(person.personId, code);
        return;
      }
      outcome = code;
    } catch (error) {
      lastStatus = 0;
      outcome =
        error?.name === 'TimeoutError' ? 'TIMEOUT' : (error?.cause?.code ?? error?.message ?? 'ERROR');
    }
    stats.retried[outcome] = (stats.retried[outcome] ?? 0) + 1;
  }
}

// --- verification ----------------------------------------------------------------------------

async function verify(db, people) {
  const ids = [...accepted.keys()];
  const persons = people.map((p) => p.personId);
  const present = await db.query(
    `SELECT id FROM registrations WHERE id = ANY($1::uuid[]) AND status = 'booked'`,
    [ids],
  );
  const lost = ids.length - present.rowCount;
  // Each citizen tried to book once: a second registration is a double.
  const doubles = await db.query(
    `SELECT coalesce(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM registrations
     WHERE person_id = ANY($1::uuid[]) GROUP BY person_id) AS r`,
    [persons],
  );
  // Registrations nobody was told about (the citizen got a refusal or nothing).
  const unacknowledged = await db.query(
    `SELECT count(*)::int AS n FROM registrations WHERE person_id = ANY($1::uuid[]) AND NOT (id = ANY($2::uuid[]))`,
    [persons, ids],
  );
  const slots = await db.query(
    `SELECT count(*) FILTER (WHERE s.booked > s.capacity OR coalesce(r.n, 0) > s.capacity)::int AS overbooked,
            count(*) FILTER (WHERE s.booked <> coalesce(r.n, 0))::int AS drift,
            count(*) FILTER (WHERE s.booked = s.capacity)::int AS full
     FROM slots s LEFT JOIN (SELECT slot_id, count(*) AS n FROM registrations WHERE status = 'booked' GROUP BY slot_id) r
       ON r.slot_id = s.id
     WHERE s.center_id = $1`,
    [CENTER],
  );
  return {
    lost,
    doubles: doubles.rows[0].n,
    unacknowledged: unacknowledged.rows[0].n,
    overbooked: slots.rows[0].overbooked,
    counterDrift: slots.rows[0].drift,
    fullSlots: slots.rows[0].full,
  };
}

/**
 * Write outages, from the confirmed bookings: the longest time in which no booking was confirmed,
 * and for each leader kill (epoch ms, written by deploy/ha/chaos) the gap around it.
 */
function outages(times, kills) {
  const sorted = [...times].sort((a, b) => a - b);
  const gap = (from, to) => {
    let longest = 0;
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i] > from && sorted[i] <= to) longest = Math.max(longest, sorted[i] - sorted[i - 1]);
    return Math.round(longest / 100) / 10;
  };
  return {
    longest: gap(0, Number.POSITIVE_INFINITY),
    // Every gap that ends after a kill and before the next one is that kill's.
    around: kills.map((kill, i) => gap(kill, kills[i + 1] ?? Number.POSITIVE_INFINITY)),
  };
}

// --- main ------------------------------------------------------------------------------------

async function main() {
  const db = new pg.Pool({ connectionString: DB_URL, max: 4 });
  db.on('error', () => {});
  const citizens = Math.ceil(RATE * MAX_LOAD_SECONDS);
  const { people, hot, normal, capacity } = await seed(db, citizens);
  log(
    `seeded ${people.length} citizens, ${hot.length + normal.length} slots (${capacity} places; 3 hot of 5)`,
  );
  await db.end();

  writeFileSync(`${DIR}/load-started`, '');
  const loadStart = now();
  let loadEnd = Number.POSITIVE_INFINITY;
  const giveUpAt = () => loadEnd + DRAIN_SECONDS;
  const running = new Set();
  let next = 0;
  let lastReport = 0;
  while (next < people.length) {
    const elapsed = now() - loadStart;
    if (existsSync(`${DIR}/stop-load`) || elapsed > MAX_LOAD_SECONDS) break;
    if (elapsed - lastReport >= 5) {
      lastReport = elapsed;
      log(
        `t=${Math.round(elapsed)}s attempts=${stats.attempts} booked=${stats.accepted} retries=${stats.retries} in flight=${running.size}`,
      );
    }
    if (next >= elapsed * RATE || running.size >= IN_FLIGHT) {
      await sleep(5);
      continue;
    }
    const person = people[next++];
    const slotId =
      Math.random() < 0.05 ? hot[next % hot.length] : normal[Math.floor(Math.random() * normal.length)];
    const p = attempt(person, slotId, giveUpAt).catch((e) => log(`attempt failed: ${e}`));
    running.add(p);
    p.finally(() => running.delete(p));
  }
  loadEnd = now();
  log(`load stopped after ${Math.round(loadEnd - loadStart)}s; ${running.size} attempts still retrying`);
  await Promise.all(running);

  const check = new pg.Pool({ connectionString: DB_URL, max: 2 });
  check.on('error', () => {});
  const v = await verify(check, people.slice(0, next));
  await check.end();
  const kills = existsSync(`${DIR}/kills`)
    ? readFileSync(`${DIR}/kills`, 'utf8').split('\n').filter(Boolean).map(Number)
    : [];
  const gaps = outages(bookedAt, kills);
  const result = {
    accepted: accepted.size,
    lost: v.lost,
    doubles: v.doubles,
    overbooked: v.overbooked,
    serverDeaths: null,
    longestOutageSeconds: gaps.longest,
    outageAroundKillsSeconds: gaps.around,
    attempts: stats.attempts,
    refused: stats.refused,
    unresolved: stats.unresolved,
    unacknowledged: v.unacknowledged,
    counterDrift: v.counterDrift,
    retriedRequests: stats.retries,
    retriedBecause: stats.retried,
    loadSeconds: Math.round(loadEnd - loadStart),
  };
  writeFileSync(`${DIR}/result.json`, `${JSON.stringify(result)}\n`);
  log(`done: ${JSON.stringify(result)}`);
  await powWorker.terminate();
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
