import { type Insertable, sql } from 'kysely';
import type { Executor, Tx } from '../platform/db.js';
import type { DesksTable, OperatorRole, RosterShiftsTable, StaffTable } from '../platform/db-schema.js';
import { addDays, type Day, weekday } from '../platform/kyiv-time.js';
import {
  CENTERS,
  DEMO_HOLIDAYS,
  GIVEN,
  GROUP_SETS,
  GROUPS,
  NATIONAL_NORMS,
  SERVICES,
  SURNAMES,
} from './demo-data.js';
import { CENTERS_EN, SERVICES_EN } from './demo-data-en.js';

const SEED_LOCK = 784512003;

/** Serialises seeding across instances starting at once (held until the transaction ends). */
export async function lockSeed(trx: Tx) {
  await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx);
}

export async function hasCenters(db: Executor): Promise<boolean> {
  return (await db.selectFrom('centers').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Centers, the service catalogue, desks, staff, rosters, norms and holidays of the demo. */
export async function insertCatalogue(trx: Tx, today: Day, onlineShare: number) {
  await trx
    .insertInto('centers')
    .values(
      CENTERS.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        region: c.region,
        address: c.address,
        name_en: CENTERS_EN[c.id]?.name ?? null,
        address_en: CENTERS_EN[c.id]?.address ?? null,
        latitude: c.latitude,
        longitude: c.longitude,
        working_hours: JSON.stringify(c.workingHours),
        online_share: onlineShare,
        alert_region: c.region,
      })),
    )
    .execute();
  await trx
    .insertInto('service_groups')
    .values(GROUPS.map((g) => ({ id: g.id, code: g.code, name: g.name, role: g.role, sort: g.sort })))
    .execute();
  await trx
    .insertInto('services')
    .values(
      SERVICES.map((s, i) => ({
        id: s.id,
        code: s.code,
        name: s.name,
        group_id: s.group,
        is_exam: s.isExam ?? false,
        exam_categories: s.examCategories ?? [],
        documents: s.documents,
        price: s.price,
        name_en: SERVICES_EN[s.id]?.name ?? null,
        documents_en: SERVICES_EN[s.id]?.documents ?? [],
        price_en: SERVICES_EN[s.id]?.price ?? null,
        sort: i + 1,
      })),
    )
    .execute();
  const declared = CENTERS.flatMap((c) =>
    c.examCategories.map((category) => ({ center_id: c.id, category, cars: c.examCars?.[category] ?? 1 })),
  );
  if (declared.length) await trx.insertInto('center_exam_categories').values(declared).execute();
  await trx
    .insertInto('norms')
    .values([
      ...NATIONAL_NORMS.map((n) => ({
        center_id: null,
        group_id: n.groupId,
        role: n.role,
        per_day: n.perDay,
      })),
      // A center override: Kyiv's licence desks use pre-filled e-applications, so 28 a day.
      { center_id: 'tsc-8041', group_id: 'grp-licence', role: 'administrator' as const, per_day: 28 },
    ])
    .execute();
  await trx
    .insertInto('holidays')
    .values(DEMO_HOLIDAYS.map((h) => ({ center_id: null, day: h.day, name: h.name })))
    .execute();

  const desks: Insertable<DesksTable>[] = [];
  const staff: Insertable<StaffTable>[] = [];
  const shifts: Insertable<RosterShiftsTable>[] = [];
  let n = 0;
  const person = () => {
    const given = GIVEN[n % GIVEN.length] as readonly [string, string];
    const name = `${SURNAMES[(n * 7) % SURNAMES.length]} ${given[0]} ${given[1]}`;
    n += 1;
    return name;
  };
  const validFrom = addDays(today, -60);
  for (const c of CENTERS) {
    const weekdays = Object.keys(c.workingHours).map(Number);
    staff.push({
      id: `${c.id}-head`,
      center_id: c.id,
      full_name: person(),
      role: 'center_head' as const,
      email: `head.${c.code}@hsc.gov.ua`,
      oidc_sub: null,
    });
    c.desks.forEach((set, i) => {
      const number = i + 1;
      const deskId = `${c.id}-desk-${number}`;
      const role: OperatorRole = set === 'theory' || set === 'practical' ? 'examiner' : 'administrator';
      const staffId = `${c.id}-${role === 'examiner' ? 'exam' : 'adm'}-${number}`;
      desks.push({ id: deskId, center_id: c.id, number, group_ids: [...GROUP_SETS[set]] });
      staff.push({ id: staffId, center_id: c.id, full_name: person(), role, email: null, oidc_sub: null });
      // One part-timer in Kyiv shows a narrower shift (its norm is pro rata).
      const partTime = c.id === 'tsc-8041' && set === 'mixed';
      shifts.push({
        center_id: c.id,
        staff_id: staffId,
        desk_id: deskId,
        weekdays,
        valid_from: validFrom,
        valid_to: null,
        starts: partTime ? '09:00' : null,
        ends: partTime ? '14:00' : null,
      });
    });
  }
  staff.push({
    id: 'st-national-admin',
    center_id: null,
    full_name: 'Гордієнко Валентина Олексіївна',
    role: 'national_admin' as const,
    email: 'admin@hsc.gov.ua',
    oidc_sub: null,
  });
  await trx.insertInto('desks').values(desks).execute();
  await trx.insertInto('staff').values(staff).execute();
  await trx.insertInto('roster_shifts').values(shifts).execute();

  // Examples of the head's calendar: an absence in Lviv and a center-only closed day in Kharkiv.
  const lviv = CENTERS.find((c) => c.id === 'tsc-4641');
  const kharkiv = CENTERS.find((c) => c.id === 'tsc-6341');
  if (lviv) {
    const day = nextWorkingDay(addDays(today, 3), Object.keys(lviv.workingHours).map(Number));
    await trx
      .insertInto('staff_absences')
      .values({ staff_id: 'tsc-4641-adm-1', day, reason: 'Відпустка' })
      .execute();
  }
  if (kharkiv) {
    const day = nextWorkingDay(addDays(today, 10), Object.keys(kharkiv.workingHours).map(Number));
    await trx
      .insertInto('holidays')
      .values({ center_id: kharkiv.id, day, name: 'Санітарний день' })
      .execute();
  }
}

function nextWorkingDay(from: Day, weekdays: number[]): Day {
  let day = from;
  while (!weekdays.includes(weekday(day))) day = addDays(day, 1);
  return day;
}
