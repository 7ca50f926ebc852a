import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.js';
import { secureCookiesFor } from './auth.js';
import { deviceRoutes } from './device-routes.js';
import { idgovuaEmulator } from './idgovua/idgovua-emulator.js';
import { loginRoutes } from './login-routes.js';
import { piiRoutes } from './pii-routes.js';
import { devOidcProvider } from './staff-oidc/dev-oidc-provider.js';

/**
 * Every identity route; the bundled providers only in demo mode (production refuses them). The
 * login flows and the bundled providers still take the context; devices and the identifier
 * reveal take their services.
 */
export const identityRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const cookies = {
      secureCookies: secureCookiesFor(ctx.config),
      absoluteHours: ctx.config.sessionAbsoluteHours,
    };
    await app.register(loginRoutes(ctx));
    await app.register(deviceRoutes({ devices: ctx.devices, cookies }));
    await app.register(piiRoutes({ pii: ctx.pii }));
    if (ctx.config.demo && ctx.config.identity.devProviders) {
      await app.register(idgovuaEmulator(ctx));
      await app.register(devOidcProvider(ctx));
    }
  };
