import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { randomToken } from '../../platform/crypto.js';
import { identifierOf, namesOf } from '../login-service.js';
import { upsertPerson } from '../person-store.js';
import { personas } from './idgovua-personas.js';

/**
 * The bundled ID.GOV.UA emulator (demo mode and tests only; production refuses DEV_PROVIDERS).
 * It speaks the provider's protocol so the real adapter runs unchanged: a login page of
 * personas, then a redirect back with `code` and `state`; `get-access-token`, `get-user-info`,
 * `get-user-logout`. Codes are single use and live 60 seconds; tokens 1 hour. State is in memory.
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

export const idgovuaEmulator =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const codes = new Map<string, { personaId: string; clientId: string; expires: number }>();
    const tokens = new Map<string, { personaId: string; userId: string; expires: number }>();
    const id = ctx.config.identity;
    const now = () => ctx.clock.now().getTime();
    const oauthError = (error: string) => ({ error, error_description: error });

    const loginPage = async (request: { query: Omit<z.infer<typeof authorizeQuery>, 'response_type'> }) => {
      const q = request.query;
      const hidden = (['client_id', 'state', 'redirect_uri'] as const)
        .map((k) => `<input type="hidden" name="${k}" value="${esc(q[k])}">`)
        .join('');
      const methods = (q.auth_type ?? id.idgovuaAuthTypes).split(',').map((m) => m.trim());
      const methodNames: Record<string, string> = {
        dig_sign: 'Файловий ключ / токен (КЕП)',
        bank_id: 'BankID НБУ',
        diia_id: 'Дія.Підпис',
      };
      const items = personas
        .map(
          (p) => `<li><form method="post" action="/dev/idgovua/authorize">${hidden}
<input type="hidden" name="persona" value="${esc(p.id)}">
<button type="submit"><strong>${esc(p.label)}</strong><br><span>${esc(p.note)}</span></button></form></li>`,
        )
        .join('\n');
      return `<!doctype html><html lang="uk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>ID.GOV.UA — емулятор</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
ul{list-style:none;padding:0}li{margin:.75rem 0}button{width:100%;text-align:left;padding:1rem;font-size:1rem;
border:2px solid #0b5394;border-radius:.5rem;background:#fff;cursor:pointer}button:hover,button:focus{background:#e8f0fa}
span{color:#444;font-size:.9rem}.warn{background:#fff4ce;padding:.75rem;border-radius:.5rem}</style></head>
<body><main><h1>Інтегрована система електронної ідентифікації</h1>
<p class="warn">Демонстраційний емулятор ID.GOV.UA. Лише для демо та тестів: справжні дані не вводьте.</p>
<p>Способи: ${methods.map((m) => esc(methodNames[m] ?? m)).join(', ')}.</p>
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
          }),
        },
      },
      async (request, reply) => {
        const b = request.body;
        const persona = personas.find((p) => p.id === b.persona);
        if (!persona || b.client_id !== id.idgovuaClientId)
          return reply.status(400).send(oauthError('invalid_request'));
        if (persona.blockedDays) await seedBlock(ctx, persona.user, persona.blockedDays);
        const code = randomToken(24);
        codes.set(code, { personaId: persona.id, clientId: b.client_id, expires: now() + CODE_MS });
        const back = new URL(b.redirect_uri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', b.state);
        return reply.redirect(back.href, 302);
      },
    );

    app.get(
      '/dev/idgovua/get-access-token',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          querystring: z.object({
            grant_type: z.string(),
            client_id: z.string(),
            client_secret: z.string(),
            code: z.string().optional(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
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
        tokens.set(accessToken, { personaId: entry.personaId, userId, expires: now() + TOKEN_S * 1000 });
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
            fields: z.string().optional(),
            user_id: z.string(),
            access_token: z.string(),
          }),
        },
      },
      async (request, reply) => {
        const t = tokens.get(request.query.access_token);
        if (!t || t.expires < now() || t.userId !== request.query.user_id)
          return reply.status(401).send(oauthError('invalid_token'));
        const persona = personas.find((p) => p.id === t.personaId);
        const user: Record<string, unknown> = { ...persona?.user };
        const wanted = request.query.fields?.split(',').map((f) => f.trim());
        const answer = wanted
          ? Object.fromEntries(Object.entries(user).filter(([k]) => wanted.includes(k)))
          : user;
        return { ...answer, auth_type: 'bank_id' };
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
          return reply.status(401).send(oauthError('invalid_token'));
        tokens.delete(request.query.access_token);
        return { status: 'ok' };
      },
    );
  };

/** The "already blocked" persona: blocked as if after a 4th no-show today (demo data). */
async function seedBlock(ctx: AppContext, user: Parameters<typeof identifierOf>[0], days: number) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const personId = await upsertPerson(trx, ctx.crypto, now, {
      ...identifierOf(user),
      ...namesOf(user),
      source: 'identification',
    });
    await trx
      .updateTable('persons')
      .set({ blocked_until: new Date(now.getTime() + days * 86_400_000), blocked_at: now })
      .where('id', '=', personId)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
      .execute();
  });
}
