import type { Db } from '../../src/platform/db.js';
import { CENTER, GROUP, OTHER_CENTER } from '../support/fixtures.js';

/** Norms and a roster for the fixture catalogue: one administrator on vehicles, one examiner. */
export async function seedRoster(db: Db) {
  await db
    .insertInto('norms')
    .values([
      { center_id: null, group_id: GROUP.vehicle, role: 'administrator', per_day: 20 },
      { center_id: null, group_id: GROUP.licence, role: 'administrator', per_day: 24 },
      { center_id: null, group_id: GROUP.practical, role: 'examiner', per_day: 15 },
      { center_id: null, group_id: GROUP.theory, role: 'examiner', per_day: 40 },
    ])
    .execute();
  await db
    .insertInto('roster_shifts')
    .values([
      {
        center_id: CENTER,
        staff_id: 'st-admin-1',
        desk_id: `${CENTER}-d2`,
        weekdays: [1, 2, 3, 4, 5],
        valid_from: '2026-01-01',
        valid_to: null,
      },
      {
        center_id: CENTER,
        staff_id: 'st-exam-1',
        desk_id: `${CENTER}-d3`,
        weekdays: [1, 2, 3, 4, 5],
        valid_from: '2026-01-01',
        valid_to: null,
      },
      {
        center_id: OTHER_CENTER,
        staff_id: 'st-admin-2',
        desk_id: `${OTHER_CENTER}-d1`,
        weekdays: [1, 2, 3, 4, 5],
        valid_from: '2026-01-01',
        valid_to: null,
      },
    ])
    .execute();
}
