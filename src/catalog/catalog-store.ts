import type { Executor } from '../platform/db.js';

/** The public catalogue: centers, services, desks. */

export async function listCenters(db: Executor) {
  const rows = await db
    .selectFrom('centers')
    .select([
      'id',
      'code',
      'name',
      'region',
      'address',
      'name_en as nameEn',
      'address_en as addressEn',
      'latitude',
      'longitude',
      'working_hours',
    ])
    .orderBy('name')
    .execute();
  return rows.map(({ working_hours, ...c }) => ({ ...c, workingHours: working_hours }));
}

export async function serviceCategories(db: Executor, serviceId: string): Promise<string[] | undefined> {
  const row = await db
    .selectFrom('services')
    .select('exam_categories')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  return row?.exam_categories;
}

export async function listServices(db: Executor) {
  return db
    .selectFrom('services')
    .innerJoin('service_groups', 'service_groups.id', 'services.group_id')
    .select([
      'services.id',
      'services.code',
      'services.name',
      'services.group_id as group',
      'service_groups.name as groupName',
      'services.is_exam as isExam',
      'services.exam_categories as examCategories',
      'services.documents',
      'services.price',
      'services.name_en as nameEn',
      'services.documents_en as documentsEn',
      'services.price_en as priceEn',
    ])
    .orderBy('service_groups.sort')
    .orderBy('services.sort')
    .execute();
}

export async function listActiveDesks(db: Executor, centerId: string) {
  const rows = await db
    .selectFrom('desks')
    .select(['id', 'number', 'group_ids'])
    .where('center_id', '=', centerId)
    .where('active', '=', true)
    .orderBy('number')
    .execute();
  return rows.map((d) => ({ id: d.id, number: d.number, groups: d.group_ids }));
}

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  return (
    (await db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst()) !== undefined
  );
}
