import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type Center, type Me, type MyBooking, type Service } from '../shared/api.js';
import { addressOf, documentsOf, nameOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { formatDate, formatDateTime, formatTime, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { BlockLift } from './block-lift.js';
import { LivePosition } from './live-position.js';
import { link, type Navigate } from './nav.js';
import { MyOffers, MyWaits } from './waitlist.js';

export function statusLabel(status: string): { text: string; tone: string } {
  switch (status) {
    case 'booked':
      return { text: t('portal.booked'), tone: '' };
    case 'pending':
      return { text: t('portal.draw'), tone: 'warn' };
    case 'arrived':
      return { text: t('portal.arrived'), tone: 'ok' };
    case 'called':
      return { text: t('portal.called'), tone: 'warn' };
    case 'served':
      return { text: t('portal.served'), tone: 'ok' };
    case 'cancelled':
      return { text: t('portal.cancelled'), tone: 'err' };
    case 'no_show':
      return { text: t('portal.didNotCome'), tone: 'err' };
    case 'refused_mismatch':
      return { text: t('portal.refusedDataMismatch'), tone: 'err' };
    case 'lost':
    case 'rejected':
      return { text: t('portal.notDrawn'), tone: 'err' };
    default:
      return { text: status, tone: '' };
  }
}

const upcomingStatus = (status: string) => ['booked', 'arrived', 'pending', 'called'].includes(status);

async function loadBookings(): Promise<MyBooking[]> {
  const res = await fetch('/api/v1/me/bookings', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, p.code, p.detail);
  }
  return (await res.json()) as MyBooking[];
}

function Limits({ me }: { me: Me }) {
  const row = (label: string, used: number, limit: number) => (
    <div className="limit">
      <div className="row limit-head">
        <span>{label}</span>
        <strong>
          {used} {t('portal.of')} {limit}
        </strong>
      </div>
      <div className="meter" aria-hidden="true">
        <span style={{ width: `${Math.min(100, (used / Math.max(limit, 1)) * 100)}%` }} />
      </div>
    </div>
  );
  return (
    <section className="card" aria-labelledby="limits-title">
      <h2 id="limits-title">{t('portal.myLimitsMonth')}</h2>
      {row(t('portal.onlineRegistrations'), me.limits.online.used, me.limits.online.limit)}
      {row(t('portal.terminalRegistrations'), me.limits.terminal.used, me.limits.terminal.limit)}
      <p className="muted small">{t('portal.registrationCountsMonthVisit')}</p>
    </section>
  );
}

/** The QR code the desk scans (same content as on the confirmation): drawn on the device, works offline. */
function Qr({ b }: { b: MyBooking }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    // The signed arrival code (rule 13): the kiosk's camera checks in with it. Without one (not an
    // online booking of a center that checks in) there is nothing a kiosk would accept: no QR.
    if (!b.checkInCode) {
      setSrc(null);
      return;
    }
    QRCode.toString(b.checkInCode, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    }).then(
      (svg) => setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => setSrc(null),
    );
  }, [b.checkInCode]);
  return src ? (
    <img className="qr" src={src} width={160} height={160} alt={t('portal.qrCodeRegistrationDesk')} />
  ) : null;
}

/** Rule 3: moving reuses the booking wizard from the center step, for the same service (and category). */
function moveUrl(b: MyBooking): string {
  const q = new URLSearchParams({ service: b.serviceId, move: b.id });
  if (b.examCategory) q.set('category', b.examCategory);
  return `/book/center?${q.toString()}`;
}

