import { audit } from '../audit/audit-store.js';
import type { Actor } from '../booking/actor.js';
import { maskIdentifier, maskSealed } from '../platform/crypto.js';
import type { Executor, Tx } from '../platform/db.js';
import { channels } from '../platform/events.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { allows, type RegistrationEvent } from '../registration/registration-states.js';
import { transition, transitionOne } from '../registration/registration-store.js';
import type { HallDeps } from './hall-deps.js';
import * as store from './hall-store.js';
import { recallOutcome } from './queue-rules.js';

/** Who acts at a desk: an operator (or head) of a center; a national admin acts anywhere. */
export interface Staff {
  role: string;
  centerId: string | null;
  deskId: string | null;
  actor: Actor;
  /** The staff row of the session (SSO identity), when there is one. */
  staffId?: string | null;
}

export type Outcome = 'served' | 'refused_mismatch' | 'no_show';

const outcomeEvent = { served: 'serve', refused_mismatch: 'refuse', no_show: 'mark_no_show' } as const;

const notFound = () => new DomainError('NOT_FOUND', { detail: 'Запис не знайдено.' });
const invalidState = (detail?: string) => new DomainError('INVALID_STATE', detail ? { detail } : {});

/** Refuses at once an event the registration's state does not allow (the SQL guard decides the rest). */
function assertAllows(event: RegistrationEvent, status: Parameters<typeof allows>[1], detail?: string) {
  if (!allows(event, status)) throw invalidState(detail);
}

function assertStaffCenter(staff: Staff, centerId: string) {
  if (staff.role !== 'national_admin' && staff.centerId !== centerId) throw new DomainError('FORBIDDEN');
}

/** An operator whose session is bound to a desk works at that desk only. */
function assertOwnDesk(staff: Staff, deskId: string) {
  if (staff.deskId && staff.deskId !== deskId && staff.role === 'operator') {
    throw new DomainError('FORBIDDEN', { detail: 'Ви працюєте за іншим робочим місцем.' });
  }
}

/** Rule 7: no calls (and no no-shows recorded) while the center's alert is on. */
async function assertNotPaused(trx: Tx, centerId: string) {
  const alert = await store.openAlert(trx, centerId);
  if (alert) {
    throw new DomainError('SERVICE_PAUSED', {
      extensions: { since: new Date(alert.started_at).toISOString() },
    });
  }
}

/**
 * Calling (SPEC 3.6): call next, recall, transfer, park, unpark, outcome. Each opens one
 * transaction; each move is a conditional UPDATE from the states `booking-rules` allows.
 */
