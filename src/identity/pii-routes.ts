import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../audit/audit-store.js';
import type { AppContext } from '../context.js';
import { DomainError } from '../platform/problems.js';
import { actorOf } from './auth.js';

/**
 * The full identifier of a registration's person, for the operator comparing it with the shown
 * document (SPEC §5): only staff of that registration's center, and every view is audited
 * (`pii.viewed`). Another center's registration is NOT_FOUND, like an unknown one.
 */
export const piiRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/registrations/:id/reveal-identity',
      {
        config: { access: ['operator', 'center_head'] },
        schema: {
          tags: ['hall'],
          summary: 'Показати повний ідентифікатор особи (дія журналюється)',
          params: z.object({ id: z.string().uuid() }),
        },
      },
      async (request) => {
        const p = request.principal;
        const now = ctx.clock.now();
        return ctx.db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('registrations')
            .innerJoin('persons', 'persons.id', 'registrations.person_id')
            .select([
              'registrations.id',
              'registrations.center_id',
              'persons.id as personId',
              'persons.id_kind',
              'persons.id_enc',
              'registrations.priority_doc_type',
              'registrations.priority_doc_enc',
            ])
            .where('registrations.id', '=', request.params.id)
            .executeTakeFirst();
          if (!row || !p || row.center_id !== p.centerId) throw new DomainError('NOT_FOUND');
          const actor = actorOf(request);
          await audit(trx, {
            at: now,
            actorKind: actor.kind,
            actorId: actor.id,
            action: 'pii.viewed',
            subjectKind: 'registration',
            subjectId: row.id,
            centerId: row.center_id,
            ip: actor.ip,
            details: { personId: row.personId, field: row.id_kind },
          });
          return {
            registrationId: row.id,
            idKind: row.id_kind,
            value: ctx.crypto.decrypt(row.id_enc),
            // The priority document too (SPEC 3.5): its number is masked everywhere else.
            priorityDocument: row.priority_doc_enc
              ? { type: row.priority_doc_type, number: ctx.crypto.decrypt(row.priority_doc_enc) }
              : null,
          };
        });
      },
    );
  };
