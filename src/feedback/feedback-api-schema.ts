import { z } from 'zod';

/** Rating a served visit (rule 11): the answers the web shows. */

/** What a rating link is about; no personal data (the link is a bearer token). */
export const feedbackAbout = z.object({
  serviceName: z.string(),
  centerName: z.string(),
  date: z.string(),
  rated: z.boolean(),
});

export const feedbackGiven = z.object({
  registrationId: z.string(),
  rating: z.number(),
  comment: z.string().nullable(),
});

export const feedbackSummary = z.object({
  centerId: z.string(),
  asOf: z.string(),
  count: z.number(),
  average: z.number().nullable(),
  desks: z.array(
    z.object({
      deskId: z.string().nullable(),
      number: z.number().nullable(),
      count: z.number(),
      average: z.number().nullable(),
    }),
  ),
});

export type FeedbackAbout = z.infer<typeof feedbackAbout>;
export type FeedbackSummary = z.infer<typeof feedbackSummary>;
