import { z } from 'zod';
import { isDay, parseHm } from '../platform/kyiv-time.js';

/** Request schemas and access declarations shared by the capacity admin routes. */

export const day = z.string().refine(isDay, 'Очікується дата у форматі YYYY-MM-DD');
export const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Очікується час ГГ:ХХ');
export const role = z.enum(['administrator', 'examiner']);
export const workingDay = z
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
// Partial: a weekday left out is closed (zod 4's record over an enum would demand all seven).
export const workingHours = z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), workingDay);
export const centerParams = z.object({ id: z.string().min(1).max(64) });
export const range = z.object({ from: day, to: day });
export const norms = z
  .array(
    z.object({
      groupId: z.string().min(1).max(64),
      role,
      perDay: z.number().int().min(1).max(500).nullable(),
    }),
  )
  .min(1)
  .max(50);

export const staffOnly = { access: ['center_head', 'national_admin'] } as const;
export const nationalOnly = { access: ['national_admin'] } as const;
export const tags = ['admin'];
