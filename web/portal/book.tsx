import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api, type Center, documentsOf, type Me, request, type Service, type Slot } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { solveAntibot } from '../shared/pow.js';
import { useServerTime } from '../shared/server-time.js';
import {
  addDays,
  dayAsDate,
  formatDayShort,
  formatMonthShort,
  formatTime,
  formatWeekdayLong,
  isoWeekday,
} from '../shared/time.js';
import { ErrorNote, Loading, newIdempotencyKey, useLoad } from '../shared/ui.js';
import { CenterMap } from './center-map.js';
import { formatPrice } from './landing.js';
import { link, type Navigate } from './nav.js';

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

const slotsOf = (centerId: string, serviceId: string, day: string, fresh = false) => {
  const key = `${centerId}|${serviceId}|${day}`;
  const hit = slotCache.get(key);
  if (!fresh && hit && performance.now() - hit.at < SLOT_CACHE_MS) return hit.slots;
  const slots = api.get<Slot[]>(
    `/api/v1/centers/${encodeURIComponent(centerId)}/slots?service=${encodeURIComponent(serviceId)}&date=${day}`,
  );
  slotCache.set(key, { at: performance.now(), slots });
  slots.catch(() => slotCache.delete(key));
  return slots;
};

interface Availability {
  from: string;
  to: string;
  days: Array<{ date: string; free: number }>;
}
const availabilityCache = new Map<string, { at: number; value: Promise<Availability> }>();

/** Free places per day over the whole horizon: one request per center and service. */
const availabilityOf = (centerId: string, serviceId: string) => {
  const key = `${centerId}|${serviceId}`;
  const hit = availabilityCache.get(key);
  if (hit && performance.now() - hit.at < SLOT_CACHE_MS) return hit.value;
  const value = api.get<Availability>(
    `/api/v1/centers/${encodeURIComponent(centerId)}/availability?service=${encodeURIComponent(serviceId)}`,
  );
  availabilityCache.set(key, { at: performance.now(), value });
  value.catch(() => availabilityCache.delete(key));
  return value;
};

/** Days ahead counted for each center in the list. */
const CENTER_DAYS = 7;

export interface Booked {
  id: string;
  number?: number;
  status: 'booked' | 'pending';
  startsAt?: string;
  decidesAt?: string;
  center: Center;
  service: Service;
  slot: Slot;
}

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

