import type { Executor } from '../../platform/db.js';
import { storeOp } from '../../platform/problems.js';

/**
 * Demo data for the emulator's "already blocked" persona: the person is blocked until `until`
 * unless a block is already running (a running block is never shortened or extended here).
 */
export async function seedPersonBlock(db: Executor, personId: string, until: Date, now: Date): Promise<void> {
  await storeOp('person.seedDemoBlock', () =>
    db
      .updateTable('persons')
      .set({ blocked_until: until, blocked_at: now })
      .where('id', '=', personId)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
      .execute(),
  );
}
