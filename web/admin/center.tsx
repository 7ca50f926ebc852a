import { CenterHolidays } from './holidays.js';
import { HoursForm } from './hours.js';

/**
 * The center's "hours and holidays" section. The roster is in roster.tsx, the norms in
 * norms.tsx, the shared names and form pieces in names.ts, save.tsx and form.tsx.
 */

// The audit log's screen reads role names from here.
export { roleName } from './names.js';

export function CenterSection({ centerId, national }: { centerId: string; national: boolean }) {
  return (
    <>
      <HoursForm centerId={centerId} />
      <CenterHolidays centerId={centerId} national={national} />
    </>
  );
}
