import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type {
  availabilityView,
  bookedView,
  movedView,
  pendingView,
} from '../../src/booking/booking-api-schema.js';
import { type Answer, api, type Center, type Me, request, type Service, type Slot } from '../shared/api.js';
import { addressOf, documentsOf, nameOf, priceOf } from '../shared/catalog-names.js';
import { currentLang, t } from '../shared/i18n.js';
import { solveAntibot } from '../shared/pow.js';
import { useServerTime } from '../shared/server-time.js';
import {
  addDays,
  dayAsDate,
  formatDate,
  formatDayShort,
  formatMonthShort,
  formatMonthYear,
  formatTime,
  formatWeekdayLong,
  isoWeekday,
} from '../shared/time.js';
import { ErrorNote, Loading, newIdempotencyKey, useLoad } from '../shared/ui.js';
import { BlockLift } from './block-lift.js';
import { CategoryChoice } from './category-choice.js';
import { CenterMap } from './center-map.js';
import { formatPrice } from './landing.js';
import { link, type Navigate } from './nav.js';
import { WaitForPlace } from './waitlist.js';

const Confirmation = lazy(() => import('./confirmation.js'));

/** Runs async jobs with at most `limit` in flight (slot look-ups per day and center). */
async function pool<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i] as T);
      }
    }),
  );
  return out;
}

// Slot look-ups are rate limited per person (SPEC 3.9), so the flow keeps answers for a short
// while: going back and forth between steps does not spend the allowance again.
const SLOT_CACHE_MS = 60_000;
const slotCache = new Map<string, { at: number; slots: Promise<Slot[]> }>();

/** Rule 8: a practical exam's vehicle category narrows the free places to what it has left. */
const forCategory = (category?: string) => (category ? `&category=${encodeURIComponent(category)}` : '');

const slotsOf = (centerId: string, serviceId: string, day: string, fresh = false, category?: string) => {
  const key = `${centerId}|${serviceId}|${day}|${category ?? ''}`;
  const hit = slotCache.get(key);
  if (!fresh && hit && performance.now() - hit.at < SLOT_CACHE_MS) return hit.slots;
  const slots = api.get<Slot[]>(
    `/api/v1/centers/${encodeURIComponent(centerId)}/slots?service=${encodeURIComponent(serviceId)}&date=${day}${forCategory(category)}`,
  );
  slotCache.set(key, { at: performance.now(), slots });
  slots.catch(() => slotCache.delete(key));
  return slots;
};

type Availability = Answer<typeof availabilityView>;
const availabilityCache = new Map<string, { at: number; value: Promise<Availability> }>();

/** Free places per day over the whole horizon: one request per center and service. */
const availabilityOf = (centerId: string, serviceId: string, category?: string) => {
  const key = `${centerId}|${serviceId}|${category ?? ''}`;
  const hit = availabilityCache.get(key);
  if (hit && performance.now() - hit.at < SLOT_CACHE_MS) return hit.value;
  const value = api.get<Availability>(
    `/api/v1/centers/${encodeURIComponent(centerId)}/availability?service=${encodeURIComponent(serviceId)}${forCategory(category)}`,
  );
  availabilityCache.set(key, { at: performance.now(), value });
  value.catch(() => availabilityCache.delete(key));
  return value;
};

/** Days ahead counted for each center in the list. */
const CENTER_DAYS = 7;

/** The answers of booking (201 booked, 202 a lottery entry) and of moving a registration. */
type Placed = Answer<typeof bookedView>;
type Entered = Answer<typeof pendingView>;
type Moved = Answer<typeof movedView>;

/** What the confirmation shows: the answer, with the choices it was made from. */
export type Booked = Pick<Placed | Entered | Moved, 'id' | 'status'> &
  Partial<Pick<Placed, 'number' | 'startsAt'> & Pick<Entered, 'decidesAt'>> & {
    /** Rule 3: the registration was moved (same id), not booked anew. */
    moved?: boolean;
    center: Center;
    service: Service;
    slot: Slot;
  };

