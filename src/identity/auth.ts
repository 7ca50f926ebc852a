import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import type { Principal, Role, SessionService } from './session-service.js';

/**
 * Who may call a route is declared on the route: `config: { access: 'public' }` or
 * `config: { access: ['citizen'] }`. A route under /api without a declaration is refused: the
 * safe default. Staff routes that act on a center also check the center (see `assertCenter`).
 */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const SESSION_COOKIE = 'ezs';

export interface AuthDeps {
  db: Db;
  sessions: SessionService;
  secureCookies: boolean;
  absoluteHours: number;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installAuth(app: FastifyInstance, deps: AuthDeps) {
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionToken', null);

  // Every route's declaration, for the role matrix (tests, README).
  const routes: DeclaredRoute[] = [];
  (app as unknown as { [ROUTES]: DeclaredRoute[] })[ROUTES] = routes;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        access: route.config?.access,
        rateLimit: route.config?.rateLimit,
        antibot: Boolean(route.config?.antibot),
        proofInHandler: route.config?.antibot === 'handler',
      });
    }
  });

  // Access is decided before the body is parsed or validated: a caller who may not use a
  // route learns nothing about its input rules. Synchronous without a session token (an
  // anonymous read makes no promise here; Fastify catches what `decideAccess` throws).
  app.addHook('onRequest', (request, _reply, done) => {
    const token = tokenOf(request);
    if (!token) {
      decideAccess(request);
      return done();
    }
    request.sessionToken = token;
    deps.sessions.read(deps.db, token).then((principal) => {
      request.principal = principal;
      let refused: unknown;
      try {
        decideAccess(request);
      } catch (error) {
        refused = error;
      }
      done(refused as Error | undefined);
    }, done);
  });
}

/** Who may call the request's route, once its session (if any) is read; throws the refusal. */
function decideAccess(request: FastifyRequest): void {
  const access = request.routeOptions.config?.access;
  if (access === undefined) {
    if (isProtectedPath(request.url) && request.routeOptions.url) throw new DomainError('FORBIDDEN');
    return;
  }
  if (request.principal && UNSAFE.has(request.method)) assertSameOrigin(request);
  if (access === 'public') return;
  if (!request.principal) throw new DomainError('UNAUTHENTICATED');
  if (!access.includes(request.principal.role)) throw new DomainError('FORBIDDEN');
  // Acting on another center is refused here for every center-scoped route, before its input
  // is even read; handlers still call assertCenter for centers named elsewhere (a desk, a body).
  const param = centerParamOf(request.routeOptions.url);
  if (param && request.principal.kind !== 'citizen') {
    const centerId = (request.params as Record<string, string> | undefined)?.[param];
    if (centerId !== undefined) assertCenter(request, centerId);
  }
}

/** The path parameter naming a center, for routes under `/centers/:id`. */
export function centerParamOf(url: string | undefined): string | null {
  const m = url ? /\/centers\/:(\w+)/.exec(url) : null;
  return m?.[1] ?? null;
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
  /** The declared rate-limit scope (`false`: deliberately none; undefined: not declared). */
  rateLimit: string | false | undefined;
  /** True when the route requires a proof-of-work. */
  antibot: boolean;
  /** The handler awaits the proof's verdict itself (`antibot: 'handler'`, platform/admission.ts). */
  proofInHandler: boolean;
}

const ROUTES = Symbol('declaredRoutes');

/** The routes of an app with their access declarations (registration order). */
export function declaredRoutes(app: FastifyInstance): DeclaredRoute[] {
  // Set on the root instance in installAuth; plugin instances inherit it through their prototype.
  return (app as unknown as { [ROUTES]?: DeclaredRoute[] })[ROUTES] ?? [];
}

function isProtectedPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/dev/') || url.startsWith('/auth/');
}

function tokenOf(request: FastifyRequest): string | null {
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) return cookie;
  // Devices (kiosks, boards) and scripted API clients may send the token as a bearer token.
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return null;
}

/**
 * CSRF defence for cookie sessions: a state-changing request must come from our own origin.
 * Browsers send Sec-Fetch-Site / Origin on every cross-site POST; non-browser clients send
 * neither and carry no ambient cookie risk. Cookies are also SameSite=Lax.
 */
function assertSameOrigin(request: FastifyRequest) {
  const site = request.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') throw new DomainError('FORBIDDEN');
  const origin = request.headers.origin;
  // An opaque origin (sandboxed frame, data: URL, cross-site redirect chain) proves nothing.
  if (origin === 'null' && site !== 'same-origin') throw new DomainError('FORBIDDEN');
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new DomainError('FORBIDDEN');
    }
    // request.host believes X-Forwarded-Host only from a proxy named in TRUST_PROXY.
    if (host !== request.host) throw new DomainError('FORBIDDEN');
  }
}

/** How the session cookie is set: `Secure` or not, and its lifetime. */
export type CookieOptions = Pick<AuthDeps, 'secureCookies' | 'absoluteHours'>;

export function setSessionCookie(reply: FastifyReply, token: string, deps: CookieOptions) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    maxAge: deps.absoluteHours * 3600,
  });
}

/** Secure cookies everywhere but plain-HTTP localhost demos: production, or an https public URL. */
export function secureCookiesFor(config: { production: boolean; publicUrl?: string }): boolean {
  return config.production || (config.publicUrl?.startsWith('https:') ?? false);
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The identified citizen of a request (routes with access ['citizen'] only). */
export function citizenOf(request: FastifyRequest): { personId: string; legalEntity: string | null } {
  const p = request.principal;
  if (!p?.personId) throw new DomainError('UNAUTHENTICATED');
  return { personId: p.personId, legalEntity: p.legalEntity };
}

/** Staff and devices act only on their own center; a national admin on any. */
export function assertCenter(request: FastifyRequest, centerId: string) {
  const p = request.principal;
  if (!p) throw new DomainError('UNAUTHENTICATED');
  if (p.role === 'national_admin') return;
  if (p.centerId !== centerId) throw new DomainError('FORBIDDEN');
}

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  return {
    kind: p ? p.role : 'anonymous',
    id: p ? (p.personId ?? p.staffId ?? p.centerId) : null,
    ip: request.ip,
  };
}
