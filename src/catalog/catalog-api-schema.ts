import { z } from 'zod';

/** The public catalogue's answers: one contract for the server's serializer and the web's types. */

export const workingDayView = z.object({
  open: z.string(),
  close: z.string(),
  breakFrom: z.string().optional(),
  breakTo: z.string().optional(),
});

export const centerView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  address: z.string(),
  /** English name and address; null = shown in Ukrainian. */
  nameEn: z.string().nullable(),
  addressEn: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** ISO weekday ("1" = Monday … "7" = Sunday) → hours; a missing day is closed. */
  workingHours: z.partialRecord(z.string(), workingDayView),
  /** Vehicle categories the center examines in practical exams (SPEC §2 Exams); empty: none. */
  examCategories: z.array(z.string()),
});

/** `?service=&category=`: only the centers that examine that category (practical exams). */
export const centersQuery = z.object({
  service: z.string().max(64).optional(),
  category: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,3}$/, 'Категорія: латинські літери, напр. B або CE')
    .optional(),
});

export const serviceView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  group: z.string(),
  groupName: z.string(),
  isExam: z.boolean(),
  /** The vehicle categories a practical exam is taken in; the portal asks for one first. */
  examCategories: z.array(z.string()),
  documents: z.array(z.string()),
  price: z.string().nullable(),
  /** English name, documents and fee; null or empty = shown in Ukrainian. */
  nameEn: z.string().nullable(),
  documentsEn: z.array(z.string()),
  priceEn: z.string().nullable(),
});

export const deskView = z.object({ id: z.string(), number: z.number(), groups: z.array(z.string()) });

/** SPEC §2, rule 8: a vehicle category a center examines and its cars of it. */
export const examCars = z.object({
  category: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, 'Категорія: латинська велика літера, до 4 символів'),
  cars: z.number().int().min(1).max(50),
});

/** The categories practical exams have, and the center's own with their cars. */
export const centerExamCarsView = z.object({ offered: z.array(z.string()), cars: z.array(examCars) });

export const centerExamCarsBody = z.object({ cars: z.array(examCars).max(20) });

export type CenterView = z.infer<typeof centerView>;
export type ServiceView = z.infer<typeof serviceView>;
export type DeskView = z.infer<typeof deskView>;
