import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../platform/db.js';
import { requestOrigin } from '../auth-flow-store.js';
import { activeStaffAccounts, activeStaffByEmail, fillDemoStaffEmails } from './dev-oidc-store.js';

/**
 * The development staff SSO (demo mode and tests only; production refuses DEV_PROVIDERS): a real
 * OpenID Connect server (oidc-provider) mounted at /dev/oidc, so the staff login runs the same
 * authorization-code + PKCE + nonce flow a ministry SSO would. Its accounts are the staff rows
 * that have an e-mail; the login page lists them. Consent is granted automatically: the portal
 * is a first-party client of the ministry SSO.
 */
const MOUNT = '/dev/oidc';

export interface DemoStaffAccount {
  email: string;
  fullName: string;
  role: string;
  centerId: string | null;
  centerName: string | null;
}

/** Staff rows as SSO accounts; in demo mode rows without an e-mail get a demo one first. */
export async function ensureDemoStaffLogins(db: Executor): Promise<DemoStaffAccount[]> {
  await fillDemoStaffEmails(db);
  const rows = await activeStaffAccounts(db);
  return rows.map((r) => ({
    email: r.email ?? '',
    fullName: r.full_name,
    role: r.role,
    centerId: r.center_id,
    centerName: r.center_name,
  }));
}

const roleOrder = ['national_admin', 'center_head', 'administrator', 'examiner'];
const NATIONAL = 'ГСЦ МВС — національний рівень';

/**
 * The demo's accounts as the login page lists them: the national level first, then centers by
 * name; in each, the head first, then operators by name. `query` keeps the accounts whose name,
 * e-mail, role or center contains it (case-insensitive).
 */
export function groupAccounts(accounts: DemoStaffAccount[], query: string) {
  const q = query.trim().toLocaleLowerCase('uk');
  const collator = new Intl.Collator('uk');
  const groups = new Map<string, DemoStaffAccount[]>();
  for (const a of accounts) {
    const group = a.centerId ? (a.centerName ?? a.centerId) : NATIONAL;
    const text = [a.fullName, a.email, roleNames[a.role] ?? a.role, group].join(' ').toLocaleLowerCase('uk');
    if (q && !text.includes(q)) continue;
    groups.set(group, [...(groups.get(group) ?? []), a]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === NATIONAL ? -1 : b === NATIONAL ? 1 : collator.compare(a, b)))
    .map(([name, list]) => ({
      name,
      accounts: list.sort(
        (x, y) =>
          roleOrder.indexOf(x.role) - roleOrder.indexOf(y.role) || collator.compare(x.fullName, y.fullName),
      ),
    }));
}

const roleNames: Record<string, string> = {
  administrator: 'адміністратор',
  examiner: 'екзаменатор',
  center_head: 'начальник центру',
  national_admin: 'адміністратор ГСЦ',
};

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** What the development SSO uses: its client registration, the public origin and the staff rows. */
export interface DevOidcDeps {
  db: Db;
  /** The client registration and PUBLIC_URL (read per request: tests set it once listening). */
  config: Pick<Config, 'identity' | 'publicUrl'>;
}

