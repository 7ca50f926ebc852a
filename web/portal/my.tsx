import { useState } from 'react';
import { ApiError, api, type Me, type MyBooking } from '../shared/api.js';
import { L } from '../shared/i18n.js';
import { formatDate, formatDateTime, formatTime, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { link, type Navigate } from './nav.js';

export function statusLabel(status: string): { text: string; tone: string } {
  switch (status) {
    case 'booked':
      return { text: L('Заплановано', 'Booked'), tone: '' };
    case 'pending':
      return { text: L('Розігрується (жеребкування)', 'In the draw'), tone: 'warn' };
    case 'called':
      return { text: L('Викликано', 'Called'), tone: 'warn' };
    case 'served':
      return { text: L('Обслуговано', 'Served'), tone: 'ok' };
    case 'cancelled':
      return { text: L('Скасовано', 'Cancelled'), tone: 'err' };
    case 'no_show':
      return { text: L('Неявка', 'Did not come'), tone: 'err' };
    case 'refused_mismatch':
      return { text: L('Відмовлено: дані не збіглися', 'Refused: data mismatch'), tone: 'err' };
    case 'lost':
    case 'rejected':
      return { text: L('Не випало в жеребкуванні', 'Not drawn'), tone: 'err' };
    default:
      return { text: status, tone: '' };
  }
}

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
          {used} {L('з', 'of')} {limit}
        </strong>
      </div>
      <div className="meter" aria-hidden="true">
        <span style={{ width: `${Math.min(100, (used / Math.max(limit, 1)) * 100)}%` }} />
      </div>
    </div>
  );
  return (
    <section className="card" aria-labelledby="limits-title">
      <h2 id="limits-title">{L('Мої ліміти цього місяця', 'My limits this month')}</h2>
      {row(L('Онлайн-записи', 'Online registrations'), me.limits.online.used, me.limits.online.limit)}
      {row(
        L('Записи через термінал', 'Terminal registrations'),
        me.limits.terminal.used,
        me.limits.terminal.limit,
      )}
      <p className="muted small">
        {L(
          'Запис рахується в місяці дати візиту. Скасовані записи теж враховуються.',
          'A registration counts in the month of the visit. Cancelled ones count too.',
        )}
      </p>
    </section>
  );
}

