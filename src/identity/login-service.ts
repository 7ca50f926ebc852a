import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../audit/audit-store.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { beginFlow, consumeFlow, type FlowProvider } from './auth-flow-store.js';
import {
  cleanName,
  isValidEdrpou,
  isValidEmail,
  isValidRnokpp,
  normalizePhone,
  parsePassport,
} from './identifiers.js';
import type { IdGovUaUser } from './idgovua/idgovua-client.js';
import { recordSessionAuthType } from './idgovua/idgovua-session-store.js';
import { upsertLegalEntity, upsertPerson } from './person-store.js';
import type { Principal, Role, SessionService } from './session-service.js';
import { copySsoName, staffForLogin } from './staff-store.js';

/**
 * Turning a verified identity into a session: one transaction per login (person upsert,
 * session rotation, audit row). Network calls to the providers happen before, never inside.
 */
export interface LoginDeps {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  sessions: SessionService;
}

export interface LoginResult {
  token: string;
  principal: Principal;
}

/**
 * The person's identifier from ID.GOV.UA's `drfocode`: the РНОКПП, or, for a person who refused
 * one, the passport number the provider puts there instead (booklet "ЯЯ999998" or ID card's nine
 * digits). Ten digits that fail the РНОКПП check are refused, never read as something else.
 */
export function identifierOf(user: IdGovUaUser): { idKind: 'rnokpp' | 'passport'; idValue: string } {
  const drfo = String(user.drfocode ?? '').trim();
  if (isValidRnokpp(drfo)) return { idKind: 'rnokpp', idValue: drfo };
  const passport = /^\d{10}$/.test(drfo) ? null : parsePassport(drfo);
  if (passport) return { idKind: 'passport', idValue: passport.value };
  throw new DomainError('UNAUTHENTICATED', {
    detail: 'Постачальник ідентифікації не передав коректний РНОКПП або номер паспорта.',
  });
}

/** How the person signed in at ID.GOV.UA, as the provider names it (kept for the audit log). */
export function authTypeOf(user: IdGovUaUser): string | null {
  const value = String(user.auth_type ?? '').trim();
  return /^[a-z][a-z0-9_]{0,31}$/.test(value) ? value : null;
}

/** ID.GOV.UA often puts the patronymic into `givenname` ("Тарас Григорович"). */
export function namesOf(user: IdGovUaUser): {
  lastName: string;
  firstName: string;
  middleName: string | null;
} {
  // The provider's fields come from certificates: a control or bidi character in them would forge
  // log lines or mail headers, or reorder the name on the operator's screen.
  const lastName = cleanName(String(user.lastname ?? ''));
  let firstName = cleanName(String(user.givenname ?? ''));
  let middleName = cleanName(String(user.middlename ?? '')) || null;
  if (!middleName && firstName.includes(' ')) {
    const [first, ...rest] = firstName.split(/\s+/);
    firstName = first ?? '';
    middleName = rest.join(' ') || null;
  }
  if (!lastName || !firstName)
    throw new DomainError('UNAUTHENTICATED', { detail: 'Постачальник ідентифікації не передав ПІБ.' });
  return {
    lastName: lastName.slice(0, 100),
    firstName: firstName.slice(0, 100),
    middleName: middleName?.slice(0, 100) ?? null,
  };
}

export async function completeCitizenLogin(
  deps: LoginDeps,
  input: { user: IdGovUaUser; replaces: string | null; ip: string },
): Promise<LoginResult> {
  const id = identifierOf(input.user);
  const authType = authTypeOf(input.user);
  const names = namesOf(input.user);
  const edrpou = String(input.user.edrpoucode ?? '').trim();
  const legalEntity = edrpou && isValidEdrpou(edrpou) ? edrpou : null;
  const email = String(input.user.email ?? '').trim();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const passport = id.idKind === 'rnokpp' ? parsePassport(String(input.user.passport ?? '')) : null;
    const personId = await upsertPerson(trx, deps.crypto, now, {
      ...id,
      // A passport next to the РНОКПП: typing either at a kiosk finds this person (block, limits).
      alsoKnownAs: passport ? [{ idKind: 'passport', idValue: passport.value }] : [],
      ...names,
      email: email && isValidEmail(email) ? email : null,
      phone: input.user.phone ? normalizePhone(String(input.user.phone)) : null,
      source: 'identification',
    });
    if (legalEntity) {
      const name = (cleanName(String(input.user.o ?? input.user.subjectcn ?? '')) || legalEntity).slice(
        0,
        300,
      );
      await upsertLegalEntity(trx, now, legalEntity, name, { rename: true });
    }
    const session = await deps.sessions.create(
      trx,
      {
        kind: 'citizen',
        role: 'citizen',
        personId,
        legalEntity,
        data: { via: 'idgovua' },
      },
      input.replaces ?? undefined,
    );
    await recordSessionAuthType(trx, session.token, authType);
    await audit(trx, {
      at: now,
      actorKind: 'citizen',
      actorId: personId,
      action: 'login',
      subjectKind: 'person',
      subjectId: personId,
      ip: input.ip,
      details: { via: 'idgovua', authType, legalEntity, idKind: id.idKind },
    });
    return session;
  });
}

