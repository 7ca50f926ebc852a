import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, assertCenter } from '../identity/auth.js';
import { isDay, parseHm } from '../platform/kyiv-time.js';

/**
 * Admin API of capacity (SPEC §1 center head / national admin, §3 rule 8). A center head acts on
 * their own center only (`assertCenter`), a national admin on any. Every change is audited and
 * answers with the regeneration it caused (conflicts included).
 */

const day = z.string().refine(isDay, 'Очікується дата у форматі YYYY-MM-DD');
const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Очікується час ГГ:ХХ');
const role = z.enum(['administrator', 'examiner']);
const workingDay = z
  .object({ open: hm, close: hm, breakFrom: hm.optional(), breakTo: hm.optional() })
  .refine((d) => parseHm(d.open) < parseHm(d.close), 'Початок роботи має бути раніше за кінець')
  .refine(
    (d) =>
      (d.breakFrom === undefined) === (d.breakTo === undefined) &&
      (!d.breakFrom ||
        !d.breakTo ||
        (parseHm(d.open) <= parseHm(d.breakFrom) &&
          parseHm(d.breakFrom) < parseHm(d.breakTo) &&
          parseHm(d.breakTo) <= parseHm(d.close))),
    'Перерва має бути в межах робочого часу',
  );
const workingHours = z.record(z.enum(['1', '2', '3', '4', '5', '6', '7']), workingDay);
const centerParams = z.object({ id: z.string().min(1).max(64) });
const range = z.object({ from: day, to: day });
const norms = z
  .array(
    z.object({
      groupId: z.string().min(1).max(64),
      role,
      perDay: z.number().int().min(1).max(500).nullable(),
    }),
  )
  .min(1)
  .max(50);

const staffOnly = { access: ['center_head', 'national_admin'] } as const;
const nationalOnly = { access: ['national_admin'] } as const;
const tags = ['admin'];

export const capacityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/v1/admin/centers/:id';
    const admin = ctx.capacityAdmin;

    app.get(
      base,
      { config: staffOnly, schema: { tags, summary: 'Налаштування центру', params: centerParams } },
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
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeHoliday(req.params.id, req.params.holidayId, actorOf(req));
      },
    );

    app.get(
      `${base}/desks`,
      { config: staffOnly, schema: { tags, summary: 'Робочі місця', params: centerParams } },
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
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.updateDesk(req.params.id, req.params.deskId, req.body, actorOf(req));
      },
    );

    app.get(
      `${base}/staff`,
      { config: staffOnly, schema: { tags, summary: 'Працівники', params: centerParams } },
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
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.setStaffActive(req.params.id, req.params.staffId, req.body.active, actorOf(req));
      },
    );

    app.get(
      `${base}/roster`,
      { config: staffOnly, schema: { tags, summary: 'Графік роботи', params: centerParams } },
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
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply.status(201).send(await admin.addShift(req.params.id, req.body, actorOf(req)));
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
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeShift(req.params.id, req.params.shiftId, actorOf(req));
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
        },
      },
      async (req, reply) => {
        assertCenter(req, req.params.id);
        return reply.status(201).send(await admin.addAbsence(req.params.id, req.body, actorOf(req)));
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
        },
      },
      async (req) => {
        assertCenter(req, req.params.id);
        return admin.removeAbsence(req.params.id, req.params.staffId, req.params.day, actorOf(req));
      },
    );

    app.get(
      `${base}/norms`,
      { config: staffOnly, schema: { tags, summary: 'Норми центру', params: centerParams } },
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
        schema: { tags, summary: 'Перерахувати місця за період', params: centerParams, body: range },
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
      { config: nationalOnly, schema: { tags, summary: 'Національні норми' } },
      async () => admin.norms(null),
    );
    app.put(
      '/api/v1/admin/norms',
      { config: nationalOnly, schema: { tags, summary: 'Змінити національні норми', body: norms } },
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
        },
      },
      async (req) => admin.removeHoliday(null, req.params.holidayId, actorOf(req)),
    );
  };
