import type { Db } from '../../src/platform/db.js';
import { kyivInstant } from '../../src/platform/kyiv-time.js';

export const CENTER = 'test-kyiv';
export const OTHER_CENTER = 'test-lviv';
export const SERVICE = {
  vehicle: 'svc-vehicle-registration',
  licence: 'svc-licence-exchange',
  practical: 'svc-practical-exam',
  theory: 'svc-theory-exam',
};
export const GROUP = {
  vehicle: 'grp-vehicle',
  licence: 'grp-licence',
  practical: 'grp-practical',
  theory: 'grp-theory',
};

const hours = Object.fromEntries(
  [1, 2, 3, 4, 5].map((d) => [
    String(d),
    { open: '09:00', close: '18:00', breakFrom: '13:00', breakTo: '13:45' },
  ]),
);

/** A small catalogue: two centers, four groups and services, desks. No slots. */
export async function seedCatalog(db: Db) {
  await db
    .insertInto('centers')
    .values([
      {
        id: CENTER,
        code: '8041',
        name: 'ТСЦ МВС № 8041',
        region: 'Київ',
        address: 'м. Київ, вул. Тестова, 1',
        working_hours: JSON.stringify(hours),
        // The capacity tests' arithmetic is written for a 70 % online share (rule 8 default is 50 %).
        online_share: 0.7,
      },
      {
        id: OTHER_CENTER,
        code: '4641',
        name: 'ТСЦ МВС № 4641',
        region: 'Львівська область',
        address: 'м. Львів, вул. Тестова, 2',
        working_hours: JSON.stringify(hours),
        online_share: 0.7,
      },
    ])
    .execute();
  await db
    .insertInto('service_groups')
    .values([
      { id: GROUP.vehicle, code: 'vehicle', name: 'Реєстраційні операції з ТЗ', role: 'administrator' },
      { id: GROUP.licence, code: 'licence', name: 'Посвідчення водія', role: 'administrator' },
      { id: GROUP.theory, code: 'theory', name: 'Теоретичний іспит', role: 'examiner' },
      { id: GROUP.practical, code: 'practical', name: 'Практичний іспит', role: 'examiner' },
    ])
    .execute();
  await db
    .insertInto('services')
    .values([
      {
        id: SERVICE.vehicle,
        code: 'vehicle-registration',
        name: 'Реєстрація транспортного засобу',
        group_id: GROUP.vehicle,
      },
      {
        id: SERVICE.licence,
        code: 'licence-exchange',
        name: 'Обмін посвідчення водія',
        group_id: GROUP.licence,
      },
      {
        id: SERVICE.theory,
        code: 'theory-exam',
        name: 'Теоретичний іспит',
        group_id: GROUP.theory,
        is_exam: true,
      },
      {
        id: SERVICE.practical,
        code: 'practical-exam',
        name: 'Практичний іспит',
        group_id: GROUP.practical,
        is_exam: true,
      },
    ])
    .execute();
  await db
    .insertInto('desks')
    .values([
      { id: `${CENTER}-d1`, center_id: CENTER, number: 1, group_ids: [GROUP.vehicle, GROUP.licence] },
      { id: `${CENTER}-d2`, center_id: CENTER, number: 2, group_ids: [GROUP.vehicle] },
      { id: `${CENTER}-d3`, center_id: CENTER, number: 3, group_ids: [GROUP.practical, GROUP.theory] },
      { id: `${OTHER_CENTER}-d1`, center_id: OTHER_CENTER, number: 1, group_ids: [GROUP.vehicle] },
    ])
    .execute();
  await db
    .insertInto('staff')
    .values([
      { id: 'st-admin-1', center_id: CENTER, full_name: 'Іваненко Олена', role: 'administrator' },
      { id: 'st-exam-1', center_id: CENTER, full_name: 'Петренко Андрій', role: 'examiner' },
      { id: 'st-head-1', center_id: CENTER, full_name: 'Коваль Марія', role: 'center_head' },
      { id: 'st-head-2', center_id: OTHER_CENTER, full_name: 'Бойко Степан', role: 'center_head' },
      { id: 'st-admin-2', center_id: OTHER_CENTER, full_name: 'Мельник Ігор', role: 'administrator' },
    ])
    .execute();
}

/** Releases a day of a center and adds one slot per (time, group, pool) with the given capacity. */
export async function addSlot(
  db: Db,
  options: {
    center?: string;
    group?: string;
    day: string;
    time: string;
    capacity: number;
    pool?: 'online' | 'terminal';
    minutes?: number;
    releasedAt?: Date;
  },
): Promise<number> {
  const center = options.center ?? CENTER;
  await db
    .insertInto('capacity_days')
    .values({
      center_id: center,
      day: options.day,
      generated_at: new Date(0),
      released_at: options.releasedAt ?? new Date(0),
    })
    .onConflict((oc) => oc.columns(['center_id', 'day']).doNothing())
    .execute();
  const startsAt = kyivInstant(options.day, options.time);
  const row = await db
    .insertInto('slots')
    .values({
      center_id: center,
      group_id: options.group ?? GROUP.vehicle,
      day: options.day,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + (options.minutes ?? 30) * 60_000),
      pool: options.pool ?? 'online',
      capacity: options.capacity,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * SPEC §2 Exams: the practical exam takes vehicle categories B and C, and each center listed
 * examines the categories it has cars for (`{ [center]: { B: 1 } }`: one car of B).
 */
export async function declareExams(db: Db, cars: Record<string, Record<string, number>>) {
  await db
    .updateTable('services')
    .set({ exam_categories: ['B', 'C'] })
    .where('id', '=', SERVICE.practical)
    .execute();
  const rows = Object.entries(cars).flatMap(([center_id, byCategory]) =>
    Object.entries(byCategory).map(([category, n]) => ({ center_id, category, cars: n })),
  );
  await db.insertInto('center_exam_categories').values(rows).execute();
}

/**
 * An exam hub: the catalogue, CENTER examining B (1 car) and C (2 cars), the national examiner
 * norm 15 and CENTER's own 4 a day (rule 8 caps a category at cars × norm).
 */
export async function seedExamHub(db: Db) {
  await seedCatalog(db);
  await declareExams(db, { [CENTER]: { B: 1, C: 2 } });
  await db
    .insertInto('norms')
    .values([
      { center_id: null, group_id: GROUP.practical, role: 'examiner', per_day: 15 },
      { center_id: CENTER, group_id: GROUP.practical, role: 'examiner', per_day: 4 },
    ])
    .execute();
}
