import '../shared/base.css';
import './kiosk.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type Center, documentsOf, type Service } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { currentSession, demoAvailable, demoLogin, queryParam } from '../shared/session.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote, LangSwitch, Loading } from '../shared/ui.js';
import { OnScreenKeyboard } from './keyboard.js';

/** Inactivity on any step returns the kiosk to the start; the ticket screen stays a little less.
 * Idle time is a duration on the device's clock, never a date shown to anyone.
 */
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
    title: t('kiosk.personDisabilityIncludingChild'),
    doc: t('kiosk.disabilityCertificate'),
  },
  {
    id: 'disability_companion',
    title: t('kiosk.companionPersonGroupI'),
    doc: t('kiosk.certificatePersonYouAccompany'),
  },
  {
    id: 'fallen_defender_family',
    title: t('kiosk.familyMemberFallenDefender'),
    doc: t('kiosk.familyMemberCertificate'),
  },
  {
    id: 'military',
    title: t('kiosk.servingMilitaryUnderMartial'),
    doc: t('kiosk.militaryId'),
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
      <h1>{t('kiosk.terminalNotActivated')}</h1>
      <p>{t('kiosk.centerAdministratorActivatesTerminal')}</p>
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
        <label htmlFor="device-key">{t('kiosk.deviceKey')}</label>
        <input
          id="device-key"
          value={deviceKey}
          onChange={(e) => setDeviceKey(e.target.value)}
          autoComplete="off"
          required
        />
        <p>
          <button type="submit" className="button big">
            {t('kiosk.activateTerminal')}
          </button>
        </p>
      </form>
      {demo ? (
        <div className="card demo">
          <h2>{t('kiosk.demoActivation')}</h2>
          <label htmlFor="center">{t('kiosk.serviceCenter')}</label>
          <select id="center" value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('kiosk.chooseCenter')}</option>
            {centers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}, {c.address}
              </option>
            ))}
          </select>
          <p>
            <button type="button" className="button big" disabled={!pick} onClick={activate}>
              {t('kiosk.activateTerminalDemo')}
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
        <LangSwitch />
      </header>
      {alertOn ? (
        <div className="k-alert" role="alert">
          {t('kiosk.airRaidAlertGo')}
        </div>
      ) : null}
      <main id="main" className="k-main">
        {step === 'start' ? (
          <section className="k-start">
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.electronicQueue')}
            </h1>
            <p className="k-lead">{t('kiosk.registerTodayTicketNumber')}</p>
            <button type="button" className="k-btn k-primary k-huge" onClick={() => go('service')}>
              {t('kiosk.joinQueue')}
            </button>
            <p className="k-note">{t('kiosk.paperTicketsIssued')}</p>
          </section>
        ) : null}

        {step === 'service' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.chooseService')}
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
                {t('kiosk.startOver')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'mode' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.howWouldYouLike')}
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
                <span className="k-choice-title">{t('kiosk.myself')}</span>
                <span className="k-choice-meta">{t('kiosk.enterDataFromDocument')}</span>
              </button>
              <button
                type="button"
                className="k-btn k-choice"
                onClick={() => {
                  setHelped(true);
                  go('person');
                }}
              >
                <span className="k-choice-title">{t('kiosk.administrator')}</span>
                <span className="k-choice-meta">{t('kiosk.showDocumentHallAdministrator')}</span>
              </button>
            </div>
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('service')}>
                ← {t('kiosk.back')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'person' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.details')}
            </h1>
            {helped ? <p className="notice notice-info">{t('kiosk.administratorFillsDataFrom')}</p> : null}
            <div className="k-person">
              <div className="k-form">
                <Field
                  id="lastName"
                  label={t('kiosk.surname')}
                  value={person.lastName}
                  active={focus === 'lastName'}
                  onFocus={() => setFocus('lastName')}
                  onChange={(v) => set('lastName', v)}
                  required
                />
                <Field
                  id="firstName"
                  label={t('kiosk.givenName')}
                  value={person.firstName}
                  active={focus === 'firstName'}
                  onFocus={() => setFocus('firstName')}
                  onChange={(v) => set('firstName', v)}
                  required
                />
                <Field
                  id="middleName"
                  label={t('kiosk.patronymicIfAny')}
                  value={person.middleName}
                  active={focus === 'middleName'}
                  onFocus={() => setFocus('middleName')}
                  onChange={(v) => set('middleName', v)}
                />
                <div className="k-field">
                  <span className="k-label" id="idkind-label">
                    {t('kiosk.document')}
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
                        {k === 'rnokpp' ? t('kiosk.taxNumber') : t('kiosk.passport')}
                      </button>
                    ))}
                  </div>
                </div>
                <Field
                  id="idValue"
                  label={
                    person.idKind === 'rnokpp'
                      ? t('kiosk.taxNumber10Digits')
                      : t('kiosk.passportSeriesNumber')
                  }
                  value={person.idValue}
                  active={focus === 'idValue'}
                  onFocus={() => setFocus('idValue')}
                  onChange={(v) => set('idValue', v)}
                  inputMode={person.idKind === 'rnokpp' ? 'numeric' : 'text'}
                  hint={person.idKind === 'passport' ? t('kiosk.idCard9Digits') : undefined}
                  required
                />
                <Field
                  id="phone"
                  label={t('kiosk.phone')}
                  value={person.phone}
                  active={focus === 'phone'}
                  onFocus={() => setFocus('phone')}
                  onChange={(v) => set('phone', v)}
                  inputMode="tel"
                />
                <Field
                  id="email"
                  label={t('kiosk.emailTicket')}
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
                ← {t('kiosk.back')}
              </button>
              <button
                type="button"
                className="k-btn k-primary"
                disabled={!personValid}
                onClick={() => go('priority')}
              >
                {t('kiosk.next')} →
              </button>
            </div>
          </section>
        ) : null}

        {step === 'priority' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.doYouBelongPriority')}
            </h1>
            <p className="k-note">{t('kiosk.priorityVisitorsServedFirst')}</p>
            <div className="k-grid" role="radiogroup" aria-label={t('kiosk.category')}>
              {/* biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics */}
              <button
                type="button"
                role="radio"
                aria-checked={category === null}
                className="k-btn k-choice"
                onClick={() => setCategory(null)}
              >
                <span className="k-choice-title">{t('kiosk.regularQueue')}</span>
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
                  <label htmlFor="f-doc">{t('kiosk.numberDocumentProvingCategory')}</label>
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
                ← {t('kiosk.back')}
              </button>
              <button
                type="button"
                className="k-btn k-primary"
                disabled={busy || (category !== null && !docNumber.trim())}
                onClick={submit}
              >
                {busy ? t('kiosk.registering') : t('kiosk.getMyNumber')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'ticket' && ticket ? (
          <section className="k-ticket" aria-live="polite">
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.number')}
            </h1>
            <p className="k-number" data-testid="ticket-number">
              {ticket.number}
            </p>
            {ticket.priority ? <p className="badge warn k-badge">{t('kiosk.priorityQueue')}</p> : null}
            <p className="k-calltime">
              {t('kiosk.expectedCallTime')}:{' '}
              <strong>{formatTime(ticket.estimatedCallTime ?? ticket.callTime)}</strong>
            </p>
            {typeof ticket.peopleAhead === 'number' ? (
              <p className="k-lead">
                {t('kiosk.peopleAhead')}: {ticket.peopleAhead}
              </p>
            ) : null}
            <p className="k-lead">
              {t('kiosk.ticketWasAlsoSent')} <strong>{ticket.emailSentTo ?? person.email}</strong>.{' '}
              {t('kiosk.watchBoardNumberAppears')}
            </p>
            <button type="button" className="k-btn k-primary k-huge" onClick={reset}>
              {t('kiosk.done')}
            </button>
            <p className="k-note">
              {t('kiosk.screenReturnsStart')} {secondsLeft} {t('kiosk.s')}
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}

function App() {
  useLang();
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
