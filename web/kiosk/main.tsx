import '../shared/base.css';
import './kiosk.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, api, type Center, type Service } from '../shared/api.js';
import { addressOf, documentsOf, nameOf } from '../shared/catalog-names.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { currentSession, queryParam } from '../shared/session.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote, LangSwitch, Loading } from '../shared/ui.js';
import { type CheckedIn, CheckedInView, CheckIn } from './check-in.js';
import {
  Categories,
  type Category,
  categories,
  ExamCategories,
  type FreeTime,
  ServiceList,
  TimeChoice,
} from './choices.js';
import { OnScreenKeyboard } from './keyboard.js';
import { emptyPerson, fieldsOf, type PersonForm, PersonStep, problemOf } from './person-steps.js';
import { Setup } from './setup.js';
import { type Ticket, TicketView } from './ticket-view.js';
import { type FieldId, fieldOfPath, type Problem } from './validate.js';

/** Inactivity on any step returns the kiosk to the start; the ticket screen stays a little less.
 * Idle time is a duration on the device's clock, never a date shown to anyone.
 */
const IDLE_MS = 90_000;
const TICKET_MS = 30_000;

type Step =
  | 'start'
  | 'service'
  | 'exam'
  | 'time'
  | 'mode'
  | 'person'
  | 'priority'
  | 'ticket'
  | 'checkin'
  | 'arrived';

