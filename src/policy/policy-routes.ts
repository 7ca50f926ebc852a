import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/auth.js';
import { DomainError } from '../platform/problems.js';
import { policyChangeBody, policyKey, policyState } from './policy-api-schema.js';
import type { PolicyKey } from './policy-rules.js';
import type { PolicyService } from './policy-service.js';

/** SPEC §1: the national admin's global policy values (a center head gets 403). */
export const policyRoutes =
  ({ policy }: { policy: PolicyService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/admin/policy/values',
      {
        config: { access: ['national_admin'], rateLimit: 'reads' },
        schema: {
          tags: ['admin'],
          summary: 'Загальнодержавні правила: чинні значення, їх джерело і межі, історія змін',
          response: { 200: policyState },
        },
      },
      () => policy.current(),
    );

    app.put(
      '/api/v1/admin/policy/values/:key',
      {
        // Staff only, each change audited with a written reason: no per-minute budget needed.
        config: { access: ['national_admin'], rateLimit: false },
        schema: {
          tags: ['admin'],
          summary: 'Змінити одне загальнодержавне правило (з причиною; null повертає значення конфігурації)',
          params: z.object({ key: policyKey }),
          body: policyChangeBody,
          response: { 200: policyState },
        },
      },
      (request) => {
        const staffId = request.principal?.staffId;
        if (!staffId)
          throw new DomainError('FORBIDDEN', { detail: 'Зміну правила може зробити лише працівник.' });
        return policy.change({
          key: request.params.key as PolicyKey,
          value: request.body.value,
          reason: request.body.reason,
          actor: actorOf(request),
          staffId,
        });
      },
    );
  };
