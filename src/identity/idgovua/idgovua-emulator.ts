import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Clock } from '../../platform/clock.js';
import { type PiiCrypto, randomToken } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { identifierOf, namesOf } from '../login-service.js';
import { upsertPerson } from '../person-store.js';
import { seedPersonBlock } from './idgovua-emulator-store.js';
import { demoKeyset } from './idgovua-envelope.js';
import { AUTH_METHODS, personas } from './idgovua-personas.js';

/**
 * The bundled ID.GOV.UA emulator (demo mode and tests only; production refuses DEV_PROVIDERS).
 * It speaks the provider's protocol so the real adapter runs unchanged: a login page of
 * personas, then a redirect back (only to this service's registered callback) with `code` and
 * `state`; `get-access-token` (POST form), `get-user-info` with `fields` and `cert` (answered
 * `{"encryptedUserInfo": …}`, signed and enveloped for that certificate with this run's generated
 * provider keys; plain without `cert`), `get-user-logout` (answered `{"error":"0", …}`). Codes
 * are single use and live 60 seconds; tokens 1 hour, user info readable once. State is in memory.
 */
const CODE_MS = 60_000;
const TOKEN_S = 3600;

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const authorizeQuery = z.object({
  response_type: z.literal('code'),
  client_id: z.string().max(200),
  auth_type: z.string().max(200).optional(),
  state: z.string().min(1).max(512),
  redirect_uri: z.string().url().max(1024),
});

/** What the emulator uses: its client registration, the clock, and the database for demo blocks. */
export interface IdGovUaEmulatorDeps {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  /** The client registration and PUBLIC_URL (read per request: tests set it once listening). */
  config: Pick<Config, 'identity' | 'publicUrl'>;
}

