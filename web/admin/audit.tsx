import { useState } from 'react';
import type { auditEntryView } from '../../src/audit/audit-api-schema.js';
import { type Answer, ApiError, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatDateTime } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';

type AuditRow = Answer<typeof auditEntryView>;

export function AuditSection({ centerId, national }: { centerId: string; national: boolean }) {
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const log = useLoad(async () => {
    const q = new URLSearchParams({ limit: '50' });
    if (filter) q.set('action', filter);
    if (national || centerId) q.set('centerId', centerId);
    if (cursor) q.set('cursor', cursor);
    const r = await api.get<AuditRow[] | { items: AuditRow[]; nextCursor?: string | null }>(
      `/api/v1/admin/audit?${q}`,
    );
    return Array.isArray(r)
      ? { items: r, nextCursor: null }
      : { items: r.items ?? [], nextCursor: r.nextCursor ?? null };
  }, [centerId, filter, cursor]);
  return (
    <section className="card">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor(null);
          setFilter(action.trim());
        }}
      >
        <div>
          <label htmlFor="a-action">{t('admin.actionEGRegistration')}</label>
          <input id="a-action" value={action} onChange={(e) => setAction(e.target.value)} />
        </div>
        <button type="submit" className="button secondary">
          {t('admin.filter')}
        </button>
      </form>
      {log.loading && !log.data ? <Loading /> : null}
      <ErrorNote error={log.error} onRetry={log.reload} />
      {log.data ? (
        <table className="audit">
          <caption className="sr-only">{t('admin.auditLog')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.time')}</th>
              <th scope="col">{t('admin.who')}</th>
              <th scope="col">{t('admin.action')}</th>
              <th scope="col">{t('admin.subject')}</th>
              <th scope="col">{t('admin.details')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.at)}</td>
                <td>{r.actorKind}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>{r.subjectId ?? ''}</td>
                <td className="details">{r.details ? JSON.stringify(r.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.data?.nextCursor ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => setCursor(log.data?.nextCursor ?? null)}
        >
          {t('admin.olderEntries')}
        </button>
      ) : null}
    </section>
  );
}

/** Rule 4: a block is lifted only in person, by the head of the center, with a written reason. */
export function BlockSection({ centerId }: { centerId: string }) {
  const [idKind, setIdKind] = useState<'rnokpp' | 'passport'>('rnokpp');
  const [idValue, setIdValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api.post('/api/v1/admin/blocks/lift', {
        idKind,
        idValue: idValue.replace(/\s+/g, '').toUpperCase(),
        reason,
        centerId,
      });
      setDone(true);
      setIdValue('');
      setReason('');
    } catch (err) {
      // The route answers NOT_FOUND with its own detail when no block exists; a bare 404 means no route.
      if (err instanceof ApiError && err.status === 404 && !err.code) setMissing(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow-admin">
      <p>{t('admin.showBlockLiftedOnly')}</p>
      <form onSubmit={submit}>
        <fieldset className="inline-checks">
          <legend>{t('admin.personsDocument')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={idKind === 'rnokpp'}
              onChange={() => setIdKind('rnokpp')}
            />{' '}
            {t('admin.taxNumber')}
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={idKind === 'passport'}
              onChange={() => setIdKind('passport')}
            />{' '}
            {t('admin.passport')}
          </label>
        </fieldset>
        <label htmlFor="b-id">{t('admin.documentNumber')}</label>
        <input
          id="b-id"
          value={idValue}
          onChange={(e) => setIdValue(e.target.value)}
          required
          autoComplete="off"
        />
        <label htmlFor="b-reason">{t('admin.reasonGoesAuditLog')}</label>
        <textarea
          id="b-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={10}
        />
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t('admin.liftBlock')}
          </button>
        </p>
      </form>
      {done ? (
        <p className="notice notice-ok" role="status">
          {t('admin.blockLiftedPersonCan')}
        </p>
      ) : null}
      {missing ? (
        <p className="notice notice-warn" role="status">
          {t('admin.functionNotAvailableServer')}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}
