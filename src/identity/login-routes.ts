import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config, IdentityConfig } from '../config.js';
import { DomainError } from '../platform/problems.js';
import { type CookieOptions, clearSessionCookie, setSessionCookie } from './auth.js';
import { requestOrigin, safeReturnTo } from './auth-flow-store.js';
import { sessionView, signedOut } from './identity-api-schema.js';
import * as idgovua from './idgovua/idgovua-client.js';
import { demoKeyset, type EnvelopeOpener, loadEnvelopeOpener } from './idgovua/idgovua-envelope.js';
import type { LoginResult, LoginService } from './login-service.js';
import { finishStaffLogin, type StaffOidcSettings, startStaffLogin } from './staff-oidc/staff-oidc-client.js';

/**
 * Browser logins: citizens through ID.GOV.UA, staff through the ministry SSO (OIDC). Both are
 * redirect flows bound to the browser by a flow cookie; a failure returns the browser to the
 * surface with `?loginError=<reason>` and never creates a session.
 */

/** What the login routes use: the login service, the identity settings and the cookie options. */
export interface LoginRouteDeps {
  login: LoginService;
  /** The identity settings and PUBLIC_URL, the origin every redirect is built from (read per request). */
  config: Pick<Config, 'identity' | 'publicUrl'>;
  cookies: CookieOptions;
}

type ProviderSettings = Pick<LoginRouteDeps, 'config'>;

/** ID.GOV.UA settings; in demo mode without IDGOVUA_BASE_URL, the bundled emulator on this server. */
export function idgovuaSettings(ctx: ProviderSettings, request: FastifyRequest): idgovua.IdGovUaSettings {
  const id = ctx.config.identity;
  const baseUrl =
    id.idgovuaBaseUrl ??
    (id.devProviders ? `${requestOrigin(request, ctx.config.publicUrl)}/dev/idgovua` : undefined);
  if (!baseUrl) throw new DomainError('INTERNAL', { detail: 'IDGOVUA_BASE_URL не налаштовано.' });
  return {
    baseUrl,
    clientId: id.idgovuaClientId,
    clientSecret: id.idgovuaClientSecret,
    authTypes: id.idgovuaAuthTypes,
    envelope: () => envelopeFor(ctx.config.identity),
  };
}

const envelopes = new WeakMap<object, EnvelopeOpener | null>();

/**
 * Our key for the encrypted user info, loaded once per configuration: the configured one, or in
 * demo mode the keys generated for this run (shared with the bundled emulator). Null = plain.
 */
export function envelopeFor(id: IdentityConfig): EnvelopeOpener | null {
  const cached = envelopes.get(id);
  if (cached !== undefined) return cached;
  const bundled = !id.idgovuaBaseUrl && id.devProviders;
  let opener: EnvelopeOpener | null = null;
  if (id.idgovuaPlainUserInfo) opener = null;
  else if (id.idgovuaEncryptionCert && id.idgovuaEncryptionKey)
    opener = loadEnvelopeOpener({
      cert: id.idgovuaEncryptionCert,
      key: id.idgovuaEncryptionKey,
      password: id.idgovuaEncryptionKeyPassword,
      providerCerts: id.idgovuaProviderCerts,
      extraProviderCerts: bundled ? demoKeyset().sealer.certs : [],
    });
  else if (bundled) opener = demoKeyset().opener;
  envelopes.set(id, opener);
  return opener;
}

/** Staff SSO settings; in demo mode without STAFF_OIDC_ISSUER, the development OIDC server here. */
export function staffOidcSettings(ctx: ProviderSettings, request: FastifyRequest): StaffOidcSettings {
  const id = ctx.config.identity;
  const issuer =
    id.staffOidcIssuer ??
    (id.devProviders ? `${requestOrigin(request, ctx.config.publicUrl)}/dev/oidc` : undefined);
  if (!issuer) throw new DomainError('INTERNAL', { detail: 'STAFF_OIDC_ISSUER не налаштовано.' });
  return { issuer, clientId: id.staffOidcClientId, clientSecret: id.staffOidcClientSecret };
}

const returnQuery = z.object({ returnTo: z.string().max(512).optional() });
const callbackQuery = z
  .object({
    code: z.string().max(2048).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(200).optional(),
  })
  .passthrough();