export function createDeskService(deps: HallDeps) {
  const { db, clock, crypto, events, policy } = deps;

  // Like every identifier on screen: at most the last 2 characters (see maskIdentifier).
  const maskDocument = (value: string) => maskIdentifier(value.replace(/\s+/g, ''));

  /** The operator's view of a registration: the person's data to compare with the document. */
  async function view(trx: Executor, id: string) {
    const r = await store.findForDesk(trx, id);
    if (!r) throw notFound();
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      channel: r.channel,
      priority: r.priority_category,
      priorityDocument: r.priority_doc_type
        ? {
            type: r.priority_doc_type,
            // Masked like every document number on screen; the full one only through the audited reveal.
            number: r.priority_doc_enc ? maskDocument(crypto.decrypt(r.priority_doc_enc)) : null,
          }
        : null,
      serviceId: r.service_id,
      serviceName: r.service_name,
      groupId: r.group_id,
      desk: r.desk_number,
      callAt: new Date(r.call_at).toISOString(),
      calledAt: r.called_at ? new Date(r.called_at).toISOString() : null,
      callCount: r.call_count,
      parked: r.parked_at !== null,
      person: {
        lastName: r.last_name,
        firstName: r.first_name,
        middleName: r.middle_name,
        idKind: r.id_kind,
        idMasked: maskSealed(crypto, r.id_enc),
        phone: r.phone,
        email: r.email,
      },
      legalEntity: r.legal_entity ? { edrpou: r.legal_entity, name: r.legal_entity_name } : null,
    };
  }

  async function publishCalled(
    trx: Tx,
    centerId: string,
    reg: {
      number: number | null;
      desk: number | null;
      calledAt: string | null;
      priority: boolean;
      recall?: boolean;
    },
  ) {
    // The board draws a live call like a snapshot's (rule 5: a priority ticket stands out).
    await events.publish(trx, channels.center(centerId), {
      type: 'called',
      number: reg.number,
      desk: reg.desk,
      calledAt: reg.calledAt,
      priority: reg.priority,
      recall: reg.recall ?? false,
    });
  }

  /** The desk's state changed without a call (finished, parked, returned): other browsers re-read it. */
  async function publishDesk(trx: Tx, centerId: string, desk: number | null) {
    await events.publish(trx, channels.center(centerId), { type: 'desk', desk });
  }

  /** Loads a registration of the staff member's center, locked for the move. */
  async function ownRegistration(trx: Tx, staff: Staff, id: string) {
    await store.forUpdate(trx, id);
    const r = await store.findForDesk(trx, id);
    if (!r) throw notFound();
    assertStaffCenter(staff, r.center_id);
    return r;
  }

  async function trail(
    trx: Tx,
    staff: Staff,
    action: string,
    r: { id: string; center_id: string },
    details: Record<string, unknown>,
  ) {
    await audit(trx, {
      at: clock.now(),
      actorKind: staff.actor.kind,
      actorId: staff.actor.id,
      action,
      subjectKind: 'registration',
      subjectId: r.id,
      centerId: r.center_id,
      ip: staff.actor.ip,
      details,
    });
  }

  return {
    /**
     * Rule 6, the desk on the server: the ticket called to it, those parked at it, the queue
     * counts and who works there, so any browser restores the workstation.
     */
    async state(staff: Staff, deskId: string) {
      const now = clock.now();
      const day = kyivDay(now);
      const desk = await store.findDesk(db, deskId);
      if (!desk?.active) throw new DomainError('NOT_FOUND', { detail: 'Робоче місце не знайдено.' });
      assertStaffCenter(staff, desk.center_id);
      assertOwnDesk(staff, deskId);
      const [tickets, counts, header, alert] = await Promise.all([
        store.deskTickets(db, deskId, day),
        store.deskCounts(db, { centerId: desk.center_id, groups: desk.group_ids, day, now }),
        store.deskHeader(db, {
          centerId: desk.center_id,
          groups: desk.group_ids,
          staffId: staff.staffId ?? null,
        }),
        store.openAlert(db, desk.center_id),
      ]);
      const called = tickets.filter((r) => r.status === 'called');
      const groupName = new Map(header.groups.map((g) => [g.id, g.name]));
      return {
        desk: {
          id: desk.id,
          number: desk.number,
          groups: desk.group_ids.map((id) => ({ id, name: groupName.get(id) ?? id })),
        },
        center: { id: desk.center_id, name: header.center?.name ?? desk.center_id },
        operator: header.staff ? { name: header.staff.full_name, role: header.staff.role } : null,
        current: called[0] ? await view(db, called[0].id) : null,
        alsoCalled: called.slice(1).map((r) => ({
          id: r.id,
          number: r.number,
          calledAt: new Date(r.called_at ?? now).toISOString(),
        })),
        parked: tickets
          .filter((r) => r.status !== 'called')
          .map((r) => ({
            id: r.id,
            number: r.number,
            serviceName: r.service_name,
            priority: r.priority_category,
            parkedAt: new Date(r.parked_at ?? now).toISOString(),
            callCount: r.call_count,
          })),
        queue: counts,
        alert: {
          active: alert !== undefined,
          since: alert ? new Date(alert.started_at).toISOString() : null,
        },
        callsBeforeNoShow: policy.callsBeforeNoShow,
        now: now.toISOString(),
      };
    },

    /** The desk's waiting list in calling order (due now first among equals: see queue-rules). */
    async queue(staff: Staff, deskId: string) {
      const now = clock.now();
      const desk = await store.findDesk(db, deskId);
      if (!desk?.active) throw new DomainError('NOT_FOUND', { detail: 'Робоче місце не знайдено.' });
      assertStaffCenter(staff, desk.center_id);
      const rows = await store.waitingForDesk(db, {
        centerId: desk.center_id,
        groups: desk.group_ids,
        day: kyivDay(now),
      });
      return rows.map((r) => ({
        id: r.id,
        number: r.number,
        groupId: r.group_id,
        serviceName: r.service_name,
        channel: r.channel,
        priority: r.priority_category,
        callAt: new Date(r.call_at).toISOString(),
        due: new Date(r.call_at).getTime() <= now.getTime(),
        parked: r.parked_at !== null,
        // Rule 13: checked in at the kiosk (in the hall), or null.
        arrivedAt: r.arrived_at ? new Date(r.arrived_at).toISOString() : null,
      }));
    },

    /** Rule 6: the next due ticket of the desk's groups, or null (204). */
    async callNext(staff: Staff, deskId: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const desk = await store.findDesk(trx, deskId);
        if (!desk?.active) throw new DomainError('NOT_FOUND', { detail: 'Робоче місце не знайдено.' });
        assertStaffCenter(staff, desk.center_id);
        if (staff.deskId && staff.deskId !== deskId && staff.role === 'operator') {
          throw new DomainError('FORBIDDEN', { detail: 'Ви працюєте за іншим робочим місцем.' });
        }
        await assertNotPaused(trx, desk.center_id);
        const [called] = await transition(
          trx,
          'call',
          {
            pick: store.nextDueTicket({
              centerId: desk.center_id,
              deskId,
              groups: desk.group_ids,
              day: kyivDay(now),
              now,
            }),
          },
          { today: kyivDay(now), deskId, staffId: staff.actor.id },
          now,
        );
        if (!called) return null;
        const calledAt = new Date(called.called_at ?? now).toISOString();
        const ticket = await view(trx, called.id);
        await publishCalled(trx, desk.center_id, {
          number: called.number,
          desk: desk.number,
          calledAt,
          priority: ticket.priority !== null,
        });
        await trail(
          trx,
          staff,
          'registration.called',
          { id: called.id, center_id: desk.center_id },
          {
            desk: desk.number,
            number: called.number,
            callCount: called.call_count,
          },
        );
        return ticket;
      });
    },

    /** Rule 6: call again; after `callsBeforeNoShow` unanswered calls the recall records a no-show. */
    async recall(staff: Staff, id: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const r = await ownRegistration(trx, staff, id);
        assertAllows('recall', r.status, 'Запис ще не викликано.');
        await assertNotPaused(trx, r.center_id);
        if (recallOutcome(r.call_count, policy) === 'no_show') {
          await recordOutcome(trx, staff, r, 'no_show', null, now);
          await publishDesk(trx, r.center_id, r.desk_number);
          return view(trx, id);
        }
        const moved = await transitionOne(
          trx,
          'recall',
          id,
          { today: kyivDay(now), staffId: staff.actor.id, callsBeforeNoShow: policy.callsBeforeNoShow },
          now,
        );
        if (!moved) throw invalidState();
        await publishCalled(trx, r.center_id, {
          number: r.number,
          desk: r.desk_number,
          calledAt: now.toISOString(),
          priority: r.priority_category !== null,
          recall: true,
        });
        await trail(trx, staff, 'registration.recalled', r, {
          desk: r.desk_number,
          callCount: moved.call_count,
        });
        return view(trx, id);
      });
    },

    /** Rule 6: the ticket goes to another service group's queue, keeping its place in time. */
    async transfer(staff: Staff, id: string, groupId: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const r = await ownRegistration(trx, staff, id);
        if (!(await store.groupExists(trx, groupId))) {
          throw new DomainError('NOT_FOUND', { detail: 'Групу послуг не знайдено.' });
        }
        assertAllows('transfer', r.status);
        const moved = await transitionOne(trx, 'transfer', id, { groupId }, now);
        if (!moved) throw invalidState();
        await trail(trx, staff, 'registration.transferred', r, { from: r.group_id, to: groupId });
        await publishDesk(trx, r.center_id, r.desk_number);
        return view(trx, id);
      });
    },

    /** Rule 6: the person steps aside (e.g. fetches a document); the ticket is not called meanwhile. */
    async park(staff: Staff, id: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const r = await ownRegistration(trx, staff, id);
        assertAllows('park', r.status);
        if (!(await transitionOne(trx, 'park', id, {}, now))) throw invalidState();
        await trail(trx, staff, 'registration.parked', r, { desk: r.desk_number });
        await publishDesk(trx, r.center_id, r.desk_number);
        return view(trx, id);
      });
    },

    /** Back into the queue at its original place (call time unchanged). */
    async unpark(staff: Staff, id: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const r = await ownRegistration(trx, staff, id);
        if (!(await store.unpark(trx, id, now))) throw invalidState('Запис не відкладено.');
        await trail(trx, staff, 'registration.unparked', r, {});
        await publishDesk(trx, r.center_id, r.desk_number);
        return view(trx, id);
      });
    },

    /** Rules 2, 4, 6: served / refused on a data mismatch / no-show, from the allowed states. */
    async outcome(staff: Staff, id: string, outcome: Outcome, examPassed: boolean | null) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const r = await ownRegistration(trx, staff, id);
        if (outcome === 'no_show') await assertNotPaused(trx, r.center_id);
        await recordOutcome(trx, staff, r, outcome, examPassed, now);
        await publishDesk(trx, r.center_id, r.desk_number);
        return view(trx, id);
      });
    },
  };

  async function recordOutcome(
    trx: Tx,
    staff: Staff,
    r: NonNullable<Awaited<ReturnType<typeof store.findForDesk>>>,
    outcome: Outcome,
    examPassed: boolean | null,
    now: Date,
  ) {
    const event = outcomeEvent[outcome];
    assertAllows(event, r.status);
    const today = kyivDay(now);
    const by = staff.actor.id;
    // Rule 6: a no-show only for a ticket of today called often enough; served or refused only
    // for a ticket called to this operator's desk. The guards are in the UPDATE itself.
    const moved =
      event === 'mark_no_show'
        ? await transitionOne(
            trx,
            event,
            r.id,
            { today, staffId: by, callsBeforeNoShow: policy.callsBeforeNoShow },
            now,
          )
        : event === 'serve'
          ? await transitionOne(trx, event, r.id, { deskId: staff.deskId, staffId: by, examPassed }, now)
          : await transitionOne(trx, event, r.id, { deskId: staff.deskId, staffId: by }, now);
    if (!moved) throw invalidState(outcomeRefusal(outcome, policy.callsBeforeNoShow));
    await trail(trx, staff, `registration.${outcome}`, r, {
      desk: r.desk_number,
      number: r.number,
      ...(examPassed !== null && outcome === 'served' ? { examPassed } : {}),
    });
    // Rule 4: an online no-show counts toward the block unless an air-raid alert excused it.
    if (outcome === 'no_show' && r.channel === 'online' && !r.alert_excused) {
      await deps.applyNoShowRule(trx, r.person_id, r.center_id);
    }
    if (outcome === 'served') await deps.notifyServed(trx, r.id, now);
  }
}

export type DeskService = ReturnType<typeof createDeskService>;

function outcomeRefusal(outcome: Outcome, calls: number): string {
  const times =
    calls % 10 === 1 && calls % 100 !== 11
      ? 'раз'
      : [2, 3, 4].includes(calls % 10) && ![12, 13, 14].includes(calls % 100)
        ? 'рази'
        : 'разів';
  return outcome === 'no_show'
    ? `Неявку фіксують лише для сьогоднішнього талона, викликаного щонайменше ${calls} ${times}.`
    : 'Результат фіксують лише для талона, викликаного до вашого робочого місця.';
}
