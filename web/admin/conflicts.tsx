import { useState } from 'react';
import type { conflictResolved, conflictView } from '../../src/capacity/capacity-api-schema.js';
import type { conflictOffersView, freeTimeView } from '../../src/capacity/conflict-offer-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { dayAsDate, formatDateTime, formatDayShort, formatTime } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { RowForm } from './form.js';
import { OkNote } from './save.js';

/**
 * SPEC rule 8: the registrations regeneration could not keep, with whom to contact, and what the
 * head can do: offer other free times (the person chooses by a link in the e-mail), cancel with
 * notice (the reason goes into the e-mail), or mark resolved by hand. Each offer shows its state.
 */
type Conflict = Answer<typeof conflictView>;
type Offers = Answer<typeof conflictOffersView>;
type FreeTime = Answer<typeof freeTimeView>;

const enc = encodeURIComponent;
const MAX_TIMES = 5;
const RESOLVED_SHOWN = 20;

export function ConflictsSection({ centerId, version }: { centerId: string; version: number }) {
  const base = `/api/v1/admin/centers/${enc(centerId)}/capacity`;
  const conflicts = useLoad(() => api.get<Conflict[]>(`${base}/conflicts?all=true`), [centerId, version]);
  const offers = useLoad(() => api.get<Offers>(`${base}/conflict-offers`), [centerId, version]);
  const reload = () => {
    conflicts.reload();
    offers.reload();
  };
  const open = conflicts.data?.filter((c) => !c.resolvedAt) ?? [];
  const resolved = (conflicts.data?.filter((c) => c.resolvedAt) ?? [])
    .sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''))
    .slice(0, RESOLVED_SHOWN);
  const outcome = (id: number) => offers.data?.outcomes.find((o) => o.id === id)?.outcome ?? 'resolved';

  return (
    <section className="card" aria-labelledby="conflicts-h">
      <h2 id="conflicts-h">{t('admin.conflicts')}</h2>
      <ErrorNote error={conflicts.error} onRetry={conflicts.reload} />
      {conflicts.loading && !conflicts.data ? <Loading /> : null}
      {conflicts.data && open.length === 0 ? <p>{t('admin.conflicts2')}</p> : null}
      <ul className="plain">
        {open.map((c) => (
          <ConflictItem
            key={c.id}
            base={base}
            conflict={c}
            offers={offers.data?.offers.filter((o) => o.conflictId === c.id) ?? []}
            onChange={reload}
          />
        ))}
      </ul>
      {resolved.length ? (
        <>
          <h3>{t('admin.conflictsResolved')}</h3>
          <ul className="plain" data-testid="conflicts-resolved">
            {resolved.map((c) => (
              <li key={c.id} className="conflict-resolved" data-testid="conflict-resolved">
                <strong>{c.person.name}</strong> · {c.serviceName} · {formatDayShort(dayAsDate(c.day))} ·{' '}
                <span className="badge ok">
                  {t(`admin.conflictOutcome_${outcome(c.id)}`, { defaultValue: outcome(c.id) })}
                </span>{' '}
                {c.resolution ? <span className="muted">{c.resolution}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function ConflictItem({
  base,
  conflict: c,
  offers,
  onChange,
}: {
  base: string;
  conflict: Conflict;
  offers: Offers['offers'];
  onChange: () => void;
}) {
  const [panel, setPanel] = useState<'offer' | 'cancel' | null>(null);
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const latest = offers.length ? offers.filter((o) => o.createdAt === offers[0]?.createdAt) : [];
  const canOffer = c.channel === 'online' && c.status === 'booked';

  return (
    <li className="card conflict">
      <p>
        <strong>
          {t('admin.registration')} {c.number ?? '—'}
        </strong>{' '}
        · {formatDateTime(c.startsAt)} · {c.channel === 'online' ? t('admin.online') : t('admin.terminal2')} ·{' '}
        {t(`admin.conflictReason_${c.reason}`, { defaultValue: c.reason })}
      </p>
      <p data-testid="conflict-person">
        {c.person.name} · {c.serviceName} ·{' '}
        {c.person.email ? <a href={`mailto:${c.person.email}`}>{c.person.email}</a> : '—'} ·{' '}
        {c.person.phone ? <a href={`tel:${c.person.phone}`}>{c.person.phone}</a> : '—'}
      </p>
      {latest.length ? (
        <div data-testid="offer-state">
          <p className="offer-title">{t('admin.conflictOffers')}</p>
          <ul className="offer-list">
            {latest.map((o) => (
              <li key={o.id}>
                {formatDateTime(o.startsAt)} —{' '}
                <span className={`badge ${o.state === 'accepted' ? 'ok' : o.state === 'sent' ? '' : 'warn'}`}>
                  {t(`admin.offerState_${o.state}`)}
                </span>
                {o.state === 'sent' ? (
                  <span className="muted">
                    {' '}
                    ({t('admin.offerValidUntil')} {formatDateTime(o.expiresAt)})
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <OkNote message={msg} />
      <ErrorNote error={error} />
      <div className="row">
        {canOffer ? (
          <button
            type="button"
            className="button"
            aria-expanded={panel === 'offer'}
            onClick={() => setPanel(panel === 'offer' ? null : 'offer')}
          >
            {t('admin.conflictOffer')}
          </button>
        ) : null}
        <button
          type="button"
          className="button secondary"
          aria-expanded={panel === 'cancel'}
          onClick={() => setPanel(panel === 'cancel' ? null : 'cancel')}
        >
          {t('admin.conflictCancel')}
        </button>
      </div>
      {panel === 'offer' ? (
        <OfferPanel
          base={base}
          conflict={c}
          onSent={(n) => {
            setPanel(null);
            setError(null);
            setMsg(`${t('admin.conflictOfferSent')} (${n})`);
            onChange();
          }}
        />
      ) : null}
      {panel === 'cancel' ? (
        <CancelPanel
          base={base}
          conflict={c}
          onDone={() => {
            setPanel(null);
            onChange();
          }}
        />
      ) : null}
      <RowForm
        onSubmit={() => {
          api
            .post<Answer<typeof conflictResolved>>(`${base}/conflicts/${c.id}/resolve`, { resolution })
            .then(onChange, setError);
        }}
      >
        <label className="sr-only" htmlFor={`res-${c.id}`}>
          {t('admin.resolution')}
        </label>
        <input
          id={`res-${c.id}`}
          placeholder={t('admin.resolutionEGShift')}
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
          minLength={3}
          required
        />
        <button type="submit" className="button secondary">
          {t('admin.markResolved')}
        </button>
      </RowForm>
    </li>
  );
}

function OfferPanel({
  base,
  conflict: c,
  onSent,
}: {
  base: string;
  conflict: Conflict;
  onSent: (n: number) => void;
}) {
  const times = useLoad(() => api.get<FreeTime[]>(`${base}/conflicts/${c.id}/free-times`), [base, c.id]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const byDay = new Map<string, FreeTime[]>();
  for (const s of times.data ?? []) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s]);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`${base}/conflicts/${c.id}/offers`, { slotIds: chosen });
      onSent(chosen.length);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="conflict-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <p className="muted small">{t('admin.conflictOfferHint', { n: MAX_TIMES })}</p>
      {c.person.email ? null : <p className="notice notice-warn">{t('admin.conflictNoEmail')}</p>}
      <ErrorNote error={times.error} onRetry={times.reload} />
      {times.loading && !times.data ? <Loading /> : null}
      {times.data && times.data.length === 0 ? <p>{t('admin.conflictNoFreeTimes')}</p> : null}
      <div className="free-days">
        {[...byDay.entries()].map(([day, list]) => (
          <fieldset key={day} className="inline-checks free-day">
            <legend>{formatDayShort(new Date(list[0]?.startsAt ?? day))}</legend>
            {list.map((s) => {
              const on = chosen.includes(s.slotId);
              return (
                <label key={s.slotId}>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && chosen.length >= MAX_TIMES}
                    onChange={(e) =>
                      setChosen((list) =>
                        e.target.checked ? [...list, s.slotId] : list.filter((x) => x !== s.slotId),
                      )
                    }
                  />{' '}
                  {formatTime(new Date(s.startsAt))}
                  <span className="sr-only">
                    {' '}
                    {formatDateTime(s.startsAt)}, {t('admin.conflictFreePlaces')} {s.free}
                  </span>
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>
      <ErrorNote error={error} />
      <p className="row">
        <button type="submit" className="button" disabled={busy || chosen.length === 0}>
          {t('admin.conflictSendOffer')}
        </button>
        <span className="muted" aria-live="polite">
          {t('admin.conflictChosen')}: {chosen.length} / {MAX_TIMES}
        </span>
      </p>
    </form>
  );
}

function CancelPanel({
  base,
  conflict: c,
  onDone,
}: {
  base: string;
  conflict: Conflict;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="conflict-panel"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        api
          .post(`${base}/conflicts/${c.id}/cancel`, { reason })
          .then(onDone, setError)
          .finally(() => setBusy(false));
      }}
    >
      <label htmlFor={`cancel-${c.id}`}>{t('admin.conflictCancelReason')}</label>
      <textarea
        id={`cancel-${c.id}`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        minLength={3}
        maxLength={500}
        required
      />
      <p className="muted small">{t('admin.conflictCancelHint')}</p>
      <ErrorNote error={error} />
      <button type="submit" className="button danger" disabled={busy || reason.trim().length < 3}>
        {t('admin.conflictCancelSubmit')}
      </button>
    </form>
  );
}
