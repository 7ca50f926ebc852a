import { serviceCategories } from '../catalog/catalog-store.js';
import { centerExamines } from '../catalog/exam-category-store.js';
import type { Executor } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';

const invalid = (message: string) =>
  new DomainError('VALIDATION', {
    detail: message,
    extensions: { errors: [{ field: 'body.examCategory', message }] },
  });

/**
 * SPEC §2 Exams: a practical exam is booked for one vehicle category of the service, at a center
 * that examines it with its own cars. Returns the category to record (null for other services).
 */
export async function checkExamCategory(
  db: Executor,
  serviceId: string,
  centerId: string,
  category: string | null,
): Promise<string | null> {
  return decideExamCategory((await serviceCategories(db, serviceId)) ?? [], category, () =>
    centerExamines(db, centerId, category ?? ''),
  );
}

/**
 * The same check over what was already read (the online booking reads the service's categories
 * and the center's answer with its facts, in one query): the same errors in the same order.
 * `examines` answers whether the center examines `category` (asked only when it must be).
 */
export async function decideExamCategory(
  offered: readonly string[],
  category: string | null,
  examines: boolean | (() => Promise<boolean>),
): Promise<string | null> {
  if (offered.length === 0) {
    if (category) throw invalid('Ця послуга не має категорій транспортних засобів.');
    return null;
  }
  if (!category) throw invalid('Оберіть категорію транспортного засобу.');
  if (!offered.includes(category)) throw invalid(`Категорії ${category} немає серед категорій іспиту.`);
  if (!(typeof examines === 'boolean' ? examines : await examines())) {
    throw invalid(`Цей сервісний центр не приймає практичний іспит категорії ${category}.`);
  }
  return category;
}
