import { z } from 'zod';

/**
 * The operator's desk as the server keeps it (SPEC 3.6): the ticket called to it, the tickets
 * parked at it, the queue counts and who works there. A reload or another browser restores the
 * workstation from this answer; nothing about the desk lives in a browser tab.
 */

/** A registration as the operator sees it at the desk: the data to compare with the document. */
export const deskTicketView = z.object({
  id: z.string(),
  number: z.number().nullable(),
  status: z.string(),
  channel: z.enum(['online', 'terminal']),
  priority: z.string().nullable(),
  priorityDocument: z.object({ type: z.string(), number: z.string().nullable() }).nullable(),
  serviceId: z.string(),
  serviceName: z.string(),
  groupId: z.string(),
  desk: z.number().nullable(),
  callAt: z.string(),
  calledAt: z.string().nullable(),
  callCount: z.number(),
  parked: z.boolean(),
  person: z.object({
    lastName: z.string(),
    firstName: z.string(),
    middleName: z.string().nullable(),
    idKind: z.string(),
    idMasked: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  legalEntity: z.object({ edrpou: z.string(), name: z.string().nullable() }).nullable(),
});

/** A parked ticket: number and service only (the person's data is shown once it is called again). */
export const parkedTicketView = z.object({
  id: z.string(),
  number: z.number().nullable(),
  serviceName: z.string(),
  priority: z.string().nullable(),
  parkedAt: z.string(),
  callCount: z.number(),
});

export const deskStateView = z.object({
  desk: z.object({
    id: z.string(),
    number: z.number(),
    groups: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  center: z.object({ id: z.string(), name: z.string() }),
  /** The staff member of the session (the SSO identity's name), null for a session without one. */
  operator: z.object({ name: z.string(), role: z.string() }).nullable(),
  /** The visitor called to this desk now (the most recent call), or null. */
  current: deskTicketView.nullable(),
  /** Older tickets still called to this desk (e.g. called from another browser): to finish too. */
  alsoCalled: z.array(z.object({ id: z.string(), number: z.number().nullable(), calledAt: z.string() })),
  parked: z.array(parkedTicketView),
  /** Today's tickets of the desk's service groups: waiting (not parked), due now among them, parked. */
  queue: z.object({ waiting: z.number(), due: z.number(), parked: z.number() }),
  alert: z.object({ active: z.boolean(), since: z.string().nullable() }),
  /** Rule 6: calls before a no-show may be recorded (the workstation disables the button until then). */
  callsBeforeNoShow: z.number(),
  now: z.string(),
});

/** A ticket of the desk's waiting list, in calling order (no personal data). */
export const deskQueueItem = z.object({
  id: z.string(),
  number: z.number().nullable(),
  groupId: z.string(),
  serviceName: z.string(),
  channel: z.string(),
  priority: z.string().nullable(),
  callAt: z.string(),
  /** Its call time has come (due now). */
  due: z.boolean(),
  parked: z.boolean(),
  /** Rule 13: when it was checked in at the kiosk (in the hall), or null. */
  arrivedAt: z.string().nullable(),
});

export type DeskTicketView = z.infer<typeof deskTicketView>;
export type DeskStateView = z.infer<typeof deskStateView>;