export default function BookingFlow({
  me,
  navigate,
  onBooked,
}: {
  me: Me;
  navigate: Navigate;
  onBooked: () => void;
}) {
  const [step, setStep] = useState<Step>('service');
  const [service, setService] = useState<Service | null>(null);
  const [center, setCenter] = useState<Center | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [booked, setBooked] = useState<Booked | null>(null);

  const go = (next: Step) => {
    setStep(next);
    window.scrollTo(0, 0);
    requestAnimationFrame(() => document.getElementById('step-title')?.focus());
  };

  if (me.blockedUntil) {
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">{t('portal.newRegistrationsTemporarilyBlocked')}</p>
        <a href="/my" onClick={link(navigate, '/my')}>
          {t('portal.seeMyRegistrations')}
        </a>
      </div>
    );
  }

  return (
    <div className="booking-flow">
      {step !== 'done' ? <StepList step={step} /> : null}
      {step === 'service' ? (
        <ServiceStep
          selected={service}
          onPick={(s) => {
            setService(s);
            setSlot(null);
            go('center');
          }}
        />
      ) : null}
      {step === 'center' && service ? (
        <CenterStep
          service={service}
          selected={center}
          onBack={() => go('service')}
          onPick={(c) => {
            setCenter(c);
            setSlot(null);
            go('day');
          }}
        />
      ) : null}
      {step === 'day' && service && center ? (
        <DayStep
          service={service}
          center={center}
          selected={day}
          onBack={() => go('center')}
          onPick={(d) => {
            setDay(d);
            setSlot(null);
            go('time');
          }}
        />
      ) : null}
      {step === 'time' && service && center && day ? (
        <TimeStep
          service={service}
          center={center}
          day={day}
          onBack={() => go('day')}
          onPick={(s) => {
            setSlot(s);
            go('confirm');
          }}
        />
      ) : null}
      {step === 'confirm' && service && center && slot ? (
        <ConfirmStep
          me={me}
          service={service}
          center={center}
          slot={slot}
          onBack={(to) => go(to)}
          onBooked={(b) => {
            setBooked(b);
            onBooked();
            go('done');
          }}
        />
      ) : null}
      {step === 'done' && booked ? (
        <Suspense fallback={<Loading />}>
          <Confirmation booked={booked} navigate={navigate} />
        </Suspense>
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

function ServiceStep({ selected, onPick }: { selected: Service | null; onPick: (s: Service) => void }) {
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  return (
    <section>
      <StepTitle>{t('portal.chooseService')}</StepTitle>
      {services.loading && !services.data ? <Loading /> : null}
      <ErrorNote error={services.error} onRetry={services.reload} />
      <div className="grid">
        {services.data?.map((s) => (
          <button
            key={s.id}
            type="button"
            className="choice"
            aria-pressed={selected?.id === s.id}
            onClick={() => onPick(s)}
          >
            <span className="choice-title">{s.name}</span>
            <span className="choice-meta">{formatPrice(s.price)}</span>
            {documentsOf(s).length ? (
              <span className="choice-meta">
                {t('portal.documents')} {documentsOf(s).join('; ')}
              </span>
            ) : null}
          </button>
        ))}
      </div>
    </section>
  );
}

function CenterStep({
  service,
  selected,
  onPick,
  onBack,
}: {
  service: Service;
  selected: Center | null;
  onPick: (c: Center) => void;
  onBack: () => void;
}) {
  const centers = useLoad(() => api.get<Center[]>('/api/v1/centers'));
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
        const { days } = await availabilityOf(c.id, service.id);
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
  }, [centers.data, service.id, tomorrow]);

  const regions = useMemo(
    () => [...new Set((centers.data ?? []).map((c) => c.region))].sort(),
    [centers.data],
  );
  const shown = (centers.data ?? []).filter((c) => !region || c.region === region);

  return (
    <section>
      <StepTitle>{t('portal.chooseServiceCenter')}</StepTitle>
      <p className="muted">{service.name}</p>
      {centers.loading && !centers.data ? <Loading /> : null}
      <ErrorNote error={centers.error} onRetry={centers.reload} />
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
                      <span className="choice-title">{c.name}</span>
                      <span className="choice-meta">{c.address}</span>
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
  selected,
  onPick,
  onBack,
}: {
  service: Service;
  center: Center;
  selected: string | null;
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
    availabilityOf(center.id, service.id).then(
      (a) => {
        if (live)
          setFree(Object.fromEntries(days.map((d) => [d, a.days.find((x) => x.date === d)?.free ?? 0])));
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
  }, [days, center.id, service.id]);

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
        {service.name} · {center.name}
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
      <div className="row nav-row">
        <Back onClick={onBack} />
      </div>
    </section>
  );
}

function TimeStep({
  service,
  center,
  day,
  onPick,
  onBack,
}: {
  service: Service;
  center: Center;
  day: string;
  onPick: (s: Slot) => void;
  onBack: () => void;
}) {
  const slots = useLoad(() => slotsOf(center.id, service.id, day, true), [center.id, service.id, day]);
  const open = (slots.data ?? []).filter((s) => s.free > 0);
  return (
    <section>
      <StepTitle>{t('portal.chooseTime')}</StepTitle>
      <p className="muted">
        {formatWeekdayLong(dayAsDate(day))} · {center.name}
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
  onBack,
  onBooked,
}: {
  me: Me;
  service: Service;
  center: Center;
  slot: Slot;
  onBack: (to: Step) => void;
  onBooked: (b: Booked) => void;
}) {
  const [phase, setPhase] = useState<'idle' | 'checking' | 'sending'>('idle');
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
      const res = await request<{
        id: string;
        number?: number;
        status: 'booked' | 'pending';
        startsAt?: string;
        decidesAt?: string;
      }>(
        'POST',
        '/api/v1/bookings',
        { slotId: slot.id, serviceId: service.id, ...(altcha ? { altcha } : {}) },
        { 'idempotency-key': key },
      );
      onBooked({ ...res.body, center, service, slot });
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
          {service.name} <span className="muted">· {formatPrice(service.price)}</span>
        </dd>
        <dt>{t('portal.center')}</dt>
        <dd>
          {center.name}
          <br />
          <span className="muted">{center.address}</span>
        </dd>
        <dt>{t('portal.dateTime')}</dt>
        <dd>
          <strong>
            {formatWeekdayLong(slot.startsAt)}, {formatTime(slot.startsAt)}
          </strong>
        </dd>
        <dt>{t('portal.applicant')}</dt>
        <dd>
          {me.lastName} {me.firstName} {me.middleName ?? ''}
        </dd>
      </dl>
      {documentsOf(service).length ? (
        <div className="card">
          <h2>{t('portal.bringYou')}</h2>
          <ul>
            {documentsOf(service).map((d) => (
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
        <Back onClick={() => onBack('time')} />
        <button
          type="button"
          className="button big"
          onClick={confirm}
          disabled={phase !== 'idle'}
          aria-describedby="confirm-status"
        >
          {phase === 'idle' ? t('portal.confirmBooking') : t('portal.pleaseWait')}
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