export const idgovuaEmulator =
  (ctx: IdGovUaEmulatorDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const codes = new Map<
      string,
      { personaId: string; clientId: string; authType: string; expires: number }
    >();
    const tokens = new Map<
      string,
      { personaId: string; userId: string; authType: string; expires: number; read: boolean }
    >();
    const id = ctx.config.identity;
    const now = () => ctx.clock.now().getTime();
    const oauthError = (error: string, description = error) => ({ error, error_description: description });
    const registeredCallback = () => `${ctx.config.publicUrl ?? ''}/auth/citizen/callback`;

    const loginPage = async (request: { query: Omit<z.infer<typeof authorizeQuery>, 'response_type'> }) => {
      const q = request.query;
      const hidden = (['client_id', 'state', 'redirect_uri'] as const)
        .map((k) => `<input type="hidden" name="${k}" value="${esc(q[k])}">`)
        .join('');
      const methods = (q.auth_type ?? id.idgovuaAuthTypes)
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean);
      const items = personas
        .map((p) => {
          // The persona signs in its own way when the service offers it, else the first offered.
          const method = methods.includes(p.authType) ? p.authType : (methods[0] ?? p.authType);
          return `<li><form method="post" action="/dev/idgovua/authorize">${hidden}
<input type="hidden" name="persona" value="${esc(p.id)}"><input type="hidden" name="auth_type" value="${esc(method)}">
<button type="submit"><strong>${esc(p.label)}</strong><br><span>${esc(p.note)} · ${esc(AUTH_METHODS[method] ?? method)}</span></button></form></li>`;
        })
        .join('\n');
      return `<!doctype html><html lang="uk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>ID.GOV.UA — емулятор</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
ul{list-style:none;padding:0}li{margin:.75rem 0}button{width:100%;text-align:left;padding:1rem;font-size:1rem;
border:2px solid #0b5394;border-radius:.5rem;background:#fff;cursor:pointer}button:hover,button:focus{background:#e8f0fa}
span{color:#444;font-size:.9rem}.warn{background:#fff4ce;padding:.75rem;border-radius:.5rem}</style></head>
<body><main><h1>Інтегрована система електронної ідентифікації</h1>
<p class="warn">Демонстраційний емулятор ID.GOV.UA. Лише для демо та тестів: справжні дані не вводьте.</p>
<p>Способи: ${methods.map((m) => esc(AUTH_METHODS[m] ?? m)).join(', ')}.</p>
<h2>Оберіть тестову особу</h2><ul>${items}</ul></main></body></html>`;
    };

    for (const url of ['/dev/idgovua', '/dev/idgovua/']) {
      app.get(
        url,
        {
          config: { access: 'public' },
          schema: { hide: true, querystring: authorizeQuery.partial({ response_type: true }).passthrough() },
          // Opened without an authorization request (e.g. from the printed URL): start a real login.
          preValidation: async (request, reply) => {
            if (!(request.query as Record<string, unknown>).response_type)
              return reply.redirect('/auth/citizen/login', 302);
          },
        },
        async (request, reply) => {
          if (request.query.client_id !== id.idgovuaClientId)
            return reply.status(400).send(oauthError('invalid_client'));
          return reply.type('text/html; charset=utf-8').send(await loginPage(request));
        },
      );
    }

    app.post(
      '/dev/idgovua/authorize',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          body: z.object({
            client_id: z.string(),
            state: z.string().min(1).max(512),
            redirect_uri: z.string().url(),
            persona: z.string(),
            auth_type: z.string().max(32).optional(),
          }),
        },
      },
      async (request, reply) => {
        const b = request.body;
        const persona = personas.find((p) => p.id === b.persona);
        if (!persona || b.client_id !== id.idgovuaClientId)
          return reply.status(400).send(oauthError('invalid_request'));
        // Like the provider, the code goes only to the redirect address registered for the client.
        if (b.redirect_uri !== registeredCallback())
          return reply.status(400).send(oauthError('invalid_redirect_uri'));
        if (persona.blockedDays) await seedBlock(ctx, persona.user, persona.blockedDays);
        const code = randomToken(24);
        const authType = b.auth_type && AUTH_METHODS[b.auth_type] ? b.auth_type : persona.authType;
        codes.set(code, { personaId: persona.id, clientId: b.client_id, authType, expires: now() + CODE_MS });
        const back = new URL(b.redirect_uri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', b.state);
        return reply.redirect(back.href, 302);
      },
    );

    app.post(
      '/dev/idgovua/get-access-token',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          body: z.object({
            grant_type: z.string(),
            client_id: z.string(),
            client_secret: z.string(),
            code: z.string().optional(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.body;
        if (q.client_id !== id.idgovuaClientId || q.client_secret !== id.idgovuaClientSecret)
          return reply.status(401).send(oauthError('invalid_client'));
        if (q.grant_type !== 'authorization_code')
          return reply.status(400).send(oauthError('unsupported_grant_type'));
        const entry = q.code ? codes.get(q.code) : undefined;
        if (q.code) codes.delete(q.code); // single use, even when it fails
        if (!entry || entry.expires < now() || entry.clientId !== q.client_id)
          return reply.status(400).send(oauthError('invalid_grant'));
        const accessToken = randomToken(32);
        const userId = `u-${entry.personaId}`;
        tokens.set(accessToken, {
          personaId: entry.personaId,
          userId,
          authType: entry.authType,
          expires: now() + TOKEN_S * 1000,
          read: false,
        });
        return {
          access_token: accessToken,
          token_type: 'bearer',
          expires_in: String(TOKEN_S),
          refresh_token: randomToken(32),
          user_id: userId,
        };
      },
    );

    app.get(
      '/dev/idgovua/get-user-info',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          querystring: z.object({
            fields: z.string().max(1000).optional(),
            user_id: z.string(),
            access_token: z.string(),
            cert: z.string().max(20_000).optional(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const t = tokens.get(q.access_token);
        if (!t || t.expires < now() || t.userId !== q.user_id || t.read)
          return reply
            .status(401)
            .send(oauthError('invalid_token', 'Маркер доступу недійсний або вже використаний'));
        t.read = true;
        const persona = personas.find((p) => p.id === t.personaId);
        const user: Record<string, unknown> = { ...persona?.user, auth_type: t.authType };
        const wanted = q.fields?.split(',').map((f) => f.trim());
        const answer = wanted
          ? Object.fromEntries(Object.entries(user).filter(([k]) => wanted.includes(k)))
          : user;
        if (!q.cert) return answer;
        // Integrators send the Base64 certificate URL-encoded twice; one layer is left here.
        const certBase64 = q.cert.includes('%') ? decodeURIComponent(q.cert) : q.cert;
        try {
          return { encryptedUserInfo: await demoKeyset().sealer.seal(answer, certBase64) };
        } catch {
          return reply.status(400).send(oauthError('invalid_cert', 'Сертифікат шифрування не прийнято'));
        }
      },
    );

    app.get(
      '/dev/idgovua/get-user-logout',
      {
        config: { access: 'public' },
        schema: { hide: true, querystring: z.object({ user_id: z.string(), access_token: z.string() }) },
      },
      async (request, reply) => {
        const t = tokens.get(request.query.access_token);
        if (!t || t.userId !== request.query.user_id)
          return reply.status(401).send(oauthError('invalid_token', 'Маркер доступу недійсний'));
        tokens.delete(request.query.access_token);
        return {
          error: '0',
          error_description: `Дані користувача із ID = ${request.query.user_id} видалено успішно`,
        };
      },
    );
  };

/** The "already blocked" persona: blocked as if after a 4th no-show today (demo data). */
async function seedBlock(ctx: IdGovUaEmulatorDeps, user: Parameters<typeof identifierOf>[0], days: number) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const personId = await upsertPerson(trx, ctx.crypto, now, {
      ...identifierOf(user),
      ...namesOf(user),
      source: 'identification',
    });
    await seedPersonBlock(trx, personId, new Date(now.getTime() + days * 86_400_000), now);
  });
}
