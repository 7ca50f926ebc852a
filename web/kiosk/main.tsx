import '../shared/base.css';
import './kiosk.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type Center, documentsOf, type Service } from '../shared/api.js';
import { initLang, L } from '../shared/i18n.js';
import { currentSession, demoAvailable, demoLogin, queryParam } from '../shared/session.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote, LangSwitch, Loading } from '../shared/ui.js';
import { OnScreenKeyboard } from './keyboard.js';

/** Inactivity on any step returns the kiosk to the start; the ticket screen stays a little less. */
const IDLE_MS = 90_000;
const TICKET_MS = 30_000;

type Step = 'start' | 'service' | 'mode' | 'person' | 'priority' | 'ticket';
type Category = 'disability' | 'disability_companion' | 'fallen_defender_family' | 'military';

interface PersonForm {
  lastName: string;
  firstName: string;
  middleName: string;
  idKind: 'rnokpp' | 'passport';
  idValue: string;
  phone: string;
  email: string;
}

interface Ticket {
  id: string;
  number: number;
  callTime: string;
  priority: string | null;
  peopleAhead?: number;
  estimatedCallTime?: string;
  emailSentTo?: string;
}

const emptyPerson: PersonForm = {
  lastName: '',
  firstName: '',
  middleName: '',
  idKind: 'rnokpp',
  idValue: '',
  phone: '+380',
  email: '',
};

const categories = (): Array<{ id: Category; title: string; doc: string }> => [
  {
    id: 'disability',
    title: L('Особа з інвалідністю (зокрема дитина)', 'Person with a disability (including a child)'),
    doc: L('Посвідчення або довідка МСЕК', 'Disability certificate'),
  },
  {
    id: 'disability_companion',
    title: L('Супровід особи з інвалідністю I групи', 'Companion of a person with group I disability'),
    doc: L('Посвідчення особи, яку супроводжуєте', 'Certificate of the person you accompany'),
  },
  {
    id: 'fallen_defender_family',
    title: L(
      'Член сім’ї загиблого (померлого) Захисника України',
      'Family member of a fallen Defender of Ukraine',
    ),
    doc: L('Посвідчення члена сім’ї загиблого', 'Family member certificate'),
  },
  {
    id: 'military',
    title: L('Військовослужбовець (під час воєнного стану)', 'Serving military (under martial law)'),
    doc: L('Військовий квиток або посвідчення', 'Military ID'),
  },
];

function Setup({ centerId, onReady }: { centerId: string | null; onReady: () => void }) {
  const [demo, setDemo] = useState(false);
  const [centers, setCenters] = useState<Center[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [pick, setPick] = useState(centerId ?? '');
  const [deviceKey, setDeviceKey] = useState('');
  useEffect(() => {
    void demoAvailable().then(setDemo);
    api.get<Center[]>('/api/v1/centers').then(setCenters, setError);
  }, []);
  const activate = async () => {
    try {
      await demoLogin({ role: 'terminal', centerId: pick });
      const url = new URL(window.location.href);
      url.searchParams.set('center', pick);
      window.history.replaceState(null, '', url);
      onReady();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main id="main" className="kiosk-setup">
      <h1>{L('Термінал не активовано', 'The terminal is not activated')}</h1>
      <p>
        {L(
          'Адміністратор центру активує термінал ключем пристрою з консолі керівника.',
          'The center administrator activates this terminal with a device key from the admin console.',
        )}
      </p>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          api.post<{ centerId: string }>('/api/v1/devices/session', { token: deviceKey.trim() }).then((r) => {
            const url = new URL(window.location.href);
            url.searchParams.set('center', r.centerId);
            window.history.replaceState(null, '', url);
            onReady();
          }, setError);
        }}
      >
        <label htmlFor="device-key">{L('Ключ пристрою', 'Device key')}</label>
        <input
          id="device-key"
          value={deviceKey}
          onChange={(e) => setDeviceKey(e.target.value)}
          autoComplete="off"
          required
        />
        <p>
          <button type="submit" className="button big">
            {L('Активувати термінал', 'Activate terminal')}
          </button>
        </p>
      </form>
      {demo ? (
        <div className="card demo">
          <h2>{L('Демонстраційна активація', 'Demo activation')}</h2>
          <label htmlFor="center">{L('Сервісний центр', 'Service center')}</label>
          <select id="center" value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{L('Оберіть центр', 'Choose a center')}</option>
            {centers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}, {c.address}
              </option>
            ))}
          </select>
          <p>
            <button type="button" className="button big" disabled={!pick} onClick={activate}>
              {L('Активувати термінал (демо)', 'Activate terminal (demo)')}
            </button>
          </p>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </main>
  );
}

