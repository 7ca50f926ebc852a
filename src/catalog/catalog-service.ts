import { audit } from '../audit/audit-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import * as store from './catalog-store.js';
import {
  categoriesByCenter,
  centerCars,
  offeredCategories,
  replaceCenterCars,
} from './exam-category-store.js';

/**
 * The catalogue read by every surface: centers, services, a center's active desks; and the exam
 * categories a center declares with its cars (SPEC §2, rule 8), set by its head.
 */
export function createCatalogService({ db, clock }: { db: Db; clock: Clock }) {
  async function assertCenter(centerId: string) {
    if (!(await store.centerExists(db, centerId)))
      throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
  }
  return {
    /** The categories practical exams have, and those the center examines with how many cars. */
    async examCars(centerId: string) {
      await assertCenter(centerId);
      const [offered, cars] = await Promise.all([offeredCategories(db), centerCars(db, centerId)]);
      return { offered, cars };
    },

    /**
     * Rule 8: the head declares the categories the center examines and its cars of each; a day's
     * places of a category are capped at cars × the examiner norm from the next claim on (existing
     * registrations keep their places). A category left out is no longer offered at the center.
     */
    async setExamCars(centerId: string, cars: Array<{ category: string; cars: number }>, actor: Actor) {
      await assertCenter(centerId);
      const offered = await offeredCategories(db);
      const unknown = cars.filter((c) => !offered.includes(c.category)).map((c) => c.category);
      if (unknown.length)
        throw new DomainError('VALIDATION', { detail: `Іспит не має категорії ${unknown.join(', ')}.` });
      if (new Set(cars.map((c) => c.category)).size !== cars.length)
        throw new DomainError('VALIDATION', { detail: 'Кожну категорію вказують один раз.' });
      await db.transaction().execute(async (trx) => {
        const before = await centerCars(trx, centerId);
        await replaceCenterCars(trx, centerId, cars);
        await audit(trx, {
          at: clock.now(),
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'catalog.exam_cars_set',
          subjectKind: 'center',
          subjectId: centerId,
          centerId,
          ip: actor.ip || null,
          details: { before, after: cars },
        });
      });
      return { offered, cars: await centerCars(db, centerId) };
    },

    /**
     * SPEC §2 Exams: with a practical-exam service and a category, only the centers that examine
     * it with their own cars; a category the service does not have is a validation error.
     */
    async centers(filter: { service?: string; category?: string } = {}) {
      const [centers, categories] = await Promise.all([store.listCenters(db), categoriesByCenter(db)]);
      const all = centers.map((c) => ({ ...c, examCategories: categories.get(c.id) ?? [] }));
      if (!filter.category) return all;
      if (filter.service) {
        const offered = await store.serviceCategories(db, filter.service);
        if (!offered) throw new DomainError('NOT_FOUND', { detail: 'Послугу не знайдено.' });
        if (!offered.includes(filter.category)) {
          throw new DomainError('VALIDATION', { detail: `Послуга не має категорії ${filter.category}.` });
        }
      }
      return all.filter((c) => c.examCategories.includes(filter.category as string));
    },
    services: () => store.listServices(db),
    async desks(centerId: string) {
      const desks = await store.listActiveDesks(db, centerId);
      // No desks and no center: an unknown center is NOT_FOUND, not an empty hall.
      if (desks.length === 0 && !(await store.centerExists(db, centerId))) throw new DomainError('NOT_FOUND');
      return desks;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
