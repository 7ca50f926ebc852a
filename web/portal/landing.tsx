import { api, type Service } from '../shared/api.js';
import { documentsOf, nameOf, priceOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { link, type Navigate } from './nav.js';

export function formatPrice(price: Service['price']): string {
  if (price === null || price === undefined || price === '') return t('portal.askCenterAboutFee');
  const n = Number(price);
  if (Number.isFinite(n))
    return n === 0 ? t('portal.freeCharge') : t('portal.priceUah', { amount: n.toLocaleString('uk-UA') });
  return String(price);
}

export function Landing({ navigate }: { navigate: Navigate }) {
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  const policy = useServerTime()?.policy;
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t('portal.bookVisitMiaService')}</h1>
        <p className="lead">
          {policy ? t('portal.chooseServiceCenterConvenient', { days: policy.horizonDays }) : null}
        </p>
        <div className="row">
          <a className="button big" href="/book" onClick={link(navigate, '/book')}>
            {t('portal.bookVisit')}
          </a>
          <a className="button big secondary" href="/my" onClick={link(navigate, '/my')}>
            {t('portal.myRegistrations2')}
          </a>
        </div>
      </section>
      <section aria-labelledby="how-title">
        <h2 id="how-title">{t('portal.howWorks')}</h2>
        <ol className="steps">
          <li>{t('portal.signIdGovUa')}</li>
          <li>{t('portal.chooseServiceCenterDay')}</li>
          <li>{t('portal.comeTimeDocumentsBoard')}</li>
        </ol>
        {policy ? (
          <p className="muted">
            {t('portal.limitsSummary', {
              limit: policy.personOnlinePerMonth,
              hours: policy.cancelBeforeMinutes / 60,
            })}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="svc-title">
        <h2 id="svc-title">{t('portal.servicesDocumentsFees')}</h2>
        {services.loading && !services.data ? <Loading /> : null}
        <ErrorNote error={services.error} onRetry={services.reload} />
        <div className="grid">
          {services.data?.map((s) => (
            <article key={s.id} className="card service-card">
              <h3>{nameOf(s)}</h3>
              {s.groupName ? <p className="muted">{s.groupName}</p> : null}
              <p>
                <strong>{t('portal.fee')}</strong> {formatPrice(priceOf(s))}
              </p>
              {documentsOf(s).length ? (
                <>
                  <p className="docs-title">{t('portal.whatBring2')}</p>
                  <ul className="docs">
                    {documentsOf(s).map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
