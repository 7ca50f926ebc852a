import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { deviceRoutes } from './device-routes.js';
import { idgovuaEmulator } from './idgovua/idgovua-emulator.js';
import { loginRoutes } from './login-routes.js';
import { piiRoutes } from './pii-routes.js';
import { devOidcProvider } from './staff-oidc/dev-oidc-provider.js';

/** Every identity route; the bundled providers only in demo mode (production refuses them). */
export const identityRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    await app.register(loginRoutes(ctx));
    await app.register(deviceRoutes(ctx));
    await app.register(piiRoutes(ctx));
    if (ctx.config.demo && ctx.config.identity.devProviders) {
      await app.register(idgovuaEmulator(ctx));
      await app.register(devOidcProvider(ctx));
    }
  };

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
