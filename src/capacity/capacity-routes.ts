import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import type { CapacityAdmin } from './capacity-admin-service.js';
import {
  centerSettings,
  centerSettingsUpdated,
  conflictResolved,
  conflictView,
  holidayAdded,
  holidayRemoved,
  holidayView,
  normsSet,
  normView,
  previewDayView,
  regenerationView,
} from './capacity-api-schema.js';
import {
  centerParams,
  day,
  nationalOnly,
  norms,
  range,
  staffOnly,
  tags,
  workingHours,
} from './capacity-schemas.js';
import type { CapacityService } from './capacity-service.js';
import { conflictOfferRoutes } from './conflict-offer-routes.js';
import { rosterRoutes } from './roster-routes.js';

/**
 * Admin API of capacity (SPEC §1 center head / national admin, §3 rule 8). A center head acts on
 * their own center only (`assertCenter`), a national admin on any. Every change is audited and
 * answers with the regeneration it caused (conflicts included).
 */

export const capacityRoutes =
  (ctx: { capacity: CapacityService; capacityAdmin: CapacityAdmin }): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/v1/admin/centers/:id';
    const admin = ctx.capacityAdmin;
    await app.register(rosterRoutes(ctx));
    // Offering another time and cancelling with notice (SPEC rule 8), beside "mark resolved".
    await app.register(conflictOfferRoutes({ conflictOffers: admin.conflictOffers }));

    app.get(
      base,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Налаштування центру',
          params: centerParams,
          response: { 200: centerSettings },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.center(req.params.id);
      },
    );

    app.put(
      base,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Змінити години роботи й частку онлайн-запису',
          params: centerParams,
          body: z
            .object({
              workingHours: workingHours.optional(),
              onlineShare: z.number().min(0).max(1).optional(),
            })
            .refine((b) => b.workingHours !== undefined || b.onlineShare !== undefined, 'Нічого змінювати'),
          response: { 200: centerSettingsUpdated },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.updateSettings(req.params.id, req.body, actorOf(req));
      },
    );

    app.get(
      `${base}/holidays`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Вихідні й святкові дні',
          params: centerParams,
          querystring: z.object({ from: day.optional() }),
          response: { 200: z.array(holidayView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.holidays(req.params.id, req.query.from);
      },
    );
    app.post(
      `${base}/holidays`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Додати вихідний день центру',
          params: centerParams,
          body: z.object({ day, name: z.string().min(1).max(200) }),
          response: { 201: holidayAdded },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply.status(201).send(await admin.addHoliday(req.params.id, req.body, actorOf(req)));
      },
    );
    app.delete(
      `${base}/holidays/:holidayId`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Прибрати вихідний день центру',
          params: centerParams.extend({ holidayId: z.coerce.number().int().positive() }),
          response: { 200: holidayRemoved },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeHoliday(req.params.id, req.params.holidayId, actorOf(req));
      },
    );

    app.get(
      `${base}/norms`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Норми центру',
          params: centerParams,
          response: { 200: z.array(normView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.norms(req.params.id);
      },
    );
    app.put(
      `${base}/norms`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Норми центру (perDay: null прибирає власну норму)',
          params: centerParams,
          body: norms,
          response: { 200: normsSet },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.setNorms(req.params.id, req.body, actorOf(req));
      },
    );

    app.get(
      `${base}/capacity`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Перегляд місць по днях і групах',
          params: centerParams,
          querystring: range,
          response: { 200: z.array(previewDayView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return ctx.capacity.preview(req.params.id, req.query.from, req.query.to);
      },
    );
    app.post(
      `${base}/capacity/regenerate`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Перерахувати місця за період',
          params: centerParams,
          body: range,
          response: { 200: regenerationView },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return ctx.capacity.regenerate(req.params.id, req.body.from, req.body.to, actorOf(req));
      },
    );
    app.get(
      `${base}/capacity/conflicts`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Записи, яким бракує місця після змін',
          params: centerParams,
          querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
          response: { 200: z.array(conflictView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return ctx.capacity.conflicts(req.params.id, { all: req.query.all === 'true' });
      },
    );
    app.post(
      `${base}/capacity/conflicts/:conflictId/resolve`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Позначити конфлікт вирішеним',
          params: centerParams.extend({ conflictId: z.coerce.number().int().positive() }),
          body: z.object({ resolution: z.string().min(3).max(500) }),
          response: { 200: conflictResolved },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return ctx.capacity.resolveConflict(
          req.params.id,
          req.params.conflictId,
          req.body.resolution,
          actorOf(req),
        );
      },
    );

    app.get(
      '/api/v1/admin/norms',
      {
        config: nationalOnly,
        schema: { tags, summary: 'Національні норми', response: { 200: z.array(normView) } },
      },
      async () => admin.norms(null),
    );
    app.put(
      '/api/v1/admin/norms',
      {
        config: nationalOnly,
        schema: {
          tags,
          summary: 'Змінити національні норми',
          body: norms,
          response: { 200: normsSet },
        },
      },
      async (req) => admin.setNorms(null, req.body, actorOf(req)),
    );
    app.get(
      '/api/v1/admin/holidays',
      {
        config: nationalOnly,
        schema: {
          tags,
          summary: 'Загальнодержавні вихідні',
          querystring: z.object({ from: day.optional() }),
          response: { 200: z.array(holidayView) },
        },
      },
      async (req) => admin.holidays(null, req.query.from),
    );
    app.post(
      '/api/v1/admin/holidays',
      {
        config: nationalOnly,
        schema: {
          tags,
          summary: 'Додати загальнодержавний вихідний',
          body: z.object({ day, name: z.string().min(1).max(200) }),
          response: { 201: holidayAdded },
        },
      },
      async (req, reply) => reply.status(201).send(await admin.addHoliday(null, req.body, actorOf(req))),
    );
    app.delete(
      '/api/v1/admin/holidays/:holidayId',
      {
        config: nationalOnly,
        schema: {
          tags,
          summary: 'Прибрати загальнодержавний вихідний',
          params: z.object({ holidayId: z.coerce.number().int().positive() }),
          response: { 200: holidayRemoved },
        },
      },
      async (req) => admin.removeHoliday(null, req.params.holidayId, actorOf(req)),
    );
  };
