import { api, documentsOf, type Service } from '../shared/api.js';
import { L } from '../shared/i18n.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { link, type Navigate } from './nav.js';

export function formatPrice(price: Service['price']): string {
  if (price === null || price === undefined || price === '')
    return L('Вартість уточнюйте в центрі', 'Ask the center about the fee');
  const n = Number(price);
  if (Number.isFinite(n))
    return n === 0 ? L('Безкоштовно', 'Free of charge') : `${n.toLocaleString('uk-UA')} грн`;
  return String(price);
}

export function Landing({ navigate }: { navigate: Navigate }) {
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">
          {L('Запис до сервісного центру МВС', 'Book a visit to an MIA service center')}
        </h1>
        <p className="lead">
          {L(
            'Оберіть послугу, центр і зручний час на 21 день уперед. Підтвердження прийде на пошту, а запис буде у вашому телефоні навіть без інтернету.',
            'Choose a service, a center and a convenient time up to 21 days ahead. The confirmation comes by email and your registration stays on your phone even offline.',
          )}
        </p>
        <div className="row">
          <a className="button big" href="/book" onClick={link(navigate, '/book')}>
            {L('Записатися', 'Book a visit')}
          </a>
          <a className="button big secondary" href="/my" onClick={link(navigate, '/my')}>
            {L('Мої записи', 'My registrations')}
          </a>
        </div>
      </section>
      <section aria-labelledby="how-title">
        <h2 id="how-title">{L('Як це працює', 'How it works')}</h2>
        <ol className="steps">
          <li>
            {L(
              'Увійдіть через ID.GOV.UA (BankID, Дія.Підпис).',
              'Sign in with ID.GOV.UA (BankID, Diia.Signature).',
            )}
          </li>
          <li>{L('Оберіть послугу, центр, день і час.', 'Choose the service, center, day and time.')}</li>
          <li>
            {L(
              'Прийдіть вчасно з документами: вас викличуть на табло за номером.',
              'Come on time with your documents: the board calls your number.',
            )}
          </li>
        </ol>
        <p className="muted">
          {L(
            'Не більше 4 онлайн-записів на місяць. Скасувати запис можна не пізніше ніж за 2 години. Пільгові категорії реєструються лише на терміналі в центрі.',
            'At most 4 online registrations a month. You can cancel up to 2 hours before. Priority categories register only at the terminal in the center.',
          )}
        </p>
      </section>
      <section aria-labelledby="svc-title">
        <h2 id="svc-title">{L('Послуги, документи і вартість', 'Services, documents and fees')}</h2>
        {services.loading && !services.data ? <Loading /> : null}
        <ErrorNote error={services.error} onRetry={services.reload} />
        <div className="grid">
          {services.data?.map((s) => (
            <article key={s.id} className="card service-card">
              <h3>{s.name}</h3>
              {s.groupName ? <p className="muted">{s.groupName}</p> : null}
              <p>
                <strong>{L('Вартість:', 'Fee:')}</strong> {formatPrice(s.price)}
              </p>
              {documentsOf(s).length ? (
                <>
                  <p className="docs-title">{L('Що взяти з собою:', 'What to bring:')}</p>
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
