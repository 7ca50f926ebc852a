import { useState } from 'react';
import { t } from '../shared/i18n.js';
import { ErrorNote } from '../shared/ui.js';

/** How many registrations a change left without a place (every capacity change answers with them). */
export function conflictsOf(answer: unknown): number {
  const conflicts = (answer as { conflicts?: unknown } | null)?.conflicts;
  return Array.isArray(conflicts) ? conflicts.length : 0;
}

/** Saves with a button and shows what the change did (the API answers with the regeneration). */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const n = conflictsOf(await fn());
      setDone(n ? `${message} ${t('admin.warningConflictsRegistrations')} ${n}.` : message);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <>
      <OkNote message={done} />
      <ErrorNote error={error} />
    </>
  );
  return { run, busy, view };
}

/** A change's success line, read out by screen readers. */
export function OkNote({ message }: { message: string | null }) {
  return message ? (
    <p className="notice notice-ok" role="status">
      {message}
    </p>
  ) : null;
}
