import type { Config } from '../config.js';

/** A form or its redirect may lead to the configured identity providers (CSP form-action). */
export function identityFormOrigins(config: Config): string[] {
  const id = config.identity;
  return [id.idgovuaBaseUrl, id.staffOidcIssuer].flatMap((u) => (u ? [new URL(u).origin] : []));
}

export function identitySurfaces(config: Config, base: string): Array<[string, string]> {
  const list: Array<[string, string]> = [
    ['Citizen login', `${base}/auth/citizen/login`],
    ['Staff login (SSO)', `${base}/auth/staff/login`],
  ];
  if (config.demo && config.identity.devProviders) {
    if (!config.identity.idgovuaBaseUrl) list.push(['ID.GOV.UA emulator', `${base}/dev/idgovua/`]);
    if (!config.identity.staffOidcIssuer)
      list.push(['Staff SSO (dev OIDC)', `${base}/dev/oidc/.well-known/openid-configuration`]);
  }
  return list;
}
