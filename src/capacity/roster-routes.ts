import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import { parseHm } from '../platform/kyiv-time.js';
import type { CapacityAdmin } from './capacity-admin-service.js';
import {
  absenceAdded,
  absenceRemoved,
  absenceView,
  adminDeskView,
  deskAdded,
  deskUpdated,
  shiftAdded,
  shiftRemoved,
  shiftView,
  staffActiveSet,
  staffAdded,
  staffView,
} from './capacity-api-schema.js';
import { centerParams, day, hm, role, staffOnly, tags } from './capacity-schemas.js';

/** `?dryRun=true`: the change's answer (conflicts it would create) with nothing kept. */
const dryRunQuery = z.object({ dryRun: z.enum(['true', 'false']).optional() });

/** Admin API of a center's desks, staff, roster and absences (registered by capacityRoutes). */
export const rosterRoutes =
  (ctx: { capacityAdmin: CapacityAdmin }): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/v1/admin/centers/:id';
    const admin = ctx.capacityAdmin;

    app.get(
      `${base}/desks`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Робочі місця',
          params: centerParams,
          response: { 200: z.array(adminDeskView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.desks(req.params.id);
      },
    );
    app.post(
      `${base}/desks`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Додати робоче місце',
          params: centerParams,
          body: z.object({
            number: z.number().int().min(1).max(999),
            groupIds: z.array(z.string().min(1).max(64)).min(1).max(20),
          }),
          response: { 201: deskAdded },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply.status(201).send(await admin.addDesk(req.params.id, req.body, actorOf(req)));
      },
    );
    app.put(
      `${base}/desks/:deskId`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Змінити групи послуг робочого місця',
          params: centerParams.extend({ deskId: z.string().min(1).max(100) }),
          body: z.object({
            groupIds: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
            active: z.boolean().optional(),
          }),
          response: { 200: deskUpdated },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.updateDesk(req.params.id, req.params.deskId, req.body, actorOf(req));
      },
    );

    app.get(
      `${base}/staff`,
      {
        config: staffOnly,
        schema: { tags, summary: 'Працівники', params: centerParams, response: { 200: z.array(staffView) } },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.staff(req.params.id);
      },
    );
    app.post(
      `${base}/staff`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Додати працівника',
          params: centerParams,
          body: z.object({
            fullName: z.string().min(3).max(200),
            role,
            email: z.string().email().max(200).optional(),
          }),
          response: { 201: staffAdded },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply.status(201).send(await admin.addStaff(req.params.id, req.body, actorOf(req)));
      },
    );
    app.put(
      `${base}/staff/:staffId`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Активувати або деактивувати працівника',
          params: centerParams.extend({ staffId: z.string().min(1).max(100) }),
          body: z.object({ active: z.boolean() }),
          response: { 200: staffActiveSet },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.setStaffActive(req.params.id, req.params.staffId, req.body.active, actorOf(req));
      },
    );

    app.get(
      `${base}/roster`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Графік роботи',
          params: centerParams,
          response: { 200: z.array(shiftView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.roster(req.params.id);
      },
    );
    app.post(
      `${base}/roster`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Додати зміну до графіка',
          params: centerParams,
          body: z
            .object({
              staffId: z.string().min(1).max(100),
              deskId: z.string().min(1).max(100),
              weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
              validFrom: day,
              validTo: day.nullish(),
              starts: hm.nullish(),
              ends: hm.nullish(),
            })
            .refine((b) => !b.validTo || b.validFrom <= b.validTo, 'validTo раніше за validFrom')
            .refine(
              (b) => !b.starts || !b.ends || parseHm(b.starts) < parseHm(b.ends),
              'starts має бути раніше за ends',
            ),
          querystring: dryRunQuery,
          response: { 200: shiftAdded, 201: shiftAdded },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        const dryRun = req.query.dryRun === 'true';
        const answer = await admin.addShift(req.params.id, req.body, actorOf(req), { dryRun });
        return reply.status(dryRun ? 200 : 201).send(answer);
      },
    );
    app.delete(
      `${base}/roster/:shiftId`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Прибрати зміну з графіка',
          params: centerParams.extend({ shiftId: z.coerce.number().int().positive() }),
          querystring: dryRunQuery,
          response: { 200: shiftRemoved },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeShift(req.params.id, req.params.shiftId, actorOf(req), {
          dryRun: req.query.dryRun === 'true',
        });
      },
    );

    app.get(
      `${base}/absences`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Відсутності працівників',
          params: centerParams,
          querystring: z.object({ from: day.optional() }),
          response: { 200: z.array(absenceView) },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.absences(req.params.id, req.query.from);
      },
    );
    app.post(
      `${base}/absences`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Позначити відсутність працівника',
          params: centerParams,
          body: z.object({
            staffId: z.string().min(1).max(100),
            day,
            reason: z.string().max(200).optional(),
          }),
          querystring: dryRunQuery,
          response: { 200: absenceAdded, 201: absenceAdded },
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        const dryRun = req.query.dryRun === 'true';
        const answer = await admin.addAbsence(req.params.id, req.body, actorOf(req), { dryRun });
        return reply.status(dryRun ? 200 : 201).send(answer);
      },
    );
    app.delete(
      `${base}/absences/:staffId/:day`,
      {
        config: staffOnly,
        schema: {
          tags,
          summary: 'Скасувати відсутність',
          params: centerParams.extend({ staffId: z.string().min(1).max(100), day }),
          querystring: dryRunQuery,
          response: { 200: absenceRemoved },
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeAbsence(req.params.id, req.params.staffId, req.params.day, actorOf(req), {
          dryRun: req.query.dryRun === 'true',
        });
      },
    );
  };
