import type { FastifyPluginAsync } from 'fastify';
import { deviceRoutes } from './device-routes.js';
import type { DeviceService } from './device-service.js';
import { type IdGovUaEmulatorDeps, idgovuaEmulator } from './idgovua/idgovua-emulator.js';
import { type LoginRouteDeps, loginRoutes } from './login-routes.js';
import { piiRoutes } from './pii-routes.js';
import type { PiiService } from './pii-service.js';
import { type DevOidcDeps, devOidcProvider } from './staff-oidc/dev-oidc-provider.js';

/** What the identity routes use: each plugin's own narrow dependencies, wired in app.ts. */
export interface IdentityRouteDeps {
  login: LoginRouteDeps;
  devices: DeviceService;
  pii: PiiService;
  /** The bundled ID.GOV.UA emulator and staff SSO: given only in demo mode with DEV_PROVIDERS. */
  devProviders: (IdGovUaEmulatorDeps & DevOidcDeps) | null;
}

/** Every identity route; the bundled providers only in demo mode (production refuses them). */
export const identityRoutes =
  (deps: IdentityRouteDeps): FastifyPluginAsync =>
  async (app) => {
    await app.register(loginRoutes(deps.login));
    await app.register(deviceRoutes({ devices: deps.devices, cookies: deps.login.cookies }));
    await app.register(piiRoutes({ pii: deps.pii }));
    if (deps.devProviders) {
      await app.register(idgovuaEmulator(deps.devProviders));
      await app.register(devOidcProvider(deps.devProviders));
    }
  };
