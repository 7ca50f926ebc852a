/**
 * The ID.GOV.UA protocol (the integrated e-identification system behind BankID, Diia.Signature
 * and qualified e-signatures). OAuth2-like, not OpenID Connect: no ID token, nonce or PKCE, so
 * the caller binds `state` to the browser itself (auth-flow-store.ts). Tokens travel only in
 * server-to-server requests and are never logged (the request logger drops query strings, and
 * errors here never carry the URL).
 */

export interface IdGovUaSettings {
  /** Without a trailing slash, e.g. https://test.id.gov.ua or http://localhost:3000/dev/idgovua. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  authTypes: string;
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
  /** РНОКПП; empty for a person who refused it for religious reasons. */
  drfocode?: string;
  /** ЄДРПОУ of the legal entity, when the signer's certificate belongs to one. */
  edrpoucode?: string;
  /**
   * Passport series/number for a person without РНОКПП. ID.GOV.UA itself carries it in the
   * certificate data; the bundled emulator puts it in this field (README, "Identity").
   */
  passport?: string;
  email?: string;
  phone?: string;
  unzr?: string;
  issuer?: string;
  issuercn?: string;
  subjectcn?: string;
  o?: string;
  title?: string;
  [field: string]: unknown;
}

export const USER_FIELDS =
  'issuer,issuercn,serial,subject,subjectcn,locality,state,o,ou,title,lastname,middlename,givenname,email,address,phone,dns,edrpoucode,drfocode,unzr,passport';

export class IdGovUaError extends Error {}

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

async function getJson(url: string, what: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    // The URL carries the code or token: never put it in the error.
    throw new IdGovUaError(`ID.GOV.UA ${what}: network error`, { cause: (cause as Error).name });
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok || !body || typeof body !== 'object' || 'error' in body) {
    const error = body && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    throw new IdGovUaError(`ID.GOV.UA ${what}: ${error}`);
  }
  return body;
}

export async function exchangeCode(s: IdGovUaSettings, code: string): Promise<IdGovUaTokens> {
  const q = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: s.clientId,
    client_secret: s.clientSecret,
    code,
  });
  const body = await getJson(`${s.baseUrl}/get-access-token?${q}`, 'get-access-token');
  const accessToken = body.access_token;
  const userId = body.user_id;
  if (
    typeof accessToken !== 'string' ||
    !accessToken ||
    (typeof userId !== 'string' && typeof userId !== 'number')
  )
    throw new IdGovUaError('ID.GOV.UA get-access-token: incomplete answer');
  return {
    accessToken,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    // The protocol sends expires_in as a string.
    expiresIn: Number(body.expires_in) || 0,
    userId: String(userId),
  };
}

export async function userInfo(s: IdGovUaSettings, tokens: IdGovUaTokens): Promise<IdGovUaUser> {
  const q = new URLSearchParams({
    fields: USER_FIELDS,
    user_id: tokens.userId,
    access_token: tokens.accessToken,
  });
  return (await getJson(`${s.baseUrl}/get-user-info?${q}`, 'get-user-info')) as IdGovUaUser;
}

export async function logout(
  s: IdGovUaSettings,
  input: { userId: string; accessToken: string },
): Promise<void> {
  const q = new URLSearchParams({ user_id: input.userId, access_token: input.accessToken });
  await getJson(`${s.baseUrl}/get-user-logout?${q}`, 'get-user-logout');
}