type Step = 'service' | 'center' | 'day' | 'time' | 'confirm' | 'done';
const STEPS: Step[] = ['service', 'center', 'day', 'time', 'confirm'];

function StepList({ step }: { step: Step }) {
  const names: Record<Step, string> = {
    service: t('portal.service'),
    center: t('portal.center'),
    day: t('portal.day'),
    time: t('portal.time'),
    confirm: t('portal.confirm'),
    done: '',
  };
  const at = STEPS.indexOf(step);
  return (
    <ol className="stepper" aria-label={t('portal.bookingSteps')}>
      {STEPS.map((s, i) => (
        <li
          key={s}
          aria-current={s === step ? 'step' : undefined}
          className={i < at ? 'done' : i === at ? 'now' : ''}
        >
          <span className="step-n" aria-hidden="true">
            {i + 1}
          </span>
          {names[s]}
        </li>
      ))}
    </ol>
  );
}

/** Where each step lives: the browser's back button walks the wizard and a reload keeps it. */
const STEP_PATH: Record<Step, string> = {
  service: '/book',
  center: '/book/center',
  day: '/book/day',
  time: '/book/time',
  confirm: '/book/confirm',
  done: '/book/done',
};

function stepOf(pathname: string): Step {
  const found = (Object.entries(STEP_PATH) as Array<[Step, string]>).find(([, p]) => p === pathname);
  return found ? found[0] : 'service';
}

interface Choice {
  service?: string;
  /** Practical exams: the vehicle category, chosen before the center (SPEC §2 Exams). */
  category?: string;
  center?: string;
  day?: string;
  slot?: string;
  /** Rule 3: the registration being moved; the wizard then picks its new time. */
  move?: string;
}

function choiceOf(search: string): Choice {
  const q = new URLSearchParams(search);
  const get = (k: string) => q.get(k) ?? undefined;
  return {
    service: get('service'),
    category: get('category'),
    center: get('center'),
    day: get('day'),
    slot: get('slot'),
    move: get('move'),
  };
}

function urlOf(step: Step, c: Choice): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(c)) if (v) q.set(k, v);
  const qs = q.toString();
  return `${STEP_PATH[step]}${qs ? `?${qs}` : ''}`;
}

