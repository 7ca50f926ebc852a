import { z } from 'zod';

/** Answers of the load balancer's probes (`/healthz`, `/readyz`); a not-ready process answers 503 problem details. */

export const healthAnswer = z.object({ status: z.literal('ok') });

export const readyAnswer = z.object({
  status: z.literal('ready'),
  /** Which database this process runs on. */
  database: z.enum(['postgres', 'pglite']),
});
