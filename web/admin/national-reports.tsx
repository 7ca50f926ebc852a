import { useState } from 'react';
import type { suspicionReport } from '../../src/fairness/fairness-api-schema.js';
import type { outboxMessageView } from '../../src/notify/notify-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatDateTime } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { DataTable } from './table.js';

/** The national admin's reports: suspicious booking attempts and e-mails that were never delivered. */

type OutboxMessage = Answer<typeof outboxMessageView>;

type Suspicion = Answer<typeof suspicionReport>;
type Flagged = Suspicion['identities'][number] | Suspicion['addresses'][number];

/** Identities and addresses whose booking attempts look automated (rule 9), over the last day. */
export function SuspicionSection() {
  const report = useLoad(() => api.get<Suspicion>('/api/v1/admin/suspicion'));
  const r = report.data;
  const columns = <F extends Flagged>(first: string, name: (f: F) => string) => [
    { header: first, cell: (f: F) => <code>{name(f)}</code> },
    { header: t('admin.suspAttempts'), cell: (f: F) => f.attempts },
    { header: t('admin.suspFailures'), cell: (f: F) => f.failures },
    { header: t('admin.suspPersons'), cell: (f: F) => f.distinctPersons },
    {
      header: t('admin.suspCodes'),
      cell: (f: F) =>
        Object.entries(f.codes)
          .map(([c, n]) => `${c} × ${n}`)
          .join(', '),
    },
  ];
  return (
    <>
      <ErrorNote error={report.error} onRetry={report.reload} />
      {report.loading && !r ? <Loading /> : null}
      {r ? (
        <>
          <p className="muted">
            {formatDateTime(r.from)} — {formatDateTime(r.to)}
          </p>
          <section aria-labelledby="su-id">
            <h2 id="su-id">{t('admin.suspIdentities', { n: r.identities.length })}</h2>
            <DataTable
              caption={t('admin.suspIdentities', { n: r.identities.length })}
              rows={r.identities}
              rowKey={(f) => f.personId}
              columns={columns(t('admin.suspIdentity'), (f: Suspicion['identities'][number]) => f.personId)}
            />
          </section>
          <section aria-labelledby="su-ip">
            <h2 id="su-ip">{t('admin.suspAddresses', { n: r.addresses.length })}</h2>
            <DataTable
              caption={t('admin.suspAddresses', { n: r.addresses.length })}
              rows={r.addresses}
              rowKey={(f) => f.address}
              columns={columns(t('admin.suspAddress'), (f: Suspicion['addresses'][number]) => f.address)}
            />
          </section>
        </>
      ) : null}
    </>
  );
}

/** E-mails the outbox gave up on, with a retry each. */
export function DeadLettersSection() {
  const dead = useLoad(() => api.get<OutboxMessage[]>('/api/v1/admin/outbox?status=dead&limit=200'));
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number[]>([]);
  const retry = async (id: number) => {
    setError(null);
    try {
      await api.post(`/api/v1/admin/outbox/${id}/retry`, {});
      setDone((d) => [...d, id]);
      dead.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ErrorNote error={error ?? dead.error} onRetry={dead.reload} />
      {dead.loading && !dead.data ? <Loading /> : null}
      {done.length ? (
        <p className="notice notice-ok" role="status">
          {t('admin.retried')}
        </p>
      ) : null}
      {dead.data && dead.data.length === 0 ? <p className="muted">{t('admin.noDeadLetters')}</p> : null}
      {dead.data?.length ? (
        <DataTable
          caption={t('admin.deadLetters')}
          rows={dead.data}
          rowKey={(m) => String(m.id)}
          columns={[
            { header: t('admin.when'), cell: (m) => formatDateTime(m.createdAt) },
            { header: t('admin.recipient'), cell: (m) => m.recipient },
            {
              header: t('admin.template'),
              cell: (m) => t(`admin.template_${m.template}`, { defaultValue: m.template }),
            },
            { header: t('admin.attempts'), cell: (m) => m.attempts },
            { header: t('admin.lastError'), cell: (m) => m.lastError ?? '—' },
            {
              header: t('admin.actions'),
              hideHeader: true,
              cell: (m) => (
                <button type="button" className="button secondary" onClick={() => void retry(m.id)}>
                  {t('admin.retry')}
                </button>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}