/** The first day of the month after `day` (YYYY-MM-DD). */
function nextMonthStart(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * Rule 2: a person at the monthly online limit is told before step 1, with the way forward:
 * the limit counts per month of the visit, so the next month's days are open when they lie in
 * the booking window; otherwise the day when the next month's days open.
 */
function useLimit(me: Me) {
  const time = useServerTime();
  const { used, limit } = me.limits.online;
  if (used < limit || !time) return { reached: used >= limit, from: undefined, opensOn: undefined };
  const from = nextMonthStart(time.today);
  if (from <= time.horizonTo) return { reached: true, from, opensOn: undefined };
  const windowDays = Math.round(
    (dayAsDate(time.horizonTo).getTime() - dayAsDate(time.today).getTime()) / 86_400_000,
  );
  return { reached: true, from, opensOn: addDays(from, -windowDays) };
}

export default function BookingFlow({
  me,
  navigate,
  onBooked,
}: {
  me: Me;
  navigate: Navigate;
  onBooked: () => void;
}) {
  const step = stepOf(window.location.pathname);
  const choice = choiceOf(window.location.search);
  const [booked, setBooked] = useState<Booked | null>(null);
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  const centers = useLoad(() => api.get<Center[]>('/api/v1/centers'));
  const limit = useLimit(me);
  const service = services.data?.find((s) => s.id === choice.service) ?? null;
  const center = centers.data?.find((c) => c.id === choice.center) ?? null;
  const day = choice.day ?? null;
  // A reload on the last step reads the chosen time again (it may have been taken meanwhile).
  const slots = useLoad(
    () =>
      step === 'confirm' && choice.center && choice.service && choice.day
        ? slotsOf(choice.center, choice.service, choice.day, false, choice.category)
        : Promise.resolve([] as Slot[]),
    [step, choice.center, choice.service, choice.day, choice.category],
  );
  const slot = slots.data?.find((x) => String(x.id) === choice.slot) ?? null;

  const go = (next: Step, c: Choice) => {
    // A move and a chosen exam category stay with the wizard while the service stays the same.
    const same = c.service === choice.service;
    navigate(
      urlOf(next, { ...c, category: c.category ?? (same ? choice.category : undefined), move: choice.move }),
    );
    requestAnimationFrame(() => document.getElementById('step-title')?.focus());
  };

  if (me.blockedUntil) {
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">{t('portal.newRegistrationsTemporarilyBlocked')}</p>
        <BlockLift me={me} />
        <a href="/my" onClick={link(navigate, '/my')}>
          {t('portal.seeMyRegistrations')}
        </a>
      </div>
    );
  }

  if (step === 'done') {
    return booked ? (
      <Suspense fallback={<Loading />}>
        <Confirmation booked={booked} navigate={navigate} />
      </Suspense>
    ) : (
      <p>
        <a href="/my" onClick={link(navigate, '/my')}>
          {t('portal.seeMyRegistrations')}
        </a>
      </p>
    );
  }

  // A move counts once (rule 3): the monthly limit does not stop it at the start.
  if (limit.reached && limit.opensOn && !choice.move) {
    return (
      <section className="notice notice-warn" aria-labelledby="limit-title">
        <h1 className="notice-title" id="limit-title" tabIndex={-1}>
          {t('portal.limitReachedTitle', { used: me.limits.online.used, limit: me.limits.online.limit })}
        </h1>
        <p>
          {t('portal.limitOpensOn', {
            month: formatMonthYear(dayAsDate(limit.from as string)),
            date: formatDate(dayAsDate(limit.opensOn)),
          })}
        </p>
        <p>{t('portal.limitTerminalStillOpen')}</p>
        <a className="button secondary" href="/my" onClick={link(navigate, '/my')}>
          {t('portal.seeMyRegistrations')}
        </a>
      </section>
    );
  }

  const loading = (services.loading && !services.data) || (centers.loading && !centers.data);
  const missing =
    !loading && ((step !== 'service' && !service) || (['day', 'time', 'confirm'].includes(step) && !center));

  return (
    <div className="booking-flow">
      {choice.move ? (
        <div className="notice notice-info" data-testid="move-banner">
          <p className="notice-title">{t('portal.moveTitle')}</p>
          <p>{t('portal.moveHint')}</p>
        </div>
      ) : null}
      <StepList step={step} />
      {limit.reached && limit.from && !choice.move ? (
        <div className="notice notice-warn" role="status" data-testid="limit-notice">
          <p className="notice-title">
            {t('portal.limitReachedTitle', { used: me.limits.online.used, limit: me.limits.online.limit })}
          </p>
          <p>{t('portal.limitNextMonthOpen', { date: formatDate(dayAsDate(limit.from)) })}</p>
        </div>
      ) : null}
      <ErrorNote
        error={services.error ?? centers.error}
        onRetry={services.error ? services.reload : centers.reload}
      />
      {loading ? <Loading /> : null}
      {missing ? (
        <p className="notice notice-info" role="status">
          {t('portal.choiceLost')}{' '}
          <a href="/book" onClick={link(navigate, '/book')}>
            {t('portal.startAgain')}
          </a>
        </p>
      ) : null}
      {step === 'service' && services.data ? (
        <ServiceStep
          services={services.data}
          selected={service}
          onPick={(s) => go('center', { service: s.id })}
        />
      ) : null}
      {step === 'center' && service && centers.data ? (
        <CenterStep
          service={service}
          centers={centers.data}
          selected={center}
          category={choice.category}
          onCategory={(category) => go('center', { service: service.id, category })}
          onBack={() => window.history.back()}
          onPick={(c) => go('day', { service: service.id, center: c.id })}
        />
      ) : null}
      {step === 'day' && service && center ? (
        <DayStep
          service={service}
          center={center}
          category={choice.category}
          selected={day}
          minDay={limit.reached && !choice.move ? limit.from : undefined}
          onBack={() => window.history.back()}
          onPick={(d) => go('time', { service: service.id, center: center.id, day: d })}
        />
      ) : null}
      {step === 'time' && service && center && day ? (
        <TimeStep
          service={service}
          center={center}
          category={choice.category}
          day={day}
          onBack={() => window.history.back()}
          onPick={(x) => go('confirm', { service: service.id, center: center.id, day, slot: String(x.id) })}
        />
      ) : null}
      {step === 'confirm' && service && center && day && slots.data && !slot ? (
        <div className="notice notice-info" role="status">
          <p>{t('portal.placesLeftDayChoose')}</p>
          <a
            href={urlOf('time', { ...choice, slot: undefined })}
            onClick={link(navigate, urlOf('time', { ...choice, slot: undefined }))}
          >
            {t('portal.chooseTime')}
          </a>
        </div>
      ) : null}
      {step === 'confirm' && service && center && slot ? (
        <ConfirmStep
          me={me}
          service={service}
          center={center}
          slot={slot}
          category={choice.category}
          moveId={choice.move}
          onBack={() => window.history.back()}
          onBooked={(b) => {
            setBooked(b);
            onBooked();
            // The finished booking replaces the confirm step: "back" does not offer to book it again.
            window.history.replaceState(null, '', STEP_PATH.done);
            navigate(STEP_PATH.done);
            requestAnimationFrame(() => document.getElementById('step-title')?.focus());
          }}
        />
      ) : null}
    </div>
  );
}

