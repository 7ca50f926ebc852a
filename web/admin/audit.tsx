import { useState } from 'react';
import type { BlockPreviewView } from '../../src/audit/block-preview-api-schema.js';
import { ApiError, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatDateTime } from '../shared/time.js';
import { ErrorNote } from '../shared/ui.js';

type Center = NonNullable<BlockPreviewView['liftCenter']>;

const centerText = (c: Center | null) => (c ? `${c.name} (${c.address})` : '—');

/**
 * Rule 4: a block is lifted only in person, by the head of the center, with a written reason.
 * The head first checks whom the document belongs to (masked name and number, since/until, why,
 * the centers; the check is audited), then lifts with the reason. A head of another center is
 * told which center can lift it.
 */
export function BlockSection({ centerId }: { centerId: string }) {
  const [idKind, setIdKind] = useState<'rnokpp' | 'passport'>('rnokpp');
  const [idValue, setIdValue] = useState('');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<BlockPreviewView | null>(null);
  const [elsewhere, setElsewhere] = useState<Center | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const number = () => idValue.replace(/\s+/g, '').toUpperCase();

  const reset = () => {
    setPreview(null);
    setElsewhere(null);
    setError(null);
    setReason('');
  };
  const check = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    reset();
    setDone(false);
    try {
      setPreview(
        await api.post<BlockPreviewView>('/api/v1/admin/blocks/preview', { idKind, idValue: number() }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !err.code) setMissing(true);
      else if (err instanceof ApiError && err.status === 403 && err.extra.liftCenter)
        setElsewhere(err.extra.liftCenter as Center);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const lift = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/admin/blocks/lift', { idKind, idValue: number(), reason, centerId });
      setDone(true);
      setPreview(null);
      setIdValue('');
      setReason('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !err.code) setMissing(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow-admin">
      <p>{t('admin.showBlockLiftedOnly')}</p>
      <form onSubmit={check}>
        <fieldset className="inline-checks">
          <legend>{t('admin.personsDocument')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={idKind === 'rnokpp'}
              onChange={() => {
                setIdKind('rnokpp');
                reset();
              }}
            />{' '}
            {t('admin.taxNumber')}
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={idKind === 'passport'}
              onChange={() => {
                setIdKind('passport');
                reset();
              }}
            />{' '}
            {t('admin.passport')}
          </label>
        </fieldset>
        <label htmlFor="b-id">{t('admin.documentNumber')}</label>
        <input
          id="b-id"
          value={idValue}
          onChange={(e) => {
            setIdValue(e.target.value);
            reset();
          }}
          required
          autoComplete="off"
        />
        <p>
          <button type="submit" className={`button ${preview ? 'secondary' : ''}`} disabled={busy}>
            {t('admin.blockCheck')}
          </button>
        </p>
      </form>

      {elsewhere ? (
        <div className="notice notice-warn" role="status" data-testid="block-elsewhere">
          <p className="notice-title">{t('admin.blockOtherCenter')}</p>
          <p>{centerText(elsewhere)}</p>
        </div>
      ) : null}

      {preview ? (
        <section className="notice" aria-labelledby="b-preview-title" data-testid="block-preview">
          <h3 id="b-preview-title">{t('admin.blockPreviewTitle')}</h3>
          <table className="facts">
            <caption className="sr-only">{t('admin.blockPreviewTitle')}</caption>
            <tbody>
              <tr>
                <th scope="row">{t('admin.blockPerson')}</th>
                <td>
                  {[preview.person.lastName, preview.person.firstName, preview.person.middleName]
                    .filter(Boolean)
                    .join(' ')}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('admin.blockDocumentMasked')}</th>
                <td>
                  {preview.person.idKind === 'rnokpp' ? t('admin.taxNumber') : t('admin.passport')}{' '}
                  {preview.person.idMasked}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('admin.blockSince')}</th>
                <td>{preview.blockedAt ? formatDateTime(preview.blockedAt) : '—'}</td>
              </tr>
              <tr>
                <th scope="row">{t('admin.blockUntil')}</th>
                <td>{formatDateTime(preview.blockedUntil)}</td>
              </tr>
              <tr>
                <th scope="row">{t('admin.reason')}</th>
                <td>
                  {preview.noShows !== null
                    ? t('admin.blockNoShows', { count: preview.noShows })
                    : t('admin.blockNoShowsUnknown')}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('admin.blockSetBy')}</th>
                <td>{centerText(preview.blockCenter)}</td>
              </tr>
              <tr>
                <th scope="row">{t('admin.blockLiftBy')}</th>
                <td>{centerText(preview.liftCenter)}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">{t('admin.blockPreviewLogged')}</p>
          <form onSubmit={lift}>
            <label htmlFor="b-reason">{t('admin.reasonGoesAuditLog')}</label>
            <textarea
              id="b-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={10}
            />
            <p className="row">
              <button type="submit" className="button" disabled={busy}>
                {t('admin.blockConfirmLift')}
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  reset();
                  setIdValue('');
                }}
              >
                {t('admin.blockCheckAnother')}
              </button>
            </p>
          </form>
        </section>
      ) : null}

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
