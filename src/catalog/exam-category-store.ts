import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * SPEC §2 Exams: the vehicle categories each center examines with its own cars, and how many
 * cars of each (rule 8 caps a category's places a day at cars × the examiner norm). A center
 * that declares none takes no practical exams.
 */

export async function centerExamines(db: Executor, centerId: string, category: string): Promise<boolean> {
  return storeOp('examCategory.check', async () => {
    const row = await db
      .selectFrom('center_exam_categories')
      .select('center_id')
      .where('center_id', '=', centerId)
      .where('category', '=', category)
      .executeTakeFirst();
    return row !== undefined;
  });
}

/** Every center's categories, for the public catalogue. */
export async function categoriesByCenter(db: Executor): Promise<Map<string, string[]>> {
  const rows = await storeOp('examCategory.list', () =>
    db
      .selectFrom('center_exam_categories')
      .select(['center_id', 'category'])
      .orderBy('center_id')
      .orderBy('category')
      .execute(),
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.center_id, [...(out.get(r.center_id) ?? []), r.category]);
  return out;
}

/**
 * Declares categories a center examines, with the number of cars of each (rule 8: each car takes
 * about one examiner's norm of practical exams a day; a category not in `cars` has one). A
 * category declared again takes the new number of cars.
 */
export async function declareCategories(
  db: Executor,
  centerId: string,
  categories: readonly string[],
  cars: Readonly<Record<string, number>> = {},
) {
  if (categories.length === 0) return;
  await storeOp('examCategory.declare', () =>
    db
      .insertInto('center_exam_categories')
      .values(categories.map((category) => ({ center_id: centerId, category, cars: cars[category] ?? 1 })))
      .onConflict((oc) =>
        oc.columns(['center_id', 'category']).doUpdateSet((eb) => ({ cars: eb.ref('excluded.cars') })),
      )
      .execute(),
  );
}

/** SPEC §2 Exams: every category some practical exam has (what a center may declare). */
export async function offeredCategories(db: Executor): Promise<string[]> {
  const rows = await storeOp('examCategory.offered', () =>
    db.selectFrom('services').select('exam_categories').execute(),
  );
  return [...new Set(rows.flatMap((r) => r.exam_categories))].sort();
}

/** One center's categories and cars. */
export async function centerCars(
  db: Executor,
  centerId: string,
): Promise<Array<{ category: string; cars: number }>> {
  return storeOp('examCategory.centerCars', () =>
    db
      .selectFrom('center_exam_categories')
      .select(['category', 'cars'])
      .where('center_id', '=', centerId)
      .orderBy('category')
      .execute(),
  );
}

/** Replaces a center's categories and cars with `cars` (a category left out is no longer examined). */
export async function replaceCenterCars(
  db: Executor,
  centerId: string,
  cars: ReadonlyArray<{ category: string; cars: number }>,
): Promise<void> {
  await storeOp('examCategory.replace', async () => {
    await db
      .deleteFrom('center_exam_categories')
      .where('center_id', '=', centerId)
      .where('category', 'not in', cars.length ? cars.map((c) => c.category) : [''])
      .execute();
    if (cars.length === 0) return;
    await db
      .insertInto('center_exam_categories')
      .values(cars.map((c) => ({ center_id: centerId, category: c.category, cars: c.cars })))
      .onConflict((oc) =>
        oc.columns(['center_id', 'category']).doUpdateSet((eb) => ({ cars: eb.ref('excluded.cars') })),
      )
      .execute();
  });
}
