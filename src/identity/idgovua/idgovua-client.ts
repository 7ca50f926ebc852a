/**
 * The ID.GOV.UA protocol (the integrated e-identification system behind BankID, Diia.Signature
 * and qualified e-signatures). OAuth2-like, not OpenID Connect: no ID token, nonce or PKCE, so
 * the caller binds `state` to the browser itself (auth-flow-store.ts). Tokens travel only in
 * server-to-server requests and are never logged (the request logger drops query strings, and
 * errors here never carry the URL).
 */
import { EnvelopeError, type EnvelopeOpener } from './idgovua-envelope.js';

export interface IdGovUaSettings {
  /** Without a trailing slash, e.g. https://test.id.gov.ua or http://localhost:3000/dev/idgovua. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  authTypes: string;
  /**
   * Our encryption key and certificate (loaded on first use); null asks for plain user info
   * (the provider's test environment).
   */
  envelope: () => EnvelopeOpener | null;
}

export interface IdGovUaTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number;
  userId: string;
}

/** The user-info answer (fields as ID.GOV.UA names them). */
export interface IdGovUaUser {
  lastname?: string;
  givenname?: string;
  middlename?: string;
  /**
   * РНОКПП; for a person who refused it for religious reasons, the passport number instead: a
   * booklet's series and number ("ЯЯ999998") or an ID card's nine digits.
   */
  drfocode?: string;
  /** ЄДРПОУ of the legal entity, when the signer's certificate belongs to one. */
  edrpoucode?: string;
  email?: string;
  phone?: string;
  issuer?: string;
  issuercn?: string;
  subjectcn?: string;
  o?: string;
  title?: string;
  /** How the person signed in: dig_sign, bank_id, diia_id, diia_oauth, … */
  auth_type?: string;
  [field: string]: unknown;
}

/** The documented user-info fields we ask for (nothing undocumented: a provider may refuse it). */
export const USER_FIELDS =
  'issuer,issuercn,serial,subject,subjectcn,locality,state,o,ou,title,lastname,middlename,givenname,email,address,phone,dns,edrpoucode,drfocode,auth_type';

export class IdGovUaError extends Error {
  constructor(
    message: string,
    /** The provider's own error code, or our reason (`network`, `http_401`, `envelope`, …). */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function authorizeUrl(s: IdGovUaSettings, input: { state: string; redirectUri: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: s.clientId,
    auth_type: s.authTypes,
    state: input.state,
    redirect_uri: input.redirectUri,
  });
  return `${s.baseUrl}/?${q}`;
}

/**
 * One call to the provider. Its answers are JSON; a failure is an `error` other than "0" (the
 * provider answers a successful logout with `{"error":"0","error_description":"…"}`) or a
 * non-2xx status. URLs carry codes and tokens: they never go into an error or a log line.
 */
async function callJson(url: string, what: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { accept: 'application/json', ...init.headers },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new IdGovUaError(`ID.GOV.UA ${what}: network error`, 'network', { cause: (cause as Error).name });
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  const error = body && typeof body === 'object' ? body.error : undefined;
  const failed = error !== undefined && error !== null && String(error) !== '0';
  if (!res.ok || !body || typeof body !== 'object' || Array.isArray(body) || failed) {
    const reason = failed ? String(error).slice(0, 64) : `http_${res.status}`;
    throw new IdGovUaError(`ID.GOV.UA ${what}: ${reason}`, reason);
  }
  return body;
}

/** Code for tokens. A POST form, so the client secret never sits in a URL (or a proxy's log). */
export async function exchangeCode(s: IdGovUaSettings, code: string): Promise<IdGovUaTokens> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: s.clientId,
    client_secret: s.clientSecret,
    code,
  });
  const body = await callJson(`${s.baseUrl}/get-access-token`, 'get-access-token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const accessToken = body.access_token;
  const userId = body.user_id;
  if (
    typeof accessToken !== 'string' ||
    !accessToken ||
    (typeof userId !== 'string' && typeof userId !== 'number')
  )
    throw new IdGovUaError('ID.GOV.UA get-access-token: incomplete answer', 'incomplete');
  return {
    accessToken,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    // The protocol sends expires_in as a string.
    expiresIn: Number(body.expires_in) || 0,
    userId: String(userId),
  };
}

/**
 * The person's data. With our certificate in `cert` the provider answers `{"encryptedUserInfo":
 * …}`, opened here; a plain answer to an encrypted request is refused (no silent downgrade).
 */
export async function userInfo(s: IdGovUaSettings, tokens: IdGovUaTokens): Promise<IdGovUaUser> {
  const q = new URLSearchParams({
    fields: USER_FIELDS,
    user_id: tokens.userId,
    access_token: tokens.accessToken,
  });
  const envelope = s.envelope();
  // Base64 has `+`, `/` and `=`: the provider expects the value URL-encoded twice (once here, once
  // by URLSearchParams), as state integrators send it.
  if (envelope) q.set('cert', encodeURIComponent(envelope.certBase64));
  const body = await callJson(`${s.baseUrl}/get-user-info?${q}`, 'get-user-info');
  if (!envelope) {
    if ('encryptedUserInfo' in body)
      throw new IdGovUaError('ID.GOV.UA get-user-info: encrypted answer to a plain request', 'envelope');
    return body as IdGovUaUser;
  }
  if (typeof body.encryptedUserInfo !== 'string')
    throw new IdGovUaError('ID.GOV.UA get-user-info: plain answer to an encrypted request', 'envelope');
  try {
    return (await envelope.open(body.encryptedUserInfo)) as IdGovUaUser;
  } catch (error) {
    const problem = error instanceof EnvelopeError ? error.problem : 'undecryptable';
    throw new IdGovUaError(`ID.GOV.UA get-user-info: ${(error as Error).message}`, `envelope_${problem}`);
  }
}

/** Ends the provider's session (integrators call it right after reading the user info). */
export async function logout(
  s: IdGovUaSettings,
  input: { userId: string; accessToken: string },
): Promise<void> {
  const q = new URLSearchParams({ user_id: input.userId, access_token: input.accessToken });
  await callJson(`${s.baseUrl}/get-user-logout?${q}`, 'get-user-logout');
}
