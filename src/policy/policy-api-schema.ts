import { z } from 'zod';
import { policyKeys } from './policy-rules.js';

/** The national policy screen: values in force with their source and range, and the history. */

const source = z.enum(['default', 'config', 'override']);

export const policyKey = z.enum(policyKeys as [string, ...string[]]);

export const policyValueView = z.object({
  key: z.string(),
  /** In force now; the online share in percent. */
  value: z.number(),
  /** override (console) > config (environment) > default (SPEC). */
  source,
  configured: z.number(),
  default: z.number(),
  env: z.string(),
  rule: z.number(),
  min: z.number(),
  max: z.number(),
  unit: z.enum(['count', 'days', 'minutes', 'hour', 'percent']),
  changedAt: z.string().nullable(),
  changedByName: z.string().nullable(),
});

export const policyChangeView = z.object({
  id: z.number(),
  key: z.string(),
  oldValue: z.number(),
  oldSource: source,
  newValue: z.number(),
  newSource: source,
  at: z.string(),
  byId: z.string(),
  /** The staff member's name when they made the change (the SSO identity's). */
  byName: z.string().nullable(),
  reason: z.string(),
});

export const policyState = z.object({
  values: z.array(policyValueView),
  history: z.array(policyChangeView),
});

export const policyChangeBody = z.object({
  /** A whole number in the key's range; null removes the override (the configured value again). */
  value: z.number().int().nullable(),
  reason: z.string().trim().min(10).max(500),
});

export type PolicyValueView = z.infer<typeof policyValueView>;
export type PolicyChangeView = z.infer<typeof policyChangeView>;
export type PolicyState = z.infer<typeof policyState>;
