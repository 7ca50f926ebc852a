import QRCode from 'qrcode';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import { calendarFile } from './calendar.js';
import { cancellationReason, openConflictOffers } from './conflict-message-store.js';
import { conflictOfferToken, conflictOfferUrl } from './conflict-offer-link.js';
import { conflictCancelled, conflictOffer } from './conflict-templates.js';
import type { Rendered } from './email-layout.js';
import * as t from './email-templates.js';
import {
  isUuid,
  loadCenter,
  loadPerson,
  loadRegistration,
  loadServiceName,
  type RegistrationView,
} from './message-store.js';
import { PermanentDeliveryError } from './outbox-rules.js';
import type { OutboxRow } from './outbox-store.js';

/**
 * Turns an outbox row into what to deliver, reading the current data (see message-store.ts).
 * A message whose subject no longer applies (a reminder of a cancelled registration) is
 * skipped; a row that can never be rendered (unknown template, no such registration) fails
 * permanently and goes straight to the dead letters.
 */
export interface RendererDeps {
  crypto: PiiCrypto;
  portalUrl: string;
  cancelBeforeMinutes: number;
  feedbackTtlDays: number;
  /**
   * The rating link's token for a served visit, or null once the visit is rated. Handed in by
   * the composition root (feedback owns the tokens; notify only sends the link).
   */
  feedbackToken?: (db: Executor, registrationId: string, now: Date) => Promise<string | null>;
  /** Average service time at a desk when the day has no served visit yet (HALL_SERVICE_MINUTES). */
  defaultServiceMs?: number;
  /**
   * How long the people ahead of a waiting ticket keep the desks busy from now: the hall's
   * estimate, handed in by the composition root (notify does not read the hall's tables).
   * Without it a delay mail announces no time before it is sent.
   */
  queueAheadMs?: (
    db: Executor,
    registration: { id: string; centerId: string; day: string },
    fallbackMs: number,
  ) => Promise<number>;
  /** Rule 13: the hall's signed arrival code of an online registration (for the letter's QR). */
  checkInCode?: (registrationId: string, day: string) => string;
}

const DEFAULT_SERVICE_MS = 15 * 60_000;

export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

export type Delivery =
  | {
      kind: 'email';
      to: string;
      message: Rendered;
      attachments: Attachment[];
      /** Whom an SMS copy would go to (confirmations and delays only). */
      smsTo?: string | null;
    }
  | { kind: 'sms'; to: string; text: string }
  | { kind: 'skip'; reason: string };

/** Templates that also go out as SMS when the SMS channel is on. */
export const SMS_TEMPLATES = new Set([
  'registration_confirmed',
  'terminal_ticket',
  'lottery_won',
  'alert_delay',
  'waitlist_offer',
]);

export const KNOWN_TEMPLATES = [
  'registration_confirmed',
  'registration_moved',
  'terminal_ticket',
  'registration_cancelled',
  'person_blocked',
  'schedule_conflict',
  'alert_delay',
  'lottery_won',
  'lottery_lost',
  'reminder',
  'visit_served',
  'waitlist_offer',
  'conflict_offer',
  'conflict_cancelled',
] as const;