function BookingCard({
  b,
  onChanged,
  navigate,
}: {
  b: MyBooking;
  onChanged: () => void;
  navigate: Navigate;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const status = statusLabel(b.status);
  const now = Date.now();
  const canCancelByTime = b.cancelUntil ? new Date(b.cancelUntil).getTime() > now : false;
  const active = b.status === 'booked' && b.channel === 'online';

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/bookings/${encodeURIComponent(b.id)}/cancel`);
      setConfirming(false);
      onChanged();
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
          <span className="muted">{L('Номер талона', 'Ticket')}</span>
          <span className="booking-number">{b.number ?? '—'}</span>
        </div>
        <span className={`badge ${status.tone}`}>{status.text}</span>
      </div>
      <h3>{b.serviceName}</h3>
      <p className="booking-when">
        {formatWeekdayLong(b.startsAt)}, <strong>{formatTime(b.startsAt)}</strong>
      </p>
      <p>
        {b.centerName}
        <br />
        <span className="muted">{b.centerAddress}</span>
      </p>
      {b.status === 'pending' && b.decidesAt ? (
        <p>
          {L('Результат жеребкування буде о', 'The draw is decided at')} {formatDateTime(b.decidesAt)}.
        </p>
      ) : null}
      {active ? (
        canCancelByTime ? (
          <p className="muted small">
            {L('Скасувати можна до', 'You can cancel until')} {formatDateTime(b.cancelUntil as string)}.
          </p>
        ) : (
          <p className="muted small">
            {L(
              'Скасувати вже не можна: до візиту менше 2 годин.',
              'It is too late to cancel: less than 2 hours are left.',
            )}
          </p>
        )
      ) : null}
      <div className="row">
        {active && canCancelByTime && !confirming ? (
          <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
            {L('Скасувати запис', 'Cancel registration')}
          </button>
        ) : null}
        {b.status === 'served' ? (
          <a
            className="button secondary"
            href={`/my/feedback/${encodeURIComponent(b.id)}`}
            onClick={link(navigate, `/my/feedback/${encodeURIComponent(b.id)}`)}
          >
            {L('Оцінити візит', 'Rate the visit')}
          </a>
        ) : null}
      </div>
      {confirming ? (
        <div className="notice notice-warn" role="alertdialog" aria-labelledby={`cancel-${b.id}`}>
          <p className="notice-title" id={`cancel-${b.id}`}>
            {L('Скасувати цей запис?', 'Cancel this registration?')}
          </p>
          <p>
            {L(
              'Місце повернеться іншим людям. Скасований запис усе одно враховується в місячному ліміті.',
              'The place goes back to others. A cancelled registration still counts toward the monthly limit.',
            )}
          </p>
          <div className="row">
            <button type="button" className="button danger" disabled={busy} onClick={cancel}>
              {L('Так, скасувати', 'Yes, cancel')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {L('Ні, залишити', 'No, keep it')}
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
  const now = Date.now();
  const all = list.data ?? [];
  const upcoming = all
    .filter(
      (b) =>
        ['booked', 'pending', 'called'].includes(b.status) &&
        new Date(b.startsAt).getTime() > now - 3 * 3600_000,
    )
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = all.filter((b) => !upcoming.includes(b)).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  const changed = () => {
    list.reload();
    onChanged();
  };

  return (
    <>
      <div className="row page-head">
        <h1>{L('Мої записи', 'My registrations')}</h1>
        {!offline && !me.blockedUntil ? (
          <a className="button big" href="/book" onClick={link(navigate, '/book')}>
            {L('Новий запис', 'New registration')}
          </a>
        ) : null}
      </div>
      {me.blockedUntil ? (
        <div className="notice notice-error" role="status">
          <p className="notice-title">
            {L('Нові записи заблоковано до', 'New registrations are blocked until')}{' '}
            {formatDate(me.blockedUntil)}
          </p>
          <p>
            {L(
              'Причина: чотири неявки на онлайн-записи за місяць без скасування. Зняти блокування достроково може лише керівник сервісного центру під час особистого візиту.',
              'Reason: four missed online visits in a month without cancelling. Only the head of the service center can lift it early, in person.',
            )}
          </p>
        </div>
      ) : null}
      <div className="two-col">
        <section aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">{L('Найближчі візити', 'Upcoming visits')}</h2>
          <p className="notice notice-info">
            {L(
              'Скасувати онлайн-запис можна не пізніше ніж за 2 години до призначеного часу.',
              'An online registration can be cancelled no later than 2 hours before its time.',
            )}
          </p>
          {list.loading && !list.data ? <Loading /> : null}
          <ErrorNote error={list.error} onRetry={list.reload} />
          {list.data && upcoming.length === 0 ? (
            <p className="muted">{L('Запланованих візитів немає.', 'No upcoming visits.')}</p>
          ) : null}
          <ul className="bookings" aria-label={L('Найближчі візити', 'Upcoming visits')}>
            {upcoming.map((b) => (
              <BookingCard key={b.id} b={b} onChanged={changed} navigate={navigate} />
            ))}
          </ul>
          {past.length ? (
            <>
              <h2>{L('Історія', 'History')}</h2>
              <ul className="bookings" aria-label={L('Історія', 'History')}>
                {past.map((b) => (
                  <BookingCard key={b.id} b={b} onChanged={changed} navigate={navigate} />
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <aside>
          <Limits me={me} />
          <section className="card">
            <h2>{L('Мої дані', 'My details')}</h2>
            <p>
              {me.lastName} {me.firstName} {me.middleName ?? ''}
              <br />
              {me.rnokpp
                ? `${L('РНОКПП', 'Tax number')} ${me.rnokpp}`
                : me.passport
                  ? `${L('Паспорт', 'Passport')} ${me.passport}`
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
    L('Дуже погано', 'Very poor'),
    L('Погано', 'Poor'),
    L('Задовільно', 'Fair'),
    L('Добре', 'Good'),
    L('Відмінно', 'Excellent'),
  ];

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!rating)
      return setError(
        new ApiError(400, 'VALIDATION', undefined, [
          { field: 'rating', message: L('Оберіть оцінку від 1 до 5.', 'Choose a rating from 1 to 5.') },
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
        <h1>{L('Дякуємо за оцінку!', 'Thank you for your feedback!')}</h1>
        <p>
          {L(
            'Ваш відгук допоможе покращити роботу сервісного центру.',
            'Your feedback helps the center improve.',
          )}
        </p>
        <a className="button" href="/my" onClick={link(navigate, '/my')}>
          {L('До моїх записів', 'Back to my registrations')}
        </a>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{L('Оцініть візит', 'Rate your visit')}</h1>
      <form onSubmit={submit} className="card">
        <fieldset className="rating">
          <legend>{L('Як вас обслужили?', 'How were you served?')}</legend>
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
        <label htmlFor="comment">{L('Коментар (необов’язково)', 'Comment (optional)')}</label>
        <textarea
          id="comment"
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <ErrorNote error={error} />
        <div className="row">
          <button type="submit" className="button" disabled={busy}>
            {L('Надіслати оцінку', 'Send rating')}
          </button>
          <a href="/my" onClick={link(navigate, '/my')}>
            {L('Скасувати', 'Cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}