export const devOidcProvider =
  (ctx: DevOidcDeps): FastifyPluginAsync =>
  async (app) => {
    // Loaded only when the development SSO is mounted: production never loads the package.
    const { default: ProviderClass } = await import('oidc-provider');
    const providers = new Map<string, Provider>();
    const cookieKeys = [randomBytes(32).toString('base64url')];

    const providerFor = (request: FastifyRequest): Provider => {
      const origin = requestOrigin(request, ctx.config.publicUrl);
      let provider = providers.get(origin);
      if (provider) return provider;
      const id = ctx.config.identity;
      provider = new ProviderClass(`${origin}${MOUNT}`, {
        clients: [
          {
            client_id: id.staffOidcClientId,
            client_secret: id.staffOidcClientSecret,
            redirect_uris: [`${origin}/auth/staff/callback`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        async findAccount(_kctx: unknown, sub: string) {
          const staff = await activeStaffByEmail(ctx.db, sub);
          if (!staff) return undefined;
          return {
            accountId: sub,
            claims: async () => ({ sub, email: staff.email, email_verified: true, name: staff.full_name }),
          };
        },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        interactions: {
          url: (_kctx: unknown, interaction: { uid: string }) => `${MOUNT}/interaction/${interaction.uid}`,
        },
        cookies: { keys: cookieKeys },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        renderError: async (kctx: { type: string; body: string }, out: { error: string }) => {
          kctx.type = 'text/plain; charset=utf-8';
          kctx.body = `Помилка входу: ${out.error}`;
        },
      });
      provider.proxy = true;
      providers.set(origin, provider);
      return provider;
    };

    app.get(
      `${MOUNT}/interaction/:uid`,
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const provider = providerFor(request);
        const details = await provider.interactionDetails(request.raw, reply.raw);
        if (details.prompt.name === 'consent') {
          const accountId = details.session?.accountId ?? '';
          const clientId = String(details.params.client_id);
          const grant =
            (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
            new provider.Grant({ accountId, clientId });
          const missing = details.prompt.details as {
            missingOIDCScope?: string[];
            missingOIDCClaims?: string[];
          };
          if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
          if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
          const grantId = await grant.save();
          reply.hijack();
          await provider.interactionFinished(
            request.raw,
            reply.raw,
            { consent: { grantId } },
            { mergeWithLastSubmission: true },
          );
          return;
        }
        const accounts = await ensureDemoStaffLogins(ctx.db);
        const query = String((request.query as { q?: unknown } | undefined)?.q ?? '').slice(0, 100);
        const groups = groupAccounts(accounts, query);
        const action = `${MOUNT}/interaction/${esc(details.uid)}`;
        const items = groups
          .map(
            (g) =>
              `<section><h3>${esc(g.name)} <small>(${g.accounts.length})</small></h3><ul>${g.accounts
                .map(
                  (a) => `<li><form method="post" action="${action}/login">
<input type="hidden" name="email" value="${esc(a.email)}"><button type="submit"><strong>${esc(a.fullName)}</strong>
<br><span>${esc(roleNames[a.role] ?? a.role)} · ${esc(a.email)}</span></button></form></li>`,
                )
                .join('\n')}</ul></section>`,
          )
          .join('\n');
        const found = groups.reduce((n, g) => n + g.accounts.length, 0);
        return reply
          .type('text/html; charset=utf-8')
          .send(`<!doctype html><html lang="uk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Єдиний вхід працівника — демо</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
ul{list-style:none;padding:0;margin:0}li{margin:.4rem 0}button{width:100%;text-align:left;padding:.6rem 1rem;font-size:1rem;
border:2px solid #0b5394;border-radius:.5rem;background:#fff;cursor:pointer;color:#1a1a1a}button:hover,button:focus{background:#e8f0fa}
span{color:#444;font-size:.9rem}.warn{background:#fff4ce;padding:.75rem;border-radius:.5rem}h3{margin:1.5rem 0 .5rem;color:#06346b}
small{font-weight:400;color:#444}.search{display:flex;gap:.5rem;margin:1rem 0}.search input{flex:1;font-size:1rem;padding:.5rem;
border:2px solid #555;border-radius:.5rem}.search button{width:auto;background:#0b5394;color:#fff;padding:.5rem 1rem}
label{font-weight:700}</style></head>
<body><main><h1>Єдиний вхід працівника МВС</h1><p class="warn">Демонстраційний OIDC-сервер. Лише для демо та тестів.</p>
<h2>Оберіть обліковий запис</h2>
<form class="search" method="get" action="${action}" role="search"><label for="q">Пошук</label>
<input id="q" name="q" type="search" value="${esc(query)}" placeholder="Прізвище, центр, роль або e-mail">
<button type="submit">Знайти</button></form>
<p role="status">Знайдено облікових записів: ${found}${query ? ` · <a href="${action}">показати всі</a>` : ''}</p>
${found ? items : '<p>Нікого не знайдено.</p>'}</main></body></html>`);
      },
    );

    app.post<{ Params: { uid: string }; Body: { email?: string } }>(
      `${MOUNT}/interaction/:uid/login`,
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const provider = providerFor(request);
        const details = await provider.interactionDetails(request.raw, reply.raw);
        const email = String(request.body?.email ?? '').toLowerCase();
        const known = (await ensureDemoStaffLogins(ctx.db)).some((a) => a.email.toLowerCase() === email);
        reply.hijack();
        const result =
          details.prompt.name === 'login' && known
            ? { login: { accountId: email } }
            : { error: 'access_denied', error_description: 'unknown account' };
        await provider.interactionFinished(request.raw, reply.raw, result, {
          mergeWithLastSubmission: false,
        });
      },
    );

    // The provider itself reads its own request bodies (token endpoint): leave the stream unread.
    await app.register(async (mount) => {
      mount.removeAllContentTypeParsers();
      mount.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
      mount.all(
        `${MOUNT}/*`,
        { config: { access: 'public' }, schema: { hide: true } },
        async (request, reply) => {
          const provider = providerFor(request);
          reply.hijack();
          const raw = request.raw as IncomingMessage & { originalUrl?: string };
          raw.originalUrl = raw.url;
          raw.url = (raw.url ?? '/').slice(MOUNT.length) || '/';
          await provider.callback()(raw, reply.raw);
        },
      );
    });
  };
