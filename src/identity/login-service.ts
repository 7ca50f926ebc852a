import { audit } from '../audit/audit-store.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { isValidEdrpou, isValidEmail, isValidRnokpp, normalizePhone, parsePassport } from './identifiers.js';
import type { IdGovUaTokens, IdGovUaUser } from './idgovua/idgovua-client.js';
import { upsertLegalEntity, upsertPerson } from './person-store.js';
import type { Principal, Role, SessionService } from './session-service.js';

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

/** The person's identifier from ID.GOV.UA: the РНОКПП, or the passport of a person without one. */
export function identifierOf(user: IdGovUaUser): { idKind: 'rnokpp' | 'passport'; idValue: string } {
  const drfo = String(user.drfocode ?? '').trim();
  if (drfo && isValidRnokpp(drfo)) return { idKind: 'rnokpp', idValue: drfo };
  const passport = parsePassport(String(user.passport ?? (drfo && !/^\d+$/.test(drfo) ? drfo : '')));
  if (passport) return { idKind: 'passport', idValue: passport.value };
  throw new DomainError('UNAUTHENTICATED', {
    detail: 'Постачальник ідентифікації не передав коректний РНОКПП або номер паспорта.',
  });
}

/** ID.GOV.UA often puts the patronymic into `givenname` ("Тарас Григорович"). */
export function namesOf(user: IdGovUaUser): {
  lastName: string;
  firstName: string;
  middleName: string | null;
} {
  const lastName = String(user.lastname ?? '').trim();
  let firstName = String(user.givenname ?? '').trim();
  let middleName = String(user.middlename ?? '').trim() || null;
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
  input: { user: IdGovUaUser; tokens: IdGovUaTokens; replaces: string | null; ip: string; authType?: string },
): Promise<LoginResult> {
  const id = identifierOf(input.user);
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
      const name = String(input.user.o ?? input.user.subjectcn ?? legalEntity).slice(0, 300);
      await upsertLegalEntity(trx, now, legalEntity, name, { rename: true });
    }
    const session = await deps.sessions.create(
      trx,
      {
        kind: 'citizen',
        role: 'citizen',
        personId,
        legalEntity,
        data: {
          via: 'idgovua',
          // Needed for get-user-logout; encrypted like any secret at rest.
          idgovua: deps.crypto.encrypt(
            JSON.stringify({ userId: input.tokens.userId, accessToken: input.tokens.accessToken }),
          ),
        },
      },
      input.replaces ?? undefined,
    );
    await audit(trx, {
      at: now,
      actorKind: 'citizen',
      actorId: personId,
      action: 'login',
      subjectKind: 'person',
      subjectId: personId,
      ip: input.ip,
      details: { via: 'idgovua', legalEntity, idKind: id.idKind },
    });
    return session;
  });
}

export interface StaffClaims {
  sub: string;
  email?: string;
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
    let staff = await trx
      .selectFrom('staff')
      .selectAll()
      .where('oidc_sub', '=', input.claims.sub)
      .executeTakeFirst();
    if (!staff && input.claims.email) {
      staff = await trx
        .updateTable('staff')
        .set({ oidc_sub: input.claims.sub })
        .where((eb) => eb(eb.fn('lower', ['email']), '=', input.claims.email?.toLowerCase() ?? ''))
        .where('oidc_sub', 'is', null)
        .returningAll()
        .executeTakeFirst();
    }
    if (!staff?.active) return { refused: staff ? 'inactive' : 'unknown' } as const;
    const role = staffRoleOf[staff.role] ?? 'operator';
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
      details: { via: 'staff_oidc' },
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

/** Ends a session; returns the ID.GOV.UA token to end there too (after the transaction). */
export async function logoutSession(
  deps: LoginDeps,
  input: { token: string; principal: Principal; ip: string },
): Promise<{ userId: string; accessToken: string } | null> {
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
  const sealed = p.data.idgovua;
  if (typeof sealed !== 'string') return null;
  try {
    return JSON.parse(deps.crypto.decrypt(sealed)) as { userId: string; accessToken: string };
  } catch {
    return null;
  }
}
