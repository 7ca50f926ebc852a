import { useEffect, useRef, useState } from 'react';
import type { PolicyState, PolicyValueView } from '../../src/policy/policy-api-schema.js';
import { api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatDateTime } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { DataTable } from './table.js';

const URL = '/api/v1/admin/policy/values';

const nameOf = (key: string) => t(`admin.policy_${key}` as 'admin.policyValue', { defaultValue: key });

/** A value as people read it: the online share with %, the release hour as a time. */
function shown(unit: PolicyValueView['unit'] | undefined, v: number): string {
  if (unit === 'percent') return `${v}\u00a0%`;
  if (unit === 'hour') return `${String(v).padStart(2, '0')}:00`;
  return String(v);
}

interface Draft {
  key: string;
  /** null: remove the override (the configured value again). */
  value: number | null;
  reason: string;
}

/**
 * SPEC §1: the national policy values in force, where each comes from, its range, and the change
 * of one value with a written reason, after a confirmation that says what it affects. The history
 * names who changed what.
 */
export function PolicySection() {
  const state = useLoad(() => api.get<PolicyState>(URL));
  const [editing, setEditing] = useState<string | null>(null);
  const [input, setInput] = useState('');
  const [reason, setReason] = useState('');
  const [review, setReview] = useState<Draft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const values = state.data?.values ?? [];
  const unitOf = (key: string) => values.find((v) => v.key === key)?.unit;
  const current = values.find((v) => v.key === editing);
  const valueInput = useRef<HTMLInputElement>(null);
  // The form opens below the table: take the keyboard (and the eye) there.
  useEffect(() => {
    if (editing) valueInput.current?.focus();
  }, [editing]);

  const open = (v: PolicyValueView) => {
    setEditing(v.key);
    setInput(String(v.value));
    setReason('');
    setReview(null);
    setSaved(false);
    setError(null);
  };
  const close = () => {
    setEditing(null);
    setReview(null);
  };
  const save = async (draft: Draft) => {
    setBusy(true);
    setError(null);
    try {
      await api.put(`${URL}/${encodeURIComponent(draft.key)}`, { value: draft.value, reason: draft.reason });
      setSaved(true);
      close();
      state.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="pol-title">
        <h2 id="pol-title">{t('admin.policyValues')}</h2>
        <p className="muted">{t('admin.policyIntro')}</p>
        <ErrorNote error={state.error} onRetry={state.reload} />
        {state.loading && !state.data ? <Loading /> : null}
        {saved ? (
          <p className="notice notice-ok" role="status">
            {t('admin.policySaved')}
          </p>
        ) : null}
        <DataTable
          caption={t('admin.policyValues')}
          rows={state.data ? values : undefined}
          rowKey={(v) => v.key}
          columns={[
            { header: t('admin.policyName'), cell: (v) => nameOf(v.key) },
            {
              header: t('admin.policyValue'),
              cell: (v) => <strong data-testid={`policy-${v.key}`}>{shown(v.unit, v.value)}</strong>,
            },
            {
              header: t('admin.policySource'),
              cell: (v) => (
                <>
                  {t(`admin.policySource_${v.source}`)}
                  {v.source === 'override' && v.changedByName && v.changedAt ? (
                    <span className="muted small">
                      {' '}
                      (
                      {t('admin.policyChangedBy', {
                        name: v.changedByName,
                        when: formatDateTime(v.changedAt),
                      })}
                      )
                    </span>
                  ) : null}
                </>
              ),
            },
            {
              header: t('admin.policyRange'),
              cell: (v) => `${shown(v.unit, v.min)} – ${shown(v.unit, v.max)}`,
            },
            {
              header: t('admin.actions'),
              hideHeader: true,
              cell: (v) => (
                <button type="button" className="link-button" onClick={() => open(v)}>
                  {t('admin.policyEdit')} <span className="sr-only">{nameOf(v.key)}</span>
                </button>
              ),
            },
          ]}
        />
      </section>

      {current ? (
        <section className="card narrow-admin" aria-labelledby="pol-edit-title">
          <h2 id="pol-edit-title">{t('admin.policyEditTitle', { name: nameOf(current.key) })}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setReview({ key: current.key, value: Number(input), reason: reason.trim() });
            }}
          >
            <label htmlFor="pol-value">
              {t('admin.policyNewValue', { min: current.min, max: current.max })}
            </label>
            <input
              id="pol-value"
              ref={valueInput}
              type="number"
              inputMode="numeric"
              step={1}
              min={current.min}
              max={current.max}
              value={input}
              onChange={(e) => {
                setInput(e.target.value);
                setReview(null);
              }}
              required
            />
            <label htmlFor="pol-reason">{t('admin.policyReason')}</label>
            <textarea
              id="pol-reason"
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setReview(null);
              }}
              required
              minLength={10}
              maxLength={500}
            />
            <p className="row">
              <button type="submit" className="button" disabled={busy}>
                {t('admin.policyReview')}
              </button>
              {current.source === 'override' ? (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy || reason.trim().length < 10}
                  onClick={() => setReview({ key: current.key, value: null, reason: reason.trim() })}
                >
                  {t('admin.policyResetTo', { value: shown(current.unit, current.configured) })}
                </button>
              ) : null}
              <button type="button" className="link-button" onClick={close}>
                {t('admin.policyCancel')}
              </button>
            </p>
          </form>
          {review ? (
            <div className="notice notice-warn" role="alertdialog" aria-labelledby="pol-confirm-title">
              <p className="notice-title" id="pol-confirm-title">
                {t('admin.policyConfirmTitle')}
              </p>
              <p data-testid="policy-confirm-change">
                {t('admin.policyConfirmChange', {
                  name: nameOf(current.key),
                  from: shown(current.unit, current.value),
                  to: shown(current.unit, review.value ?? current.configured),
                })}
              </p>
              <p>
                <strong>{t('admin.policyAffectsLabel')}</strong>{' '}
                {t(`admin.policyAffects_${current.key}` as 'admin.policyValue', { defaultValue: '' })}
              </p>
              <p className="row">
                <button type="button" className="button" disabled={busy} onClick={() => void save(review)}>
                  {t('admin.policyConfirm')}
                </button>
                <button type="button" className="button secondary" onClick={() => setReview(null)}>
                  {t('admin.policyCancel')}
                </button>
              </p>
            </div>
          ) : null}
          <ErrorNote error={error} />
        </section>
      ) : null}

      <section className="card" aria-labelledby="pol-history-title">
        <h2 id="pol-history-title">{t('admin.policyHistory')}</h2>
        {state.data && state.data.history.length === 0 ? (
          <p className="muted">{t('admin.policyNoHistory')}</p>
        ) : null}
        {state.data?.history.length ? (
          <DataTable
            caption={t('admin.policyHistory')}
            rows={state.data.history}
            rowKey={(c) => String(c.id)}
            className="policy-history"
            columns={[
              { header: t('admin.when'), cell: (c) => formatDateTime(c.at) },
              { header: t('admin.policyName'), cell: (c) => nameOf(c.key) },
              {
                header: t('admin.policyWas'),
                cell: (c) =>
                  `${shown(unitOf(c.key), c.oldValue)} (${t(`admin.policySource_${c.oldSource}`)})`,
              },
              {
                header: t('admin.policyBecame'),
                cell: (c) =>
                  `${shown(unitOf(c.key), c.newValue)} (${t(`admin.policySource_${c.newSource}`)})`,
              },
              { header: t('admin.who'), cell: (c) => c.byName ?? c.byId },
              { header: t('admin.reason'), cell: (c) => c.reason },
            ]}
          />
        ) : null}
      </section>
    </>
  );
}
