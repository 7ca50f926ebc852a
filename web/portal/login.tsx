import { useEffect, useState } from 'react';
import { ApiError, api } from '../shared/api.js';
import { L } from '../shared/i18n.js';
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
      <h1 id="login-title">{L('Вхід', 'Sign in')}</h1>
      {reason ? <p>{reason}</p> : null}
      <div className="card">
        <p>
          {L(
            'Онлайн-запис доступний лише після електронної ідентифікації: BankID, Дія.Підпис або кваліфікований електронний підпис. Запис належить вам і не може бути переданий іншій особі.',
            'Online booking needs electronic identification: BankID, Diia.Signature or a qualified e-signature. A registration is personal and cannot be transferred.',
          )}
        </p>
        <a className="button big" href={`/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`}>
          {L('Увійти через ID.GOV.UA', 'Sign in with ID.GOV.UA')}
        </a>
      </div>
      {demo ? (
        <div className="card demo">
          <h2>{L('Демонстраційний вхід', 'Demo sign-in')}</h2>
          <p>
            {L(
              'Лише для демонстрації: тестові особи без справжньої ідентифікації. У робочій системі цього розділу немає.',
              'Demo only: test persons without real identification. The production system has no such section.',
            )}
          </p>
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
                  {L('РНОКПП', 'Tax number')} ******{p.rnokpp.slice(-4)}
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