export async function renderDelivery(
  db: Executor,
  row: OutboxRow,
  deps: RendererDeps,
  now: Date,
): Promise<Delivery> {
  const ctx: t.TemplateContext = { portalUrl: deps.portalUrl, cancelBeforeMinutes: deps.cancelBeforeMinutes };
  const payload = row.payload ?? {};

  const registration = async (): Promise<RegistrationView> => {
    const id = payload.registrationId;
    const r = isUuid(id) ? await loadRegistration(db, id) : undefined;
    if (!r) throw new PermanentDeliveryError(`${row.template}: registration ${String(id)} not found`);
    return r;
  };

  /** After an alert the shifted time may already be past when the message leaves. */
  const alertCallAt = async (r: RegistrationView) =>
    t.announcedCallTime(
      dateOf(payload.newCallAt) ?? r.callAt,
      now,
      (await deps.queueAheadMs?.(db, r, deps.defaultServiceMs ?? DEFAULT_SERVICE_MS)) ?? 0,
    );

  if (row.channel === 'sms') {
    const r = await registration();
    const newCallAt = row.template === 'alert_delay' && payload.newCallAt ? await alertCallAt(r) : undefined;
    const text = t.smsText(row.template, r, { newCallAt, expiresAt: dateOf(payload.expiresAt) });
    if (!text) throw new PermanentDeliveryError(`unknown SMS template "${row.template}"`);
    return { kind: 'sms', to: row.recipient, text };
  }

  const email = (message: Rendered, r?: RegistrationView, attachments: Attachment[] = []): Delivery => ({
    kind: 'email',
    to: row.recipient,
    message,
    attachments,
    smsTo: r && SMS_TEMPLATES.has(row.template) ? r.person.phone : null,
  });

  switch (row.template) {
    case 'registration_confirmed':
    case 'lottery_won': {
      const r = await registration();
      if (r.channel === 'terminal') return email(t.terminalTicket(r, ctx), r);
      const code = deps.checkInCode?.(r.id, r.day);
      return email(t.registrationConfirmed(r, ctx, row.template === 'lottery_won', code), r, [
        ics(r, ctx),
        ...(code ? [await checkInQr(code)] : []),
      ]);
    }
    case 'registration_moved': {
      const r = await registration();
      return email(t.registrationMoved(r, dateOf(payload.from), ctx), r, [ics(r, ctx)]);
    }
    case 'terminal_ticket': {
      const r = await registration();
      return email(t.terminalTicket(r, ctx), r);
    }
    case 'registration_cancelled':
      return email(t.registrationCancelled(await registration(), ctx));
    case 'reminder': {
      const r = await registration();
      if (r.status !== 'booked') return { kind: 'skip', reason: `registration is ${r.status}` };
      return email(t.reminder(r, ctx), r, [ics(r, ctx)]);
    }
    case 'alert_delay': {
      const r = await registration();
      return email(t.alertDelay(r, await alertCallAt(r), ctx), r);
    }
    case 'schedule_conflict':
      return email(t.scheduleConflict(await registration(), ctx));
    case 'visit_served': {
      const r = await registration();
      if (!deps.feedbackToken)
        throw new PermanentDeliveryError('visit_served: this worker has no feedback links');
      const token = await deps.feedbackToken(db, r.id, now);
      if (!token) return { kind: 'skip', reason: 'feedback already given' };
      return email(t.visitServed(r, `${deps.portalUrl}/feedback/${token}`, ctx));
    }
    case 'lottery_lost': {
      // The fairness module's entry: the registration when there is one, else ids in the payload.
      if (isUuid(payload.registrationId)) {
        const r = await loadRegistration(db, payload.registrationId);
        if (r)
          return email(
            t.lotteryLost(
              r.person,
              { centerName: r.centerName, serviceName: r.serviceName, day: r.day },
              ctx,
            ),
          );
      }
      const person = isUuid(payload.personId) ? await loadPerson(db, payload.personId) : undefined;
      if (!person) throw new PermanentDeliveryError('lottery_lost: payload needs personId or registrationId');
      const center =
        typeof payload.centerId === 'string' ? await loadCenter(db, payload.centerId) : undefined;
      const serviceName =
        typeof payload.serviceId === 'string' ? await loadServiceName(db, payload.serviceId) : undefined;
      return email(
        t.lotteryLost(
          person,
          {
            centerName: center?.name,
            serviceName,
            day: typeof payload.day === 'string' ? payload.day : undefined,
          },
          ctx,
        ),
      );
    }
    case 'waitlist_offer': {
      const r = await registration();
      return email(t.waitlistOffer(r, dateOf(payload.expiresAt) ?? r.startsAt, ctx), r);
    }
    case 'conflict_offer': {
      // Rule 8: the head's offer of other times, one signed link each; only offers still open.
      const r = await registration();
      if (r.status !== 'booked') return { kind: 'skip', reason: `registration is ${r.status}` };
      const ids = Array.isArray(payload.offerIds) ? payload.offerIds.filter(isUuid) : [];
      const open = await openConflictOffers(db, r.id, ids, now);
      if (open.length === 0) return { kind: 'skip', reason: 'no offer is open any more' };
      const times = open.map((o) => ({
        startsAt: o.starts_at,
        url: conflictOfferUrl(
          deps.portalUrl,
          conflictOfferToken(deps.crypto, {
            id: o.id,
            registrationId: o.registration_id,
            slotId: o.slot_id,
            expiresAt: o.expires_at,
          }),
        ),
      }));
      const expiresAt = new Date(Math.min(...open.map((o) => o.expires_at.getTime())));
      return email(conflictOffer(r, times, expiresAt, ctx), r);
    }
    case 'conflict_cancelled': {
      const r = await registration();
      const reason =
        typeof payload.conflictId === 'number' ? await cancellationReason(db, payload.conflictId) : undefined;
      if (!reason) throw new PermanentDeliveryError('conflict_cancelled: no cancelled conflict');
      return email(conflictCancelled(r, reason, ctx), r);
    }
    case 'person_blocked': {
      const person = isUuid(payload.personId) ? await loadPerson(db, payload.personId) : undefined;
      if (!person) throw new PermanentDeliveryError('person_blocked: person not found');
      const until = dateOf(payload.blockedUntil);
      if (!until) throw new PermanentDeliveryError('person_blocked: blockedUntil missing');
      const center =
        typeof payload.centerId === 'string' ? await loadCenter(db, payload.centerId) : undefined;
      return email(t.personBlocked(person, until, center?.name, ctx));
    }
    default:
      throw new PermanentDeliveryError(`unknown template "${row.template}"`);
  }
}

/** The arrival code as a QR image the kiosk's camera reads (rule 13). */
async function checkInQr(code: string): Promise<Attachment> {
  return {
    filename: 'check-in-qr.svg',
    contentType: 'image/svg+xml',
    content: await QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
  };
}

function ics(r: RegistrationView, ctx: t.TemplateContext): Attachment {
  const lang = t.langOf(r.person, 'uk');
  const docs = r.documents.length ? r.documents.join(', ') : '';
  const description =
    lang === 'en'
      ? `Ticket number ${r.number ?? '—'}. ${r.serviceName}.${docs ? ` Bring: ${docs}.` : ''} Manage: ${t.myRegistrationsUrl(ctx)}`
      : `Номер талона ${r.number ?? '—'}. ${r.serviceName}.${docs ? ` Взяти з собою: ${docs}.` : ''} Керувати записом: ${t.myRegistrationsUrl(ctx)}`;
  return {
    filename: 'zapys.ics',
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: calendarFile({
      uid: r.id,
      title: `${r.centerName}: ${r.serviceName}`,
      description,
      location: `${r.centerName}, ${r.centerAddress}`,
      start: r.startsAt,
      end: r.endsAt ?? new Date(r.startsAt.getTime() + 30 * 60_000),
      url: t.myRegistrationsUrl(ctx),
    }),
  };
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
