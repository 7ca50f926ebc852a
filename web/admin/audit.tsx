import { useState } from 'react';
import { ApiError, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { ErrorNote } from '../shared/ui.js';

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