function Field({
  id,
  label,
  value,
  onFocus,
  onChange,
  active,
  inputMode,
  autoComplete,
  hint,
  required,
}: {
  id: keyof PersonForm;
  label: string;
  value: string;
  onFocus: () => void;
  onChange: (v: string) => void;
  active: boolean;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  autoComplete?: string;
  hint?: string;
  required?: boolean;
}) {
  return (
    <div className={`k-field ${active ? 'active' : ''}`}>
      <label htmlFor={`f-${id}`}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={`f-${id}`}
        value={value}
        onFocus={onFocus}
        onChange={(e) => onChange(e.target.value)}
        inputMode={inputMode}
        autoComplete={autoComplete ?? 'off'}
        required={required}
        aria-describedby={hint ? `h-${id}` : undefined}
      />
      {hint ? (
        <span className="k-hint" id={`h-${id}`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

function Kiosk({ centerId }: { centerId: string }) {
  const [center, setCenter] = useState<Center | null>(null);
  const [services, setServices] = useState<Service[] | null>(null);
  const [alertOn, setAlertOn] = useState(false);
  const [step, setStep] = useState<Step>('start');
  const [service, setService] = useState<Service | null>(null);
  const [helped, setHelped] = useState(false);
  const [person, setPerson] = useState<PersonForm>(emptyPerson);
  const [focus, setFocus] = useState<keyof PersonForm>('lastName');
  const [category, setCategory] = useState<Category | null>(null);
  const [docNumber, setDocNumber] = useState('');
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [, setTick] = useState(0);
  const lastTouch = useRef(Date.now());

  const reset = useCallback(() => {
    setStep('start');
    setService(null);
    setHelped(false);
    setPerson(emptyPerson);
    setFocus('lastName');
    setCategory(null);
    setDocNumber('');
    setTicket(null);
    setError(null);
  }, []);

  useEffect(() => {
    api
      .get<Center[]>('/api/v1/centers')
      .then((list) => setCenter(list.find((c) => c.id === centerId) ?? null), setError);
    api.get<Service[]>('/api/v1/services').then(setServices, setError);
    const loadAlert = () =>
      api.get<{ active: boolean }>(`/api/v1/centers/${encodeURIComponent(centerId)}/alert`).then(
        (a) => setAlertOn(a.active),
        () => undefined,
      );
    void loadAlert();
    const t = setInterval(loadAlert, 30_000);
    return () => clearInterval(t);
  }, [centerId]);

  // Back to the start after inactivity, so the next visitor never sees someone else's data.
  useEffect(() => {
    const touch = () => {
      lastTouch.current = Date.now();
    };
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    const t = setInterval(() => {
      const limit = step === 'ticket' ? TICKET_MS : IDLE_MS;
      if (step !== 'start' && Date.now() - lastTouch.current > limit) reset();
      setTick((n) => n + 1);
    }, 1000);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
      clearInterval(t);
    };
  }, [step, reset]);

  const go = (next: Step) => {
    lastTouch.current = Date.now();
    setError(null);
    setStep(next);
    requestAnimationFrame(() => document.getElementById('k-title')?.focus());
  };

  const set = (k: keyof PersonForm, v: string) => setPerson((p) => ({ ...p, [k]: v }));
  const typing = focus === 'idValue' && category && step === 'priority' ? null : focus;
  const onKey = (ch: string) => {
    if (step === 'priority') return setDocNumber((d) => d + ch);
    if (!typing) return;
    const upperFirst = ['lastName', 'firstName', 'middleName'].includes(typing);
    setPerson((p) => {
      const current = p[typing];
      const next = upperFirst && current.length > 0 && ch !== ' ' ? ch.toLowerCase() : ch;
      return { ...p, [typing]: current + next };
    });
  };
  const onBackspace = () => {
    if (step === 'priority') return setDocNumber((d) => d.slice(0, -1));
    if (typing) setPerson((p) => ({ ...p, [typing]: p[typing].slice(0, -1) }));
  };

  const submit = async () => {
    if (!service) return;
    setBusy(true);
    setError(null);
    try {
      const id = person.idValue.replace(/\s+/g, '').toUpperCase();
      const res = await api.post<Ticket>(
        `/api/v1/centers/${encodeURIComponent(centerId)}/terminal/registrations`,
        {
          serviceId: service.id,
          person: {
            lastName: person.lastName.trim(),
            firstName: person.firstName.trim(),
            middleName: person.middleName.trim() || undefined,
            ...(person.idKind === 'rnokpp' ? { rnokpp: id } : { passport: id }),
            phone: person.phone.length > 4 ? person.phone.replace(/[\s()-]/g, '') : undefined,
            email: person.email.trim(),
          },
          priority: category
            ? {
                category,
                document: {
                  type: categories().find((c) => c.id === category)?.doc ?? category,
                  number: docNumber.trim(),
                },
              }
            : undefined,
        },
      );
      setTicket(res);
      go('ticket');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const personValid =
    person.lastName.trim() &&
    person.firstName.trim() &&
    person.idValue.trim() &&
    /.+@.+\..+/.test(person.email.trim());
  const secondsLeft = Math.max(0, Math.ceil((TICKET_MS - (Date.now() - lastTouch.current)) / 1000));

  return (
    <div className="kiosk">
      <header className="k-top">
        <div>
          <span className="k-brand">Е-Запис</span>
          <span className="k-center">{center ? `${center.name} · ${center.address}` : ''}</span>
        </div>
        <LangSwitch onChange={() => setTick((n) => n + 1)} />
      </header>
      {alertOn ? (
        <div className="k-alert" role="alert">
          {L(
            'Повітряна тривога! Пройдіть до укриття. Реєстрація збережеться.',
            'Air-raid alert! Go to the shelter. Registrations are kept.',
          )}
        </div>
      ) : null}
      <main id="main" className="k-main">
        {step === 'start' ? (
          <section className="k-start">
            <h1 id="k-title" tabIndex={-1}>
              {L('Електронна черга', 'Electronic queue')}
            </h1>
            <p className="k-lead">
              {L(
                'Зареєструйтеся на сьогодні. Номер талона з’явиться на екрані і прийде на пошту.',
                'Register for today. Your ticket number appears on screen and comes by email.',
              )}
            </p>
            <button type="button" className="k-btn k-primary k-huge" onClick={() => go('service')}>
              {L('Стати в чергу', 'Join the queue')}
            </button>
            <p className="k-note">{L('Паперові талони не видаються.', 'No paper tickets are issued.')}</p>
          </section>
        ) : null}

        {step === 'service' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {L('Оберіть послугу', 'Choose a service')}
            </h1>
            {!services ? <Loading /> : null}
            <div className="k-grid">
              {services?.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  className="k-btn k-choice"
                  onClick={() => {
                    setService(s);
                    go('mode');
                  }}
                >
                  <span className="k-choice-title">{s.name}</span>
                  {documentsOf(s).length ? (
                    <span className="k-choice-meta">{documentsOf(s).join(', ')}</span>
                  ) : null}
                </button>
              ))}
            </div>
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={reset}>
                {L('На початок', 'Start over')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'mode' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {L('Як ви бажаєте зареєструватися?', 'How would you like to register?')}
            </h1>
            <div className="k-grid two">
              <button
                type="button"
                className="k-btn k-choice"
                onClick={() => {
                  setHelped(false);
                  go('person');
                }}
              >
                <span className="k-choice-title">{L('Самостійно', 'By myself')}</span>
                <span className="k-choice-meta">
                  {L('Введіть дані зі свого документа', 'Enter the data from your document')}
                </span>
              </button>
              <button
                type="button"
                className="k-btn k-choice"
                onClick={() => {
                  setHelped(true);
                  go('person');
                }}
              >
                <span className="k-choice-title">
                  {L('З допомогою адміністратора', 'With an administrator')}
                </span>
                <span className="k-choice-meta">
                  {L('Покажіть документ адміністратору залу', 'Show your document to the hall administrator')}
                </span>
              </button>
            </div>
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('service')}>
                ← {L('Назад', 'Back')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'person' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {L('Ваші дані', 'Your details')}
            </h1>
            {helped ? (
              <p className="notice notice-info">
                {L(
                  'Адміністратор заповнить дані з вашого документа, що посвідчує особу.',
                  'The administrator fills in the data from your ID document.',
                )}
              </p>
            ) : null}
            <div className="k-person">
              <div className="k-form">
                <Field
                  id="lastName"
                  label={L('Прізвище', 'Surname')}
                  value={person.lastName}
                  active={focus === 'lastName'}
                  onFocus={() => setFocus('lastName')}
                  onChange={(v) => set('lastName', v)}
                  required
                />
                <Field
                  id="firstName"
                  label={L('Ім’я', 'Given name')}
                  value={person.firstName}
                  active={focus === 'firstName'}
                  onFocus={() => setFocus('firstName')}
                  onChange={(v) => set('firstName', v)}
                  required
                />
                <Field
                  id="middleName"
                  label={L('По батькові (за наявності)', 'Patronymic (if any)')}
                  value={person.middleName}
                  active={focus === 'middleName'}
                  onFocus={() => setFocus('middleName')}
                  onChange={(v) => set('middleName', v)}
                />
                <div className="k-field">
                  <span className="k-label" id="idkind-label">
                    {L('Документ', 'Document')}
                  </span>
                  <div className="k-toggle" role="radiogroup" aria-labelledby="idkind-label">
                    {(['rnokpp', 'passport'] as const).map((k) => (
                      // biome-ignore lint/a11y/useSemanticElements: a large touch toggle styled as a button, with radio semantics
                      <button
                        key={k}
                        type="button"
                        role="radio"
                        aria-checked={person.idKind === k}
                        className="k-btn k-seg"
                        onClick={() => set('idKind', k)}
                      >
                        {k === 'rnokpp' ? L('РНОКПП (ІПН)', 'Tax number') : L('Паспорт', 'Passport')}
                      </button>
                    ))}
                  </div>
                </div>
                <Field
                  id="idValue"
                  label={
                    person.idKind === 'rnokpp'
                      ? L('РНОКПП, 10 цифр', 'Tax number, 10 digits')
                      : L('Серія і номер паспорта', 'Passport series and number')
                  }
                  value={person.idValue}
                  active={focus === 'idValue'}
                  onFocus={() => setFocus('idValue')}
                  onChange={(v) => set('idValue', v)}
                  inputMode={person.idKind === 'rnokpp' ? 'numeric' : 'text'}
                  hint={
                    person.idKind === 'passport'
                      ? L(
                          'ID-картка: 9 цифр; книжечка: 2 літери і 6 цифр',
                          'ID card: 9 digits; booklet: 2 letters and 6 digits',
                        )
                      : undefined
                  }
                  required
                />
                <Field
                  id="phone"
                  label={L('Телефон', 'Phone')}
                  value={person.phone}
                  active={focus === 'phone'}
                  onFocus={() => setFocus('phone')}
                  onChange={(v) => set('phone', v)}
                  inputMode="tel"
                />
                <Field
                  id="email"
                  label={L('Електронна пошта (для талона)', 'Email (for the ticket)')}
                  value={person.email}
                  active={focus === 'email'}
                  onFocus={() => setFocus('email')}
                  onChange={(v) => set('email', v)}
                  inputMode="email"
                  required
                />
              </div>
              <OnScreenKeyboard onKey={onKey} onBackspace={onBackspace} latin={focus === 'email'} />
            </div>
            <ErrorNote error={error} />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('mode')}>
                ← {L('Назад', 'Back')}
              </button>
              <button
                type="button"
                className="k-btn k-primary"
                disabled={!personValid}
                onClick={() => go('priority')}
              >
                {L('Далі', 'Next')} →
              </button>
            </div>
          </section>
        ) : null}

        {step === 'priority' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {L('Чи належите ви до пільгової категорії?', 'Do you belong to a priority category?')}
            </h1>
            <p className="k-note">
              {L(
                'Пільговиків обслуговують першими. Оригінал документа покажете адміністратору.',
                'Priority visitors are served first. Show the original document at the desk.',
              )}
            </p>
            <div className="k-grid" role="radiogroup" aria-label={L('Категорія', 'Category')}>
              {/* biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics */}
              <button
                type="button"
                role="radio"
                aria-checked={category === null}
                className="k-btn k-choice"
                onClick={() => setCategory(null)}
              >
                <span className="k-choice-title">{L('Ні, звичайна черга', 'No, regular queue')}</span>
              </button>
              {categories().map((c) => (
                // biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics
                <button
                  key={c.id}
                  type="button"
                  role="radio"
                  aria-checked={category === c.id}
                  className="k-btn k-choice"
                  onClick={() => setCategory(c.id)}
                >
                  <span className="k-choice-title">{c.title}</span>
                  <span className="k-choice-meta">{c.doc}</span>
                </button>
              ))}
            </div>
            {category ? (
              <>
                <div className="k-field active">
                  <label htmlFor="f-doc">
                    {L(
                      'Номер документа, що підтверджує категорію',
                      'Number of the document proving the category',
                    )}
                  </label>
                  <input
                    id="f-doc"
                    value={docNumber}
                    onChange={(e) => setDocNumber(e.target.value)}
                    autoComplete="off"
                  />
                </div>
                <OnScreenKeyboard onKey={onKey} onBackspace={onBackspace} latin={false} />
              </>
            ) : null}
            <ErrorNote error={error} />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('person')}>
                ← {L('Назад', 'Back')}
              </button>
              <button
                type="button"
                className="k-btn k-primary"
                disabled={busy || (category !== null && !docNumber.trim())}
                onClick={submit}
              >
                {busy ? L('Реєструємо…', 'Registering…') : L('Отримати номер', 'Get my number')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'ticket' && ticket ? (
          <section className="k-ticket" aria-live="polite">
            <h1 id="k-title" tabIndex={-1}>
              {L('Ваш номер', 'Your number')}
            </h1>
            <p className="k-number" data-testid="ticket-number">
              {ticket.number}
            </p>
            {ticket.priority ? (
              <p className="badge warn k-badge">{L('Пріоритетна черга', 'Priority queue')}</p>
            ) : null}
            <p className="k-calltime">
              {L('Орієнтовний час виклику', 'Expected call time')}:{' '}
              <strong>{formatTime(ticket.estimatedCallTime ?? ticket.callTime)}</strong>
            </p>
            {typeof ticket.peopleAhead === 'number' ? (
              <p className="k-lead">
                {L('Перед вами', 'People ahead')}: {ticket.peopleAhead}
              </p>
            ) : null}
            <p className="k-lead">
              {L('Талон також надіслано на', 'The ticket was also sent to')}{' '}
              <strong>{ticket.emailSentTo ?? person.email}</strong>.{' '}
              {L(
                'Стежте за табло: ваш номер з’явиться разом із номером вікна.',
                'Watch the board: your number appears with the desk number.',
              )}
            </p>
            <button type="button" className="k-btn k-primary k-huge" onClick={reset}>
              {L('Готово', 'Done')}
            </button>
            <p className="k-note">
              {L('Екран повернеться на початок через', 'The screen returns to the start in')} {secondsLeft}{' '}
              {L('с', 's')}
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}

function App() {
  const [ready, setReady] = useState<boolean | null>(null);
  const [centerId, setCenterId] = useState<string | null>(queryParam('center'));
  const check = useCallback(async () => {
    const s = await currentSession().catch(() => ({ authenticated: false }) as const);
    const sessionCenter = 'centerId' in s ? s.centerId : null;
    const ok =
      s.authenticated && 'role' in s && ['terminal', 'operator', 'center_head'].includes(s.role ?? '');
    if (ok && sessionCenter) setCenterId((c) => c ?? sessionCenter);
    setReady(Boolean(ok));
  }, []);
  useEffect(() => {
    void check();
  }, [check]);
  if (ready === null) return <Loading />;
  if (!ready || !centerId)
    return (
      <Setup
        centerId={centerId}
        onReady={() => {
          setCenterId(queryParam('center'));
          void check();
        }}
      />
    );
  return <Kiosk centerId={centerId} />;
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