export const loginRoutes =
  (ctx: LoginRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const secure = ctx.cookies.secureCookies;
    const cookieDeps = ctx.cookies;
    // A configured key that cannot be used stops the start with its reason, not the first login
    // (on ready, not at registration: reading a protected key takes seconds of GOST hashing).
    app.addHook('onReady', async () => {
      if (ctx.config.identity.idgovuaEncryptionCert) envelopeFor(ctx.config.identity);
    });
    const failed = (reply: FastifyReply, where: string, reason: string) =>
      reply.redirect(
        `${where}${where.includes('?') ? '&' : '?'}loginError=${encodeURIComponent(reason)}`,
        303,
      );

    app.get(
      '/auth/citizen/login',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { tags: ['identity'], summary: 'Вхід через ID.GOV.UA', querystring: returnQuery },
      },
      async (request, reply) => {
        const settings = idgovuaSettings(ctx, request);
        const state = crypto.randomUUID();
        const redirectUri = `${requestOrigin(request, ctx.config.publicUrl)}/auth/citizen/callback`;
        await ctx.login.beginFlow(reply, {
          provider: 'idgovua',
          state,
          data: { returnTo: safeReturnTo(request.query.returnTo, ctx.config.publicUrl) },
          secure,
        });
        return reply.redirect(idgovua.authorizeUrl(settings, { state, redirectUri }), 302);
      },
    );

    app.get(
      '/auth/citizen/callback',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { hide: true, querystring: callbackQuery },
      },
      async (request, reply) => {
        const flow = await ctx.login.consumeFlow(request, reply, {
          provider: 'idgovua',
          state: request.query.state,
        });
        if (!flow) return failed(reply, '/', 'state');
        const returnTo = safeReturnTo(flow.returnTo, ctx.config.publicUrl);
        if (request.query.error || !request.query.code) return failed(reply, returnTo, 'denied');
        const settings = idgovuaSettings(ctx, request);
        let session: LoginResult;
        try {
          const tokens = await idgovua.exchangeCode(settings, request.query.code);
          let user: idgovua.IdGovUaUser;
          try {
            user = await idgovua.userInfo(settings, tokens);
          } finally {
            // The provider's session is done with as soon as the data is read (or could not be):
            // our session never depends on its token. Best effort: its failure signs no one out.
            await idgovua.logout(settings, tokens).catch((error: unknown) => {
              request.log.warn({ err: error }, 'ID.GOV.UA logout failed');
            });
          }
          session = await ctx.login.citizen({
            user,
            replaces: request.sessionToken,
            ip: request.ip,
          });
        } catch (error) {
          request.log.warn({ err: error }, 'ID.GOV.UA login failed');
          const reason =
            error instanceof idgovua.IdGovUaError
              ? error.reason
              : error instanceof DomainError
                ? 'identity'
                : 'error';
          await ctx.login.citizenRefused({ reason, ip: request.ip }).catch(() => {});
          return failed(reply, returnTo, error instanceof DomainError ? 'identity' : 'provider');
        }
        setSessionCookie(reply, session.token, cookieDeps);
        return reply.redirect(returnTo, 303);
      },
    );

    app.get(
      '/auth/staff/login',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { tags: ['identity'], summary: 'Вхід працівника (SSO)', querystring: returnQuery },
      },
      async (request, reply) => {
        const origin = requestOrigin(request, ctx.config.publicUrl);
        const start = await startStaffLogin(staffOidcSettings(ctx, request), `${origin}/auth/staff/callback`);
        await ctx.login.beginFlow(reply, {
          provider: 'staff_oidc',
          state: start.state,
          data: {
            verifier: start.verifier,
            nonce: start.nonce,
            returnTo: safeReturnTo(request.query.returnTo ?? '/operator', ctx.config.publicUrl),
          },
          secure,
        });
        return reply.redirect(start.url, 302);
      },
    );

    app.get(
      '/auth/staff/callback',
      {
        config: { access: 'public', rateLimit: 'logins' },
        schema: { hide: true, querystring: callbackQuery },
      },
      async (request, reply) => {
        const state = request.query.state;
        const flow = await ctx.login.consumeFlow(request, reply, {
          provider: 'staff_oidc',
          state,
        });
        if (!flow || !state) return failed(reply, '/operator', 'state');
        const returnTo = safeReturnTo(flow.returnTo, ctx.config.publicUrl);
        if (request.query.error) return failed(reply, returnTo, 'denied');
        const settings = staffOidcSettings(ctx, request);
        let session: LoginResult;
        try {
          const currentUrl = new URL(request.url, `${requestOrigin(request, ctx.config.publicUrl)}/`);
          const claims = await finishStaffLogin(settings, currentUrl, {
            state,
            verifier: String(flow.verifier),
            nonce: String(flow.nonce),
          });
          session = await ctx.login.staff({
            claims,
            issuer: settings.issuer,
            replaces: request.sessionToken,
            ip: request.ip,
          });
        } catch (error) {
          request.log.warn({ err: error }, 'staff SSO login failed');
          return failed(reply, returnTo, error instanceof DomainError ? 'unknown_staff' : 'provider');
        }
        setSessionCookie(reply, session.token, cookieDeps);
        return reply.redirect(returnTo, 303);
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { access: 'public', rateLimit: false },
        // A form post is answered with a redirect home (303, no body).
        schema: { tags: ['identity'], summary: 'Вийти', response: { 200: signedOut } },
      },
      async (request, reply) => {
        const principal = request.principal;
        const token = request.sessionToken;
        clearSessionCookie(reply);
        // The provider's session already ended at login (see the callback).
        if (principal && token) await ctx.login.logout({ token, principal, ip: request.ip });
        if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
          return reply.redirect('/', 303);
        return { status: 'signed_out' as const };
      },
    );

    app.get(
      '/auth/session',
      {
        config: { access: 'public' },
        schema: { tags: ['identity'], summary: 'Поточна сесія', response: { 200: sessionView } },
      },
      async (request) => {
        const p = request.principal;
        if (!p) return { authenticated: false };
        return {
          authenticated: true,
          role: p.role,
          personId: p.personId,
          staffId: p.staffId,
          centerId: p.centerId,
          deskId: p.deskId,
          legalEntity: p.legalEntity,
          csrfToken: p.csrfToken,
        };
      },
    );
  };
