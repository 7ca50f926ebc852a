import type { AppContext } from '../context.js';

/** Demo data, seeded on the first start in demo mode. (Filled in by the capacity work.) */
export async function seedDemoData(_ctx: AppContext): Promise<boolean> {
  return false;
}
