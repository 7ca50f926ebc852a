import { useState } from 'react';
import type { identityReveal } from '../../src/identity/identity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote } from '../shared/ui.js';
import type { DeskState, DeskTicket, QueueItem } from './use-desk.js';

export function priorityLabel(p: string | null): string {
  switch (p) {
    case 'disability':
      return t('operator.personDisability');
    case 'disability_companion':
      return t('operator.companionGroupIDisability');
    case 'fallen_defender_family':
      return t('operator.familyFallenDefender');
    case 'military':
      return t('operator.servingMilitary');
    default:
      return '';
  }
}

/** A key shown on its button: the action's keyboard shortcut. */
export function Key({ k }: { k: string }) {
  return (
    <span className="op-key" aria-hidden="true">
      {k}
    </span>
  );
}

export function PersonPanel({ ticket }: { ticket: DeskTicket }) {
  const [full, setFull] = useState<string | null>(null);
  const [fullDocument, setFullDocument] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reveal = async () => {
    try {
      const r = await api.post<Answer<typeof identityReveal>>(
        `/api/v1/registrations/${ticket.id}/reveal-identity`,
      );
      setFull(r.value);
      setFullDocument(r.priorityDocument?.number ?? null);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card person" aria-labelledby="person-title">
      <h2 id="person-title">{t('operator.dataCompareDocument')}</h2>
      <dl className="kv">
        <dt>{t('operator.surname')}</dt>
        <dd className="big-text">{ticket.person.lastName}</dd>
        <dt>{t('operator.givenName')}</dt>
        <dd className="big-text">{ticket.person.firstName}</dd>
        {ticket.person.middleName ? (
          <>
            <dt>{t('operator.patronymic')}</dt>
            <dd className="big-text">{ticket.person.middleName}</dd>
          </>
        ) : null}
        <dt>{ticket.person.idKind === 'rnokpp' ? t('operator.taxNumber') : t('operator.passport')}</dt>
        <dd>
          <span className="mono">{full ?? ticket.person.idMasked}</span>{' '}
          {full ? null : (
            <button type="button" className="link-button" onClick={reveal}>
              {t('operator.showFullLogged')}
            </button>
          )}
        </dd>
        {ticket.person.phone ? (
          <>
            <dt>{t('operator.phone')}</dt>
            <dd>{ticket.person.phone}</dd>
          </>
        ) : null}
        {ticket.legalEntity ? (
          <>
            <dt>{t('operator.legalEntity')}</dt>
            <dd>
              {ticket.legalEntity.name} ({t('operator.edrpou')} {ticket.legalEntity.edrpou})
            </dd>
          </>
        ) : null}
        {ticket.priority ? (
          <>
            <dt>{t('operator.priorityCategory')}</dt>
            <dd>
              <strong>{priorityLabel(ticket.priority)}</strong>
              {ticket.priorityDocument ? (
                <>
                  <br />
                  {ticket.priorityDocument.type}:{' '}
                  <span className="mono">{fullDocument ?? ticket.priorityDocument.number}</span>
                  <br />
                  <span className="muted">{t('operator.checkOriginalDocument')}</span>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      <ErrorNote error={error} />
    </section>
  );
}

export function QueuePanel({ state, queue }: { state: DeskState; queue: QueueItem[] | null }) {
  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('operator.queueNow')}</h2>
      <dl className="op-counts">
        <div>
          <dt>{t('operator.dueNow')}</dt>
          <dd data-testid="due-count">{state.queue.due}</dd>
        </div>
        <div>
          <dt>{t('operator.waitingToday')}</dt>
          <dd>{state.queue.waiting}</dd>
        </div>
        <div>
          <dt>{t('operator.parked2')}</dt>
          <dd>{state.queue.parked}</dd>
        </div>
      </dl>
      {queue?.length ? (
        <>
          <h3>{t('operator.nextDesk')}</h3>
          <ol className="plain op-next">
            {queue.slice(0, 8).map((w) => (
              <li key={w.id}>
                <strong>{w.number}</strong> {formatTime(w.callAt)}{' '}
                <span className="muted">
                  {w.serviceName}
                  {w.priority ? ` · ${priorityLabel(w.priority)}` : ''}
                  {w.parked ? ` · ${t('operator.parked')}` : w.due ? '' : ` · ${t('operator.notYetDue')}`}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

export function ParkedPanel({
  state,
  busy,
  onReturn,
}: {
  state: DeskState;
  busy: boolean;
  onReturn: (id: string) => void;
}) {
  if (!state.parked.length) return null;
  return (
    <section className="card" aria-labelledby="parked-title">
      <h2 id="parked-title">{t('operator.parkedAtDesk')}</h2>
      <ul className="plain">
        {state.parked.map((p) => (
          <li key={p.id} className="row op-parked" data-testid="parked-item">
            <span>
              <strong>{p.number}</strong> {p.serviceName}
              <br />
              <span className="muted small">{t('operator.parkedAt', { time: formatTime(p.parkedAt) })}</span>
            </span>
            <button type="button" className="button secondary" disabled={busy} onClick={() => onReturn(p.id)}>
              {t('operator.backQueue')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
