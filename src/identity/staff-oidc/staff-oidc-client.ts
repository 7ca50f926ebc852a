import * as client from 'openid-client';
import { ssoDisplayName } from './staff-profile.js';

/**
 * Staff sign in through the ministry SSO: generic OpenID Connect, authorization code with PKCE
 * and nonce (openid-client). The discovered configuration is cached per issuer; a failed
 * discovery is retried on the next login.
 */
export interface StaffOidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const configs = new Map<string, Promise<client.Configuration>>();

export function oidcConfiguration(s: StaffOidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer}\n${s.clientId}`;
  let pending = configs.get(key);
  if (!pending) {
    const insecure = s.issuer.startsWith('http:');
    pending = client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, {
      // Plain HTTP only for the development server on this machine; production requires HTTPS.
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
    pending.catch(() => configs.delete(key));
    configs.set(key, pending);
  }
  return pending;
}

export async function startStaffLogin(
  s: StaffOidcSettings,
  redirectUri: string,
): Promise<{ url: string; state: string; verifier: string; nonce: string }> {
  const config = await oidcConfiguration(s);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state, verifier, nonce };
}

export async function finishStaffLogin(
  s: StaffOidcSettings,
  currentUrl: URL,
  checks: { state: string; verifier: string; nonce: string },
): Promise<{ sub: string; email?: string; name?: string }> {
  const config = await oidcConfiguration(s);
  const tokens = await client.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims?.sub) throw new Error('ID token without sub');
  // Many SSOs keep e-mail out of the ID token: ask the userinfo endpoint, bound to the same sub.
  const info =
    typeof claims.email === 'string'
      ? claims
      : await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  return {
    sub: claims.sub,
    email: typeof info.email === 'string' ? info.email : undefined,
    // Copied to the staff row at login: the audit log names staff by it (SSO is the source).
    name: ssoDisplayName(info.name) ?? undefined,
  };
}