function StepTitle({ children }: { children: React.ReactNode }) {
  return (
    <h1 id="step-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

function Back({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button secondary" onClick={onClick}>
      ← {t('portal.back')}
    </button>
  );
}

function ServiceStep({
  services,
  selected,
  onPick,
}: {
  services: Service[];
  selected: Service | null;
  onPick: (s: Service) => void;
}) {
  return (
    <section>
      <StepTitle>{t('portal.chooseService')}</StepTitle>
      <ul className="service-list">
        {services.map((s) => {
          const docs = documentsOf(s, currentLang());
          return (
            <li key={s.id} className="service-item">
              <button
                type="button"
                className="choice"
                aria-pressed={selected?.id === s.id}
                onClick={() => onPick(s)}
              >
                <span className="choice-title">{nameOf(s)}</span>
              </button>
              {/* Documents and fees fold away: eleven services with their lists were ~4,000 px on a phone. */}
              <details className="service-docs">
                <summary>
                  {docs.length ? t('portal.documentsAndFees', { count: docs.length }) : t('portal.feesOnly')}
                </summary>
                {docs.length ? (
                  <ul>
                    {docs.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                ) : null}
                <p className="muted small">{formatPrice(priceOf(s))}</p>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CenterStep({
  service,
  centers: all,
  selected,
  category,
  onCategory,
  onPick,
  onBack,
}: {
  service: Service;
  centers: Center[];
  selected: Center | null;
  category?: string;
  onCategory: (category: string) => void;
  onPick: (c: Center) => void;
  onBack: () => void;
}) {
  // SPEC §2 Exams: the category comes first, and only the centers examining it are shown.
  const categories = service.examCategories ?? [];
  const byCategory = categories.length > 0;
  const list = useMemo(
    () => (byCategory ? all.filter((c) => category && c.examCategories?.includes(category)) : all),
    [all, byCategory, category],
  );
  const centers = { data: list };
  const [region, setRegion] = useState('');
  const [free, setFree] = useState<Record<string, number | null>>({});
  // The first bookable day is the server's, whatever the device's clock says.
  const tomorrow = useServerTime()?.horizonFrom;

  // Free places in the next days per center, so a person sees at once where it is easier.
  useEffect(() => {
    const list = centers.data;
    if (!list || !tomorrow) return;
    let live = true;
    const last = addDays(tomorrow, CENTER_DAYS - 1);
    void pool(list, 3, async (c) => {
      try {
        const { days } = await availabilityOf(c.id, service.id, category);
        const total = days
          .filter((d) => d.date >= tomorrow && d.date <= last)
          .reduce((n, d) => n + d.free, 0);
        if (live) setFree((f) => ({ ...f, [c.id]: total }));
      } catch {
        if (live) setFree((f) => ({ ...f, [c.id]: null }));
      }
    });
    return () => {
      live = false;
    };
  }, [centers.data, service.id, tomorrow, category]);

  const regions = useMemo(
    () => [...new Set((centers.data ?? []).map((c) => c.region))].sort(),
    [centers.data],
  );
  const shown = (centers.data ?? []).filter((c) => !region || c.region === region);

  return (
    <section>
      <StepTitle>{t('portal.chooseServiceCenter')}</StepTitle>
      <p className="muted">{nameOf(service)}</p>
      {byCategory ? (
        <CategoryChoice
          categories={categories}
          chosen={category}
          onChoose={onCategory}
          hint={t('portal.chooseExamCategory')}
        >
          {category && list.length === 0 ? <p>{t('portal.noCenterForCategory')}</p> : null}
        </CategoryChoice>
      ) : null}
      {centers.data ? (
        <div className="center-layout">
          <div>
            <label htmlFor="region">{t('portal.region')}</label>
            <select id="region" value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="">{t('portal.allRegions')}</option>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <ul className="center-list" aria-label={t('portal.serviceCenters')}>
              {shown.map((c) => {
                const f = free[c.id];
                return (
                  <li key={c.id}>
                    <button
                      type="button"
                      className="choice"
                      aria-pressed={selected?.id === c.id}
                      onClick={() => onPick(c)}
                    >
                      <span className="choice-title">{nameOf(c)}</span>
                      <span className="choice-meta">{addressOf(c)}</span>
                      <span className="choice-meta">{c.region}</span>
                      <span className={`badge ${f ? 'ok' : f === 0 ? 'err' : ''}`}>
                        {f === undefined
                          ? t('portal.countingPlaces')
                          : f === null
                            ? t('portal.placesUnknown')
                            : `${f === 0 ? t('portal.noPlaces') : t('portal.freePlaces', { count: f })} ${t('portal.inNextDays', { count: CENTER_DAYS })}`}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
          <CenterMap
            centers={shown}
            free={free}
            days={CENTER_DAYS}
            onPick={onPick}
            selectedId={selected?.id}
          />
        </div>
      ) : null}
      <div className="row nav-row">
        <Back onClick={onBack} />
      </div>
    </section>
  );
}

function DayStep({
  service,
  center,
  category,
  selected,
  minDay,
  onPick,
  onBack,
}: {
  service: Service;
  center: Center;
  /** Practical exams: the vehicle category (rule 8): the days it still has places. */
  category?: string;
  selected: string | null;
  /** At the monthly limit only the next month's days can be booked. */
  minDay?: string;
  onPick: (d: string) => void;
  onBack: () => void;
}) {
  // The calendar offers exactly the server's window: a phone with a wrong clock gets the same days.
  const time = useServerTime();
  const from = time?.horizonFrom;
  const to = time?.horizonTo;
  const days = useMemo(() => {
    const out: string[] = [];
    for (let d = from; d && to && d <= to; d = addDays(d, 1)) out.push(d);
    return out;
  }, [from, to]);
  const [free, setFree] = useState<Record<string, number | null>>({});
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (days.length === 0) return;
    let live = true;
    availabilityOf(center.id, service.id, category).then(
      (a) => {
        if (live)
          setFree(
            Object.fromEntries(
              days.map((d) => [d, minDay && d < minDay ? 0 : (a.days.find((x) => x.date === d)?.free ?? 0)]),
            ),
          );
      },
      (e) => {
        if (live) {
          setFree(Object.fromEntries(days.map((d) => [d, null])));
          setError(e);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [days, center.id, service.id, minDay, category]);

  if (days.length === 0) return <Loading />;
  const first = days[0] as string;
  const lead = isoWeekday(first) - 1;
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map(
    (i) => formatDayShort(dayAsDate(addDays(first, i - 1 - lead))).split(',')[0],
  );

  return (
    <section>
      <StepTitle>{t('portal.chooseDay')}</StepTitle>
      <p className="muted">
        {nameOf(service)} · {nameOf(center)}
      </p>
      <ErrorNote error={error} />
      <table className="calendar">
        <caption className="sr-only">{t('portal.calendarDays', { count: days.length })}</caption>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th scope="col" key={w} className="cal-wd">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: Math.ceil((lead + days.length) / 7) }, (_, week) => week).map((week) => (
            <tr key={`w${week}`}>
              {[0, 1, 2, 3, 4, 5, 6].map((col) => {
                const i = week * 7 + col - lead;
                const d = days[i];
                if (!d) return <td key={`c${week}-${col}`} className="cal-empty" />;
                const f = free[d];
                const label = formatWeekdayLong(dayAsDate(d));
                const status =
                  f === undefined
                    ? t('portal.checking')
                    : !f
                      ? t('portal.noPlacesDay')
                      : t('portal.places', { count: f });
                return (
                  <td key={d}>
                    <button
                      type="button"
                      className={`cal-day ${f ? 'has' : f === 0 || f === null ? 'none' : ''}`}
                      disabled={!f}
                      aria-pressed={selected === d}
                      onClick={() => onPick(d)}
                    >
                      {/* No aria-label: the full date is read from hidden text, the visible part stays in the name. */}
                      <span className="sr-only">{label}: </span>
                      <span className="cal-date" aria-hidden="true">
                        {Number(d.slice(8))}
                        {i === 0 || d.endsWith('-01') ? (
                          <span className="cal-mon"> {formatMonthShort(dayAsDate(d))}</span>
                        ) : null}
                      </span>
                      <span className="cal-free" aria-hidden="true">
                        {f === undefined ? '…' : f ? f : '—'}
                      </span>
                      <span className="sr-only">{status}</span>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('portal.numberUnderDateCount', { count: days.length })}</p>
      <WaitForPlace
        serviceId={service.id}
        categories={(service.examCategories ?? []).filter((c) => center.examCategories?.includes(c))}
        category={category}
        centerIds={[center.id]}
        from={first}
        to={days[days.length - 1] ?? first}
      />
      <div className="row nav-row">
        <Back onClick={onBack} />
      </div>
    </section>
  );
}

function TimeStep({
  service,
  center,
  category,
  day,
  onPick,
  onBack,
}: {
  service: Service;
  center: Center;
  /** Practical exams: the vehicle category (rule 8): only the times it still has places. */
  category?: string;
  day: string;
  onPick: (s: Slot) => void;
  onBack: () => void;
}) {
  const slots = useLoad(
    () => slotsOf(center.id, service.id, day, true, category),
    [center.id, service.id, day, category],
  );
  const open = (slots.data ?? []).filter((s) => s.free > 0);
  return (
    <section>
      <StepTitle>{t('portal.chooseTime')}</StepTitle>
      <p className="muted">
        {formatWeekdayLong(dayAsDate(day))} · {nameOf(center)}
      </p>
      {slots.loading && !slots.data ? <Loading /> : null}
      <ErrorNote error={slots.error} onRetry={slots.reload} />
      {slots.data && open.length === 0 ? <p>{t('portal.placesLeftDayChoose')}</p> : null}
      <ul className="times" aria-label={t('portal.freeTimes')}>
        {open.map((s) => (
          <li key={s.id}>
            <button type="button" className="time-btn" onClick={() => onPick(s)}>
              <span className="time">{formatTime(s.startsAt)}</span>
              <span className="time-free">{t('portal.places', { count: s.free })}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="row nav-row">
        <Back onClick={onBack} />
      </div>
    </section>
  );
}

function ConfirmStep({
  me,
  service,
  center,
  slot,
  category,
  moveId,
  onBack,
  onBooked,
}: {
  me: Me;
  service: Service;
  center: Center;
  slot: Slot;
  category?: string;
  moveId?: string;
  onBack: () => void;
  onBooked: (b: Booked) => void;
}) {
  const [phase, setPhase] = useState<'idle' | 'checking' | 'sending'>('idle');
  // SPEC §2: a signer carrying an ЄДРПОУ chooses whom the registration counts against.
  const entity = moveId ? null : (me.entityLimits ?? null);
  const [forCompany, setForCompany] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per confirmation screen: a retried click never books twice.
  const [key] = useState(newIdempotencyKey);
  const policy = useServerTime()?.policy;

  const confirm = async () => {
    setError(null);
    try {
      setPhase('checking');
      const altcha = await solveAntibot();
      setPhase('sending');
      const res = moveId
        ? await request<Moved>(
            'POST',
            `/api/v1/bookings/${encodeURIComponent(moveId)}/reschedule`,
            { slotId: slot.id, ...(altcha ? { altcha } : {}) },
            { 'idempotency-key': key },
          )
        : await request<Placed | Entered>(
            'POST',
            '/api/v1/bookings',
            {
              slotId: slot.id,
              serviceId: service.id,
              ...(category ? { examCategory: category } : {}),
              ...(entity && forCompany ? { legalEntity: { edrpou: entity.edrpou, name: entity.name } } : {}),
              ...(altcha ? { altcha } : {}),
            },
            { 'idempotency-key': key },
          );
      onBooked({ ...res.body, moved: Boolean(moveId), center, service, slot });
    } catch (e) {
      setError(e);
      setPhase('idle');
    }
  };

  return (
    <section>
      <StepTitle>{t('portal.checkConfirm')}</StepTitle>
      <dl className="card summary">
        <dt>{t('portal.service')}</dt>
        <dd>
          {nameOf(service)} <span className="muted">· {formatPrice(priceOf(service))}</span>
        </dd>
        <dt>{t('portal.center')}</dt>
        <dd>
          {nameOf(center)}
          <br />
          <span className="muted">{addressOf(center)}</span>
        </dd>
        <dt>{t('portal.dateTime')}</dt>
        <dd>
          <strong>
            {formatWeekdayLong(slot.startsAt)}, {formatTime(slot.startsAt)}
          </strong>
        </dd>
        {category ? (
          <>
            <dt>{t('portal.examCategory')}</dt>
            <dd>{category}</dd>
          </>
        ) : null}
        <dt>{t('portal.applicant')}</dt>
        <dd>
          {me.lastName} {me.firstName} {me.middleName ?? ''}
          {entity && forCompany ? (
            <>
              <br />
              <span data-testid="entity-summary">
                {t('portal.forCompany')}: {entity.name}
              </span>
            </>
          ) : null}
        </dd>
      </dl>
      {entity ? (
        <fieldset className="card book-for">
          <legend>{t('portal.bookFor')}</legend>
          <label className="radio">
            <input type="radio" name="book-for" checked={!forCompany} onChange={() => setForCompany(false)} />
            {t('portal.bookForMe')}
          </label>
          <label className="radio">
            <input type="radio" name="book-for" checked={forCompany} onChange={() => setForCompany(true)} />
            {t('portal.bookForCompany', { name: entity.name, edrpou: entity.edrpou })}
          </label>
          <p className="muted small">{t('portal.companyLimit', { count: entity.online.perDay })}</p>
        </fieldset>
      ) : null}
      {documentsOf(service, currentLang()).length ? (
        <div className="card">
          <h2>{t('portal.bringYou')}</h2>
          <ul>
            {documentsOf(service, currentLang()).map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {policy ? (
        <p className="muted">
          {t('portal.registrationPersonalDeskDocument', { hours: policy.cancelBeforeMinutes / 60 })}
        </p>
      ) : null}
      <ErrorNote error={error} />
      <div className="row nav-row">
        <Back onClick={onBack} />
        <button
          type="button"
          className="button big"
          onClick={confirm}
          disabled={phase !== 'idle'}
          aria-describedby="confirm-status"
        >
          {phase === 'idle'
            ? moveId
              ? t('portal.confirmMove')
              : t('portal.confirmBooking')
            : t('portal.pleaseWait')}
        </button>
        <span id="confirm-status" role="status" className="muted">
          {phase === 'checking'
            ? t('portal.automaticAntiBotCheck')
            : phase === 'sending'
              ? t('portal.booking')
              : ''}
        </span>
      </div>
    </section>
  );
}
