import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import * as store from './catalog-store.js';
import { categoriesByCenter } from './exam-category-store.js';

/** The catalogue read by every surface: centers, services, a center's active desks. */
export function createCatalogService({ db }: { db: Db }) {
  return {
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
