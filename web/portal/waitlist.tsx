import { useState } from 'react';
import type { offerAccepted, offerView, waitView } from '../../src/waitlist/waitlist-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { solveAntibot } from '../shared/pow.js';
import { useServerTime } from '../shared/server-time.js';
import { formatDate, formatTime, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, useLoad } from '../shared/ui.js';
import { CategoryChoice } from './category-choice.js';

/**
 * SPEC rule 12 on the portal: "no places? wait for one" under the calendar, and in "my
 * registrations" the places offered from the waitlist (held with a countdown from the server's
 * time) and the person's waits. Types are the server's response schemas.
 */
export type Offer = Answer<typeof offerView>;
export type Wait = Answer<typeof waitView>;
export type AcceptedOffer = Answer<typeof offerAccepted>;

/**
 * Joins the waitlist for a service at the given center(s) over a date range inside the horizon.
 * A practical exam waits for one vehicle category (SPEC §2, rule 8): the one chosen in the wizard,
 * else asked here among `categories` (those the center(s) examine), as the wizard asks it.
 */
export function WaitForPlace({
  serviceId,
  centerIds,
  from,
  to,
  categories = [],
  category,
}: {
  serviceId: string;
  centerIds: string[];
  from: string;
  to: string;
  /** Practical exams: the vehicle categories that can be waited for. */
  categories?: string[];
  /** Practical exams: the vehicle category already chosen. */
  category?: string;
}) {
  const clock = useServerTime();
  const [range, setRange] = useState({ from, to });
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const examCategory = category ?? picked;
  const needsCategory = !category && categories.length > 0;
  const [phase, setPhase] = useState<'idle' | 'sending' | 'done'>('idle');
  const [error, setError] = useState<unknown>(null);
  const min = clock?.horizonFrom ?? from;
  const max = clock?.horizonTo ?? to;

  const join = async () => {
    setError(null);
    setPhase('sending');
    try {
      const altcha = await solveAntibot();
      await api.post('/api/v1/waitlist', {
        centerIds,
        serviceId,
        ...range,
        ...(examCategory ? { examCategory } : {}),
        ...(altcha ? { altcha } : {}),
      });
      setPhase('done');
    } catch (e) {
      setError(e);
      setPhase('idle');
    }
  };

  return (
    <section className="card" aria-labelledby="wait-title">
      <h2 id="wait-title">{t('waitlist.noPlacesWait')}</h2>
      <p className="muted">{t('waitlist.howItWorks')}</p>
      {phase === 'done' ? (
        <p className="notice notice-ok" role="status">
          {t('waitlist.joined')}
        </p>
      ) : (
        <div className="row">
          {needsCategory ? (
            <CategoryChoice
              categories={categories}
              chosen={picked}
              onChoose={setPicked}
              hint={t('waitlist.chooseCategory')}
            />
          ) : category ? (
            <p className="muted" data-testid="wait-category">
              {t('waitlist.category', { category })}
            </p>
          ) : null}
          <label>
            {t('waitlist.from')}{' '}
            <input
              type="date"
              min={min}
              max={max}
              value={range.from}
              onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
            />
          </label>
          <label>
            {t('waitlist.to')}{' '}
            <input
              type="date"
              min={min}
              max={max}
              value={range.to}
              onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
            />
          </label>
          <button
            type="button"
            className="button"
            onClick={join}
            disabled={phase !== 'idle' || (needsCategory && !picked)}
          >
            {phase === 'sending' ? t('waitlist.pleaseWait') : t('waitlist.waitForPlace')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

/** Minutes and seconds left until `until`, by the server's clock (never the device's). */
function Countdown({ until }: { until: string }) {
  const clock = useServerTime();
  if (!clock) return null;
  const left = Math.max(0, Math.floor((Date.parse(until) - clock.now.getTime()) / 1000));
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');
  return (
    <span className="countdown" role="timer" aria-live="off">
      {left > 0 ? t('waitlist.heldFor', { time: `${minutes}:${seconds}` }) : t('waitlist.expired')}
    </span>
  );
}

/** The places offered to me: accept (books it, limits apply) or decline (it goes to the next draw). */
export function MyOffers({ onBooked }: { onBooked?: () => void }) {
  const offers = useLoad(() => api.get<Offer[]>('/api/v1/me/offers'), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!offers.data?.length && !error) return null;

  const act = async (offer: Offer, action: 'accept' | 'decline') => {
    setError(null);
    setBusy(offer.id);
    try {
      if (action === 'accept') {
        const altcha = await solveAntibot();
        const booked = await api.post<AcceptedOffer>(
          `/api/v1/offers/${offer.id}/accept`,
          altcha ? { altcha } : {},
        );
        setDone(t('waitlist.acceptedNumber', { number: booked.number ?? '—' }));
        onBooked?.();
      } else {
        await api.post(`/api/v1/offers/${offer.id}/decline`);
        setDone(t('waitlist.declined'));
      }
      offers.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="offers-title" className="card notice-info">
      <h2 id="offers-title">{t('waitlist.offersTitle')}</h2>
      {done ? (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      ) : null}
      <ErrorNote error={error} />
      <ul className="bookings">
        {(offers.data ?? []).map((o) => (
          <li key={o.id} className="card">
            <p>
              <strong>
                {formatWeekdayLong(o.startsAt)}, {formatTime(o.startsAt)}
              </strong>
              <br />
              {o.serviceName}
              {o.examCategory ? ` · ${t('waitlist.category', { category: o.examCategory })}` : ''} ·{' '}
              {o.centerName}
            </p>
            <p>
              <Countdown until={o.expiresAt} />
            </p>
            <div className="row">
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => act(o, 'accept')}
              >
                {t('waitlist.accept')}
              </button>
              <button
                type="button"
                className="button secondary"
                disabled={busy !== null}
                onClick={() => act(o, 'decline')}
              >
                {t('waitlist.decline')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** My open waits, each with "leave". */
export function MyWaits() {
  const waits = useLoad(() => api.get<Wait[]>('/api/v1/me/waitlist'), []);
  const [error, setError] = useState<unknown>(null);
  if (!waits.data?.length && !error) return null;

  const leave = async (w: Wait) => {
    setError(null);
    try {
      await api.del(`/api/v1/waitlist/${w.id}`);
      waits.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="waits-title">
      <h2 id="waits-title">{t('waitlist.myWaits')}</h2>
      <ErrorNote error={error} />
      <ul className="bookings">
        {(waits.data ?? []).map((w) => (
          <li key={w.id} className="card">
            <p>
              {w.serviceName}
              {w.examCategory ? ` · ${t('waitlist.category', { category: w.examCategory })}` : ''}
              <br />
              <span className="muted">
                {formatDate(w.from)} – {formatDate(w.to)} · {t('waitlist.centers', { n: w.centerIds.length })}
              </span>
            </p>
            <button type="button" className="button secondary" onClick={() => leave(w)}>
              {t('waitlist.leave')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
