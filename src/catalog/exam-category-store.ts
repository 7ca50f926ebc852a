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
