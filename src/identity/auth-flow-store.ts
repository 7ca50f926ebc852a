import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken, sha256 } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import './identity-schema.js';

/**
 * A pending login bound to the browser that started it. ID.GOV.UA has no nonce or PKCE, so the
 * `state` alone would not tie the callback to this browser: the browser also carries a random
 * flow id in a short-lived httpOnly cookie, and the row (keyed by its hash) must match both.
 * Single use: consuming deletes the row.
 */
export type FlowProvider = 'idgovua' | 'staff_oidc';

const FLOW_MINUTES = 10;
const cookieName = (provider: FlowProvider) => (provider === 'idgovua' ? 'ezs_flow_c' : 'ezs_flow_s');

export async function beginFlow(
  db: Executor,
  reply: FastifyReply,
  input: { provider: FlowProvider; state: string; data: Record<string, unknown>; now: Date; secure: boolean },
): Promise<void> {
  const flowId = randomToken();
  // Leftovers of abandoned logins go here, not in a job: the table stays tiny.
  await db.deleteFrom('auth_flows').where('expires_at', '<=', input.now).execute();
  await db
    .insertInto('auth_flows')
    .values({
      id_hash: sha256(flowId),
      provider: input.provider,
      state: input.state,
      data: JSON.stringify(input.data),
      created_at: input.now,
      expires_at: new Date(input.now.getTime() + FLOW_MINUTES * 60_000),
    })
    .execute();
  reply.setCookie(cookieName(input.provider), flowId, {
    path: '/auth/',
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
    sameSite: 'lax',
    secure: input.secure,
    maxAge: FLOW_MINUTES * 60,
  });
}

/** The flow's data when the browser's cookie and the returned state match a live flow; else null. */
export async function consumeFlow(
  db: Executor,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { provider: FlowProvider; state: string | undefined; now: Date },
): Promise<Record<string, unknown> | null> {
  const name = cookieName(input.provider);
  const flowId = request.cookies?.[name];
  reply.clearCookie(name, { path: '/auth/' });
  if (!flowId || !input.state) return null;
  const row = await db
    .deleteFrom('auth_flows')
    .where('id_hash', '=', sha256(flowId))
    .where('provider', '=', input.provider)
    .returningAll()
    .executeTakeFirst();
  if (!row || row.state !== input.state || new Date(row.expires_at).getTime() <= input.now.getTime())
    return null;
  return row.data;
}

/**
 * Only a path on this service may be a return target. Browsers drop TAB/CR/LF inside URLs and
 * read `\` as `/`, so `/\t/evil` or `/\evil` would become `//evil`: any control character or
 * backslash refuses the value outright, and what remains must resolve to this origin.
 */
export function safeReturnTo(value: unknown, origin = 'http://localhost'): string {
  if (typeof value !== 'string' || value.length > 512) return '/';
  if (!/^\/(?![/\\])/.test(value) || /[\p{Cc}\\]/u.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, `${origin}/`);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * This service's public origin (PUBLIC_URL). Never the request's Host or X-Forwarded-* headers:
 * a client chooses those, and a redirect built from them sends login codes to its host.
 */
export function requestOrigin(_request: FastifyRequest, publicUrl?: string): string {
  if (!publicUrl) throw new Error('PUBLIC_URL is not configured');
  return publicUrl.replace(/\/+$/, '');
}