export interface StaffClaims {
  sub: string;
  email?: string;
  /** The SSO's display name (already cleaned): copied to the staff row at every login. */
  name?: string;
}

const staffRoleOf: Record<string, Role> = {
  administrator: 'operator',
  examiner: 'operator',
  center_head: 'center_head',
  national_admin: 'national_admin',
};

/**
 * Staff are matched by the SSO subject; on the first login by e-mail, and the subject is then
 * bound to the staff row so that a later e-mail change at the SSO cannot move the account.
 */
export async function completeStaffLogin(
  deps: LoginDeps,
  input: { claims: StaffClaims; issuer: string; replaces: string | null; ip: string },
): Promise<LoginResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const staff = await staffForLogin(trx, input.claims.sub, input.claims.email);
    if (!staff?.active) return { refused: staff ? 'inactive' : 'unknown' } as const;
    const role = staffRoleOf[staff.role] ?? 'operator';
    const renamedFrom = await copySsoName(trx, staff.id, input.claims.name);
    const session = await deps.sessions.create(
      trx,
      {
        kind: 'staff',
        role,
        staffId: staff.id,
        centerId: role === 'national_admin' ? null : staff.center_id,
        data: { via: 'staff_oidc', staffRole: staff.role },
      },
      input.replaces ?? undefined,
    );
    await audit(trx, {
      at: now,
      actorKind: role,
      actorId: staff.id,
      action: 'login',
      subjectKind: 'staff',
      subjectId: staff.id,
      centerId: staff.center_id,
      ip: input.ip,
      details: { via: 'staff_oidc', ...(renamedFrom ? { renamedFrom } : {}) },
    });
    return session;
  });
  if ('refused' in result) {
    // Outside the login transaction, which had nothing to keep: the refusal itself is the record.
    await audit(deps.db, {
      at: now,
      actorKind: 'anonymous',
      action: 'login.refused',
      ip: input.ip,
      details: { via: 'staff_oidc', reason: result.refused },
    });
    throw new DomainError('FORBIDDEN', { detail: 'Обліковий запис працівника не знайдено або вимкнено.' });
  }
  return result;
}

/** A citizen login that failed at the provider: the reason (no personal data) is the record. */
export async function recordCitizenLoginRefused(
  deps: LoginDeps,
  input: { reason: string; ip: string },
): Promise<void> {
  await audit(deps.db, {
    at: deps.clock.now(),
    actorKind: 'anonymous',
    action: 'login.refused',
    ip: input.ip,
    details: { via: 'idgovua', reason: input.reason.slice(0, 64) },
  });
}

/** Ends a session here (the provider's ended at login). */
export async function logoutSession(
  deps: LoginDeps,
  input: { token: string; principal: Principal; ip: string },
): Promise<void> {
  const now = deps.clock.now();
  const p = input.principal;
  await deps.db.transaction().execute(async (trx) => {
    await deps.sessions.destroy(trx, input.token);
    await audit(trx, {
      at: now,
      actorKind: p.role,
      actorId: p.personId ?? p.staffId ?? p.centerId,
      action: 'logout',
      centerId: p.centerId,
      ip: input.ip,
    });
  });
}

/**
 * The login flows as the routes call them: the pending-flow rows (bound to the browser), the
 * session that a verified identity becomes, the refusal record and the logout. The clock and the
 * database stay here, so the routes receive this object and nothing wider.
 */
export function createLoginService(deps: LoginDeps) {
  return {
    beginFlow: (
      reply: FastifyReply,
      input: { provider: FlowProvider; state: string; data: Record<string, unknown>; secure: boolean },
    ) => beginFlow(deps.db, reply, { ...input, now: deps.clock.now() }),
    consumeFlow: (
      request: FastifyRequest,
      reply: FastifyReply,
      input: { provider: FlowProvider; state: string | undefined },
    ) => consumeFlow(deps.db, request, reply, { ...input, now: deps.clock.now() }),
    citizen: (input: Parameters<typeof completeCitizenLogin>[1]) => completeCitizenLogin(deps, input),
    staff: (input: Parameters<typeof completeStaffLogin>[1]) => completeStaffLogin(deps, input),
    citizenRefused: (input: Parameters<typeof recordCitizenLoginRefused>[1]) =>
      recordCitizenLoginRefused(deps, input),
    logout: (input: Parameters<typeof logoutSession>[1]) => logoutSession(deps, input),
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
