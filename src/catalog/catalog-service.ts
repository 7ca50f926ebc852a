import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import * as store from './catalog-store.js';

/** The catalogue read by every surface: centers, services, a center's active desks. */
export function createCatalogService({ db }: { db: Db }) {
  return {
    centers: () => store.listCenters(db),
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