function BookingCard({
  b,
  service,
  center,
  offline,
  onCancelled,
  navigate,
}: {
  b: MyBooking;
  service?: Service;
  center?: Center;
  offline: boolean;
  onCancelled: (b: MyBooking) => void;
  navigate: Navigate;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const status = statusLabel(b.status);
  // The server's clock decides; until it answered (or offline) cancelling is not offered.
  const time = useServerTime();
  const now = time?.now.getTime();
  const policy = time?.policy;
  const canCancelByTime =
    b.cancelUntil && now !== undefined ? new Date(b.cancelUntil).getTime() > now : false;
  const active = b.status === 'booked' && b.channel === 'online';

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/bookings/${encodeURIComponent(b.id)}/cancel`);
      setConfirming(false);
      onCancelled(b);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card booking">
      <div className="booking-head">
        <div>
          <span className="muted">{t('portal.ticket')}</span>
          <span className="booking-number">{b.number ?? '—'}</span>
        </div>
        <span className={`badge ${status.tone}`}>{status.text}</span>
      </div>
      <h3>{service ? nameOf(service) : b.serviceName}</h3>
      <p className="booking-when">
        {formatWeekdayLong(b.startsAt)}, <strong>{formatTime(b.startsAt)}</strong>
      </p>
      <p>
        {center ? nameOf(center) : b.centerName}
        <br />
        <span className="muted">{center ? addressOf(center) : b.centerAddress}</span>
      </p>
      {b.legalEntity ? (
        <p className="small" data-testid="booking-entity">
          {t('portal.forCompany')}: <strong>{b.legalEntityName ?? b.legalEntity}</strong> ({b.legalEntity})
        </p>
      ) : null}
      {b.examCategory ? (
        <p className="small">{t('portal.categoryShort', { category: b.examCategory })}</p>
      ) : null}
      {b.moves ? <p className="muted small">{t('portal.movedTimes', { count: b.moves })}</p> : null}
      <LivePosition b={b} />
      {upcomingStatus(b.status) ? (
        <details className="booking-more" open={offline}>
          <summary>{t('portal.qrAndDocuments')}</summary>
          <div className="booking-qr">
            {b.status === 'booked' ? <Qr b={b} /> : null}
            {service && documentsOf(service).length ? (
              <div>
                <h4>{t('portal.whatBring')}</h4>
                <ul>
                  {documentsOf(service).map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </details>
      ) : null}
      {b.status === 'pending' && b.decidesAt ? (
        <p>
          {t('portal.drawDecided')} {formatDateTime(b.decidesAt)}.
        </p>
      ) : null}
      {active ? (
        canCancelByTime ? (
          <p className="muted small">
            {t('portal.youCanCancelUntil')} {formatDateTime(b.cancelUntil as string)}.
          </p>
        ) : (
          <p className="muted small">
            {policy ? t('portal.tooLateCancelLess', { hours: policy.cancelBeforeMinutes / 60 }) : null}
          </p>
        )
      ) : null}
      <div className="row">
        {active && canCancelByTime && !confirming ? (
          <button
            type="button"
            className="button secondary"
            disabled={offline}
            aria-describedby={offline ? 'offline-note' : undefined}
            onClick={() => setConfirming(true)}
          >
            {t('portal.cancelRegistration')}
          </button>
        ) : null}
        {active && canCancelByTime && !confirming && !offline && (b.movesLeft ?? 0) > 0 ? (
          <a
            className="button secondary"
            href={moveUrl(b)}
            onClick={link(navigate, moveUrl(b))}
            title={t('portal.movesLeft', { count: b.movesLeft ?? 0 })}
          >
            {t('portal.moveRegistration')}
          </a>
        ) : null}
        {b.status === 'served' && !offline ? (
          <a
            className="button secondary"
            href={`/my/feedback/${encodeURIComponent(b.id)}`}
            onClick={link(navigate, `/my/feedback/${encodeURIComponent(b.id)}`)}
          >
            {t('portal.rateVisit')}
          </a>
        ) : null}
      </div>
      {confirming && !offline ? (
        <div className="notice notice-warn" role="alertdialog" aria-labelledby={`cancel-${b.id}`}>
          <p className="notice-title" id={`cancel-${b.id}`}>
            {t('portal.cancelRegistration2')}
          </p>
          <p>{t('portal.placeGoesBackOthers')}</p>
          <div className="row">
            <button type="button" className="button danger" disabled={busy} onClick={cancel}>
              {t('portal.yesCancel')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('portal.keep')}
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </li>
  );
}

export function MyRegistrations({
  me,
  navigate,
  offline,
  onChanged,
}: {
  me: Me;
  navigate: Navigate;
  offline: boolean;
  onChanged: () => void;
}) {
  const list = useLoad(loadBookings);
  // Names in the reader's language and the documents to bring: the catalogue (kept offline too).
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  const centers = useLoad(() => api.get<Center[]>('/api/v1/centers'));
  const serviceOf = (id: string) => services.data?.find((x) => x.id === id);
  const centerOf = (id: string) => centers.data?.find((x) => x.id === id);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  // Without the server's clock (offline) every active registration counts as upcoming.
  const time = useServerTime();
  const now = time?.now.getTime();
  const policy = time?.policy;
  const all = list.data ?? [];
  const upcoming = all
    .filter(
      (b) =>
        upcomingStatus(b.status) &&
        (now === undefined || new Date(b.startsAt).getTime() > now - 3 * 3600_000),
    )
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = all.filter((b) => !upcoming.includes(b)).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  const onCancelled = (b: MyBooking) => {
    setCancelled(
      t('portal.cancelledStatus', {
        number: b.number ?? '—',
        when: `${formatWeekdayLong(b.startsAt)}, ${formatTime(b.startsAt)}`,
      }),
    );
    list.reload();
    onChanged();
    // The card moves to the history: focus goes to the message that says what happened.
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  const card = (b: MyBooking) => (
    <BookingCard
      key={b.id}
      b={b}
      service={serviceOf(b.serviceId)}
      center={centerOf(b.centerId)}
      offline={offline}
      onCancelled={onCancelled}
      navigate={navigate}
    />
  );

  return (
    <>
      <div className="row page-head">
        <h1>{t('portal.myRegistrations2')}</h1>
        {!offline && !me.blockedUntil ? (
          <a className="button big" href="/book" onClick={link(navigate, '/book')}>
            {t('portal.newRegistration')}
          </a>
        ) : null}
      </div>
      {me.blockedUntil ? (
        <div className="notice notice-error" role="status">
          <p className="notice-title">
            {t('portal.newRegistrationsBlockedUntil')} {formatDate(me.blockedUntil)}
          </p>
          {policy ? <p>{t('portal.blockReason', { count: policy.noShowBlockThreshold })}</p> : null}
          <BlockLift me={me} />
        </div>
      ) : null}
      <p
        className={cancelled ? 'notice notice-ok' : 'sr-only'}
        role="status"
        tabIndex={-1}
        ref={statusRef}
        data-testid="cancel-status"
      >
        {cancelled}
      </p>
      {offline ? (
        <p className="notice notice-info" id="offline-note">
          {t('portal.offlineActionsDisabled')}
        </p>
      ) : null}
      {!offline ? <MyOffers onBooked={list.reload} /> : null}
      <div className="two-col">
        <section aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">{t('portal.upcomingVisits')}</h2>
          {policy ? (
            <p className="notice notice-info">
              {t('portal.onlineRegistrationCanCancelled', { hours: policy.cancelBeforeMinutes / 60 })}
            </p>
          ) : null}
          {list.loading && !list.data ? <Loading /> : null}
          <ErrorNote error={list.error} onRetry={list.reload} />
          {list.data && upcoming.length === 0 ? <p className="muted">{t('portal.upcomingVisits2')}</p> : null}
          <ul className="bookings" aria-label={t('portal.upcomingVisits')}>
            {upcoming.map(card)}
          </ul>
          {!offline ? <MyWaits /> : null}
          {past.length ? (
            <>
              <h2>{t('portal.history')}</h2>
              <ul className="bookings" aria-label={t('portal.history')}>
                {past.map(card)}
              </ul>
            </>
          ) : null}
        </section>
        <aside>
          <Limits me={me} />
          <section className="card">
            <h2>{t('portal.myDetails')}</h2>
            <p>
              {me.lastName} {me.firstName} {me.middleName ?? ''}
              <br />
              {me.rnokpp
                ? `${t('portal.taxNumber')} ${me.rnokpp}`
                : me.passport
                  ? `${t('portal.passport')} ${me.passport}`
                  : null}
              <br />
              {me.email}
            </p>
          </section>
        </aside>
      </div>
    </>
  );
}

/** Rule 11: rating a served visit from "my registrations". */
export function FeedbackOwn({ id, navigate }: { id: string; navigate: Navigate }) {
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const labels = [
    t('portal.veryPoor'),
    t('portal.poor'),
    t('portal.fair'),
    t('portal.good'),
    t('portal.excellent'),
  ];

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!rating)
      return setError(
        new ApiError(400, 'VALIDATION', undefined, [
          { field: 'rating', message: t('portal.chooseRatingFrom1') },
        ]),
      );
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/me/bookings/${encodeURIComponent(id)}/feedback`, {
        rating,
        comment: comment || null,
      });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="narrow">
        <h1>{t('portal.thankYouFeedback')}</h1>
        <p>{t('portal.feedbackHelpsCenterImprove')}</p>
        <a className="button" href="/my" onClick={link(navigate, '/my')}>
          {t('portal.backMyRegistrations')}
        </a>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t('portal.rateVisit2')}</h1>
      <form onSubmit={submit} className="card">
        <fieldset className="rating">
          <legend>{t('portal.howWereYouServed')}</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`rating-option ${rating === n ? 'selected' : ''}`}>
              <input
                type="radio"
                name="rating"
                value={n}
                checked={rating === n}
                onChange={() => {
                  setRating(n);
                  setError(null);
                }}
              />
              <span className="rating-num">{n}</span>
              <span className="rating-label">{labels[n - 1]}</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor="comment">{t('portal.commentOptional')}</label>
        <textarea
          id="comment"
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ErrorNote error={error} />
        <div className="row">
          <button type="submit" className="button" disabled={busy}>
            {t('portal.sendRating')}
          </button>
          <a href="/my" onClick={link(navigate, '/my')}>
            {t('portal.cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}