function Kiosk({ centerId }: { centerId: string }) {
  const clock = useServerTime();
  const [center, setCenter] = useState<Center | null>(null);
  const [services, setServices] = useState<Service[] | null>(null);
  const [alertOn, setAlertOn] = useState(false);
  const [step, setStep] = useState<Step>('start');
  const [service, setService] = useState<Service | null>(null);
  const [examCategory, setExamCategory] = useState<string | null>(null);
  const [times, setTimes] = useState<FreeTime[] | null>(null);
  const [callTime, setCallTime] = useState<string | null>(null);
  const [helped, setHelped] = useState(false);
  const [person, setPerson] = useState<PersonForm>(emptyPerson);
  const [fieldIndex, setFieldIndex] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [category, setCategory] = useState<Category | null>(null);
  const [docNumber, setDocNumber] = useState('');
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [arrived, setArrived] = useState<CheckedIn | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [, setTick] = useState(0);
  const lastTouch = useRef(Date.now());
  const fields = fieldsOf(person);
  const field = (fields[fieldIndex] ?? fields[0]) as FieldId;
  // SPEC §2 Exams: a practical exam asks the vehicle category, among those this center examines.
  const offeredCategories = (svc: Service | null) =>
    (svc?.examCategories ?? []).filter((c) => center?.examCategories.includes(c));
  const isExam = (svc: Service | null) => (svc?.examCategories ?? []).length > 0;

  const reset = useCallback(() => {
    setStep('start');
    setService(null);
    setExamCategory(null);
    setTimes(null);
    setCallTime(null);
    setHelped(false);
    setPerson(emptyPerson);
    setFieldIndex(0);
    setProblem(null);
    setCategory(null);
    setDocNumber('');
    setTicket(null);
    setArrived(null);
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
    const timer = setInterval(loadAlert, 30_000);
    return () => clearInterval(timer);
  }, [centerId]);

  // Back to the start after inactivity, so the next visitor never sees someone else's data.
  useEffect(() => {
    const touch = () => {
      lastTouch.current = Date.now();
    };
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    const timer = setInterval(() => {
      const limit = step === 'ticket' || step === 'arrived' ? TICKET_MS : IDLE_MS;
      if (step !== 'start' && Date.now() - lastTouch.current > limit) reset();
      setTick((n) => n + 1);
    }, 1000);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
      clearInterval(timer);
    };
  }, [step, reset]);

  const go = (next: Step) => {
    lastTouch.current = Date.now();
    setError(null);
    setStep(next);
    requestAnimationFrame(() => {
      if (next !== 'person') document.getElementById('k-title')?.focus();
    });
  };

  const chooseService = (s: Service) => {
    setService(s);
    if (isExam(s)) {
      setExamCategory(null);
      go('exam');
    } else showTimes(s);
  };

  // Rule 8: a practical exam's times are only those its vehicle category still has places for.
  const showTimes = (s: Service, vehicle: string | null = null) => {
    setTimes(null);
    setCallTime(null);
    go('time');
    const forCategory = vehicle ? `&category=${encodeURIComponent(vehicle)}` : '';
    api
      .get<FreeTime[]>(
        `/api/v1/centers/${encodeURIComponent(centerId)}/terminal/times?service=${encodeURIComponent(s.id)}${forCategory}`,
      )
      .then(setTimes, setError);
  };

  const setValue = (value: string) => {
    const next = { ...person, [field]: value };
    setPerson(next);
    setProblem(problemOf(field, next, false));
  };

  const nextField = () => {
    const p = problemOf(field, person, true);
    setProblem(p);
    if (p) return;
    if (fieldIndex + 1 < fields.length) {
      setFieldIndex(fieldIndex + 1);
      lastTouch.current = Date.now();
    } else go('priority');
  };
  const prevField = () => {
    setProblem(null);
    if (fieldIndex > 0) setFieldIndex(fieldIndex - 1);
    else go('mode');
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
          ...(callTime ? { callTime } : {}),
          ...(examCategory ? { examCategory } : {}),
          ...(person.forEntity
            ? { legalEntity: { edrpou: person.edrpou.replace(/\s/g, ''), name: person.entityName.trim() } }
            : {}),
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
      // A field the server refused is shown on that field's own step.
      const path = e instanceof ApiError ? e.fieldErrors[0]?.field : undefined;
      const at = path ? fieldOfPath(path) : null;
      if (at) {
        setFieldIndex(Math.max(0, fields.indexOf(at)));
        setProblem(
          at === 'idValue'
            ? person.idKind === 'rnokpp'
              ? 'rnokppChecksum'
              : 'passportFormat'
            : at === 'edrpou'
              ? 'edrpouChecksum'
              : 'required',
        );
        go('person');
      } else if (path?.endsWith('examCategory')) {
        // The category was refused (the center's cars changed meanwhile): choose again.
        go('exam');
        setError(e);
      } else if (e instanceof ApiError && e.code === 'SLOT_TAKEN' && callTime) {
        // The chosen time was taken meanwhile: back to the times, read afresh, with the reason shown.
        showTimes(service, examCategory);
        setError(e);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const secondsLeft = Math.max(0, Math.ceil((TICKET_MS - (Date.now() - lastTouch.current)) / 1000));
  const now = clock?.now.getTime() ?? 0;
  const timeLabel = (iso: string) => (Date.parse(iso) <= now ? t('kiosk.now') : formatTime(iso));

  return (
    <div className="kiosk">
      <header className="k-top">
        <div>
          <span className="k-brand">Е-Запис</span>
          <span className="k-center">{center ? `${nameOf(center)} · ${addressOf(center)}` : ''}</span>
        </div>
        <span className="k-clock">{clock ? formatTime(clock.now) : ''}</span>
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
            <div className="k-start-actions">
              <button type="button" className="k-btn k-primary k-huge" onClick={() => go('service')}>
                {t('kiosk.joinQueue')}
              </button>
              <button type="button" className="k-btn k-secondary k-huge" onClick={() => go('checkin')}>
                {t('kiosk.iHaveRegistration')}
              </button>
            </div>
            <p className="k-note">{t('kiosk.paperTicketsIssued')}</p>
          </section>
        ) : null}

        {step === 'service' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.chooseService')}
            </h1>
            {!services ? <Loading /> : null}
            <ServiceList services={services ?? []} onChoose={chooseService} />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={reset}>
                {t('kiosk.startOver')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'exam' && service ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.chooseVehicleCategory')}
            </h1>
            <p className="k-lead">{nameOf(service)}</p>
            {offeredCategories(service).length ? (
              <>
                <p className="k-note">{t('kiosk.examCategoryNote')}</p>
                <ExamCategories
                  categories={offeredCategories(service)}
                  chosen={examCategory}
                  onChoose={(c) => {
                    setExamCategory(c);
                    showTimes(service, c);
                  }}
                />
              </>
            ) : (
              <p className="notice notice-warn">{t('kiosk.noExamHere')}</p>
            )}
            <ErrorNote error={error} />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('service')}>
                ← {t('kiosk.back')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'time' && service ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.chooseTime')}
            </h1>
            <p className="k-lead">
              {nameOf(service)}
              {examCategory ? ` · ${t('kiosk.categoryLetter', { category: examCategory })}` : ''}
            </p>
            {!times ? <Loading /> : null}
            {times && times.length === 0 ? (
              <p className="notice notice-warn">{t('kiosk.noTimesToday')}</p>
            ) : null}
            {times && times.length > 0 ? (
              <TimeChoice times={times} callTime={callTime} onChoose={setCallTime} label={timeLabel} />
            ) : null}
            {documentsOf(service).length ? (
              <p className="k-note">
                {t('kiosk.bringDocuments')}: {documentsOf(service).join(', ')}
              </p>
            ) : null}
            <ErrorNote error={error} />
            <div className="k-nav">
              <button
                type="button"
                className="k-btn k-secondary"
                onClick={() => go(isExam(service) ? 'exam' : 'service')}
              >
                ← {t('kiosk.back')}
              </button>
              <button type="button" className="k-btn k-primary" onClick={() => go('mode')} disabled={!times}>
                {t('kiosk.next')} →
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
                  setFieldIndex(0);
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
                  setFieldIndex(0);
                  go('person');
                }}
              >
                <span className="k-choice-title">{t('kiosk.administrator')}</span>
                <span className="k-choice-meta">{t('kiosk.showDocumentHallAdministrator')}</span>
              </button>
            </div>
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={() => go('time')}>
                ← {t('kiosk.back')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'person' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {field === 'edrpou' || field === 'entityName'
                ? t('kiosk.entityDetails')
                : person.forEntity
                  ? t('kiosk.representativeDetails')
                  : t('kiosk.details')}{' '}
              <span className="k-progress">
                {t('kiosk.stepOf', { n: fieldIndex + 1, total: fields.length })}
              </span>
            </h1>
            {helped ? <p className="notice notice-info">{t('kiosk.administratorFillsDataFrom')}</p> : null}
            <PersonStep
              field={field}
              person={person}
              problem={problem}
              first={fieldIndex === 0}
              onChange={setValue}
              onEntity={(on) => {
                setPerson((p) => ({ ...p, forEntity: on }));
                setFieldIndex(0);
                setProblem(null);
              }}
              onKind={(kind) => {
                setPerson((p) => ({ ...p, idKind: kind }));
                setProblem(null);
              }}
              onSubmit={nextField}
            />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={prevField}>
                ← {t('kiosk.back')}
              </button>
              <button type="button" className="k-btn k-primary" onClick={nextField}>
                {field === 'middleName' && !person.middleName.trim() ? t('kiosk.skip') : t('kiosk.next')} →
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
            <Categories category={category} onChoose={setCategory} />
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
                <OnScreenKeyboard
                  onKey={(ch) => setDocNumber((d) => d + ch)}
                  onBackspace={() => setDocNumber((d) => d.slice(0, -1))}
                  latin={false}
                />
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
            <TicketView ticket={ticket} email={person.email} />
            <button type="button" className="k-btn k-primary k-huge" onClick={reset}>
              {t('kiosk.done')}
            </button>
            <p className="k-note">{t('kiosk.screenReturnsInSeconds', { seconds: secondsLeft })}</p>
          </section>
        ) : null}

        {step === 'checkin' ? (
          <section>
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.iHaveRegistration')}
            </h1>
            <p className="k-lead">{t('kiosk.scanOrType')}</p>
            <CheckIn
              centerId={centerId}
              onDone={(r) => {
                setArrived(r);
                go('arrived');
              }}
            />
            <div className="k-nav">
              <button type="button" className="k-btn k-secondary" onClick={reset}>
                ← {t('kiosk.back')}
              </button>
            </div>
          </section>
        ) : null}

        {step === 'arrived' && arrived ? (
          <section className="k-ticket" aria-live="polite">
            <h1 id="k-title" tabIndex={-1}>
              {t('kiosk.welcome')}
            </h1>
            <CheckedInView result={arrived} />
            <button type="button" className="k-btn k-primary k-huge" onClick={reset}>
              {t('kiosk.done')}
            </button>
            <p className="k-note">{t('kiosk.screenReturnsInSeconds', { seconds: secondsLeft })}</p>
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
  const onReady = useCallback(() => {
    setCenterId(queryParam('center'));
    void check();
  }, [check]);
  if (ready === null) return <Loading />;
  if (!ready || !centerId) return <Setup centerId={centerId} onReady={onReady} />;
  return <Kiosk centerId={centerId} />;
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
