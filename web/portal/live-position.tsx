import { useEffect, useState } from 'react';
import type { MyBooking } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';

interface Position {
  status: string;
  checkedInAt: string | null;
  position: number | null;
  expectedCallAt: string | null;
}

/**
 * Rule 13 on the citizen's phone: after the kiosk check-in, the place in the queue and the
 * expected call time, pushed by the server (Server-Sent Events) whenever the center's queue
 * moves; no polling. Today's waiting registrations only; the first values come with the list.
 */
export function LivePosition({ b }: { b: MyBooking }) {
  const [live, setLive] = useState<Position | null>(null);
  const waiting = b.status === 'arrived' || (b.status === 'booked' && b.position != null);
  useEffect(() => {
    if (!waiting || typeof EventSource === 'undefined') return;
    const es = new EventSource(`/api/v1/me/bookings/${encodeURIComponent(b.id)}/events`);
    es.addEventListener('position', (e) => setLive(JSON.parse((e as MessageEvent<string>).data) as Position));
    return () => es.close();
  }, [b.id, waiting]);
  const now = live ?? {
    status: b.status,
    checkedInAt: b.checkedInAt ?? null,
    position: b.position ?? null,
    expectedCallAt: b.expectedCallAt ?? null,
  };
  if (now.position == null) return null;
  return (
    <p className="notice notice-info" aria-live="polite" data-testid="live-position">
      {now.checkedInAt ? <strong>{t('portal.inTheHall')} </strong> : null}
      {t('portal.peopleAheadNow', { count: now.position })}
      {now.expectedCallAt
        ? ` · ${t('portal.expectedCallAt', { time: formatTime(now.expectedCallAt) })}`
        : null}
      {now.checkedInAt ? null : (
        <>
          <br />
          {t('portal.checkInAtKiosk')}
        </>
      )}
    </p>
  );
}
