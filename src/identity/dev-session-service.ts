import { audit } from '../audit/audit-store.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import type { StaffRole } from '../platform/db-schema.js';
import { DomainError } from '../platform/problems.js';
import { centerExists, firstStaff } from './dev-session-store.js';
import { isValidEdrpou, isValidRnokpp, normalizePhone, parsePassport } from './identifiers.js';
import { upsertPerson } from './person-store.js';
import type { SessionService } from './session-service.js';

export interface DevStaffSignIn {
  role: 'operator' | 'center_head' | 'terminal' | 'board' | 'national_admin';
  centerId?: string;
  deskId?: string;
}

export interface DevCitizenSignIn {
  rnokpp?: string;
  passport?: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  email?: string;
  phone?: string;
  legalEntity?: { edrpou: string; name?: string };
}

/**
 * Demo mode only (production refuses to start with it): a shortcut for automation that opens
 * the same session a real login opens.
 */
export function createDevSessionService(deps: {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  sessions: SessionService;
}) {
  const { db, clock, crypto, sessions } = deps;
  return {
    signIn(body: DevStaffSignIn | DevCitizenSignIn, replaces: string | null, ip: string) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        if ('role' in body) {
          if (body.role !== 'national_admin') {
            if (!body.centerId) throw new DomainError('VALIDATION', { detail: 'Потрібен centerId.' });
            if (!(await centerExists(trx, body.centerId)))
              throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
          }
          const staffRole: StaffRole[] =
            body.role === 'operator' ? ['administrator', 'examiner'] : [body.role as StaffRole];
          const staff =
            body.role === 'terminal' || body.role === 'board'
              ? undefined
              : await firstStaff(
                  trx,
                  staffRole,
                  body.role === 'national_admin' ? null : (body.centerId ?? ''),
                );
          const session = await sessions.create(
            trx,
            {
              kind: body.role === 'terminal' || body.role === 'board' ? 'device' : 'staff',
              role: body.role,
              staffId: staff?.id ?? null,
              centerId: body.centerId ?? null,
              deskId: body.deskId ?? null,
            },
            replaces ?? undefined,
          );
          return {
            session,
            who: { role: body.role as string, centerId: body.centerId ?? null, staffId: staff?.id ?? null },
          };
        }
        const passport = body.passport ? parsePassport(body.passport) : null;
        if (body.rnokpp ? !isValidRnokpp(body.rnokpp) : !passport) {
          throw new DomainError('VALIDATION', {
            extensions: {
              errors: [{ field: 'body.rnokpp', message: 'Невірний РНОКПП (контрольна цифра) або паспорт' }],
            },
          });
        }
        if (body.legalEntity && !isValidEdrpou(body.legalEntity.edrpou)) {
          throw new DomainError('VALIDATION', {
            extensions: { errors: [{ field: 'body.legalEntity.edrpou', message: 'Невірний код ЄДРПОУ' }] },
          });
        }
        const personId = await upsertPerson(trx, crypto, now, {
          idKind: body.rnokpp ? 'rnokpp' : 'passport',
          idValue: body.rnokpp ?? passport?.value ?? '',
          // Both given: the passport is the same person's second identifier (block and limits follow).
          alsoKnownAs: body.rnokpp && passport ? [{ idKind: 'passport', idValue: passport.value }] : [],
          lastName: body.lastName,
          firstName: body.firstName,
          middleName: body.middleName,
          email: body.email,
          phone: body.phone ? normalizePhone(body.phone) : null,
          // A demo sign-in stands for electronic identification.
          source: 'identification',
        });
        const session = await sessions.create(
          trx,
          {
            kind: 'citizen',
            role: 'citizen',
            personId,
            legalEntity: body.legalEntity?.edrpou ?? null,
            data: { anyEntity: true, via: 'dev-session' },
          },
          replaces ?? undefined,
        );
        await audit(trx, {
          at: now,
          actorKind: 'citizen',
          actorId: personId,
          action: 'login',
          ip,
          details: { via: 'dev-session' },
        });
        return { session, who: { role: 'citizen' as string, personId } };
      });
    },
  };
}

export type DevSessionService = ReturnType<typeof createDevSessionService>;
