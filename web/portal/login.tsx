import { useEffect, useState } from 'react';
import { ApiError, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { ErrorNote } from '../shared/ui.js';

/** Demo personas (valid РНОКПП control digits); the panel shows only where /dev/session exists. */
export const personas = [
  {
    rnokpp: '3124567896',
    lastName: 'Шевченко',
    firstName: 'Оксана',
    middleName: 'Петрівна',
    email: 'oksana@example.com',
    phone: '+380501234567',
  },
  {
    rnokpp: '2987654320',
    lastName: 'Коваленко',
    firstName: 'Андрій',
    middleName: 'Іванович',
    email: 'andrii@example.com',
    phone: '+380671112233',
  },
  { rnokpp: '3456789014', lastName: 'Бондар', firstName: 'Марія', email: 'maria@example.com' },
];

export function useDemoAvailable(): boolean {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    // An empty body is refused as invalid (400) where the shortcut exists and 404 where it does not.
    api.post('/dev/session', {}).catch((error) => setDemo(error instanceof ApiError && error.status === 400));
  }, []);
  return demo;
}

export function LoginPage({
  onLoggedIn,
  reason,
}: {
  onLoggedIn: () => void | Promise<void>;
  reason?: string;
}) {
  const demo = useDemoAvailable();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const returnTo = window.location.pathname === '/login' ? '/my' : window.location.pathname;

  const asPersona = async (p: (typeof personas)[number]) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/dev/session', p);
      await onLoggedIn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="login-title" className="narrow">
      <h1 id="login-title">{t('portal.sign')}</h1>
      {reason ? <p>{reason}</p> : null}
      <div className="card">
        <p>{t('portal.onlineBookingNeedsElectronic')}</p>
        <a className="button big" href={`/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`}>
          {t('portal.signIdGovUa2')}
        </a>
      </div>
      {demo ? (
        <div className="card demo">
          <h2>{t('portal.demoSign')}</h2>
          <p>{t('portal.demoOnlyTestPersons')}</p>
          <div className="grid">
            {personas.map((p) => (
              <button
                key={p.rnokpp}
                type="button"
                className="choice"
                disabled={busy}
                onClick={() => asPersona(p)}
              >
                <span className="choice-title">
                  {p.lastName} {p.firstName}
                </span>
                <span className="choice-meta">
                  {t('portal.taxNumber')} ********{p.rnokpp.slice(-2)}
                </span>
              </button>
            ))}
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}
