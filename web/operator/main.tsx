import '../shared/base.css';
import './operator.css';
import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, api, request, type Service } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { logout, type SessionInfo, useSession } from '../shared/session.js';
import { StaffLogin } from '../shared/staff-login.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote, Loading, Shell } from '../shared/ui.js';

interface Desk {
  id: string;
  number: number;
  groups: string[];
}

export interface DeskTicket {
  id: string;
  number: number | null;
  status: string;
  channel: 'online' | 'terminal';
  priority: string | null;
  priorityDocument: { type: string; number: string | null } | null;
  serviceId: string;
  serviceName: string;
  groupId: string;
  desk: number | null;
  callAt: string;
  calledAt: string | null;
  callCount: number;
  parked: boolean;
  person: {
    lastName: string;
    firstName: string;
    middleName: string | null;
    idKind: string;
    idMasked: string;
    phone: string | null;
    email: string | null;
  };
  legalEntity: { edrpou: string; name: string | null } | null;
}

interface Stats {
  waiting: { total: number; byGroup: Array<{ groupId: string; name: string; waiting: number }> };
  atDesks: number;
  served: number;
  noShows: number;
  refused: number;
  averageWaitSeconds: number | null;
}

const STAFF = ['operator', 'center_head', 'national_admin'];

interface QueueItem {
  id: string;
  number: number | null;
  serviceName: string;
  priority: string | null;
  callAt: string;
  due: boolean;
  parked: boolean;
}

export function priorityLabel(p: string | null): string {
  switch (p) {
    case 'disability':
      return t('operator.personDisability');
    case 'disability_companion':
      return t('operator.companionGroupIDisability');
    case 'fallen_defender_family':
      return t('operator.familyFallenDefender');
    case 'military':
      return t('operator.servingMilitary');
    default:
      return '';
  }
}

function Login({ onDone }: { onDone: () => void }) {
  return (
    <StaffLogin
      title={t('operator.operatorWorkstation')}
      intro={t('operator.signMiaStaffAccount')}
      returnTo="/operator"
      className="narrow-staff"
      idPrefix="op"
      demoRoles={[
        {
          role: 'operator',
          needsCenter: true,
          label: t('operator.signAsOperatorDemo'),
        },
      ]}
      onDone={onDone}
    />
  );
}

function PersonPanel({ t: ticket }: { t: DeskTicket }) {
  const [full, setFull] = useState<string | null>(null);
  const [fullDocument, setFullDocument] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reveal = async () => {
    try {
      const r = await api.post<{ value: string; priorityDocument?: { number: string } | null }>(
        `/api/v1/registrations/${ticket.id}/reveal-identity`,
      );
      setFull(r.value);
      setFullDocument(r.priorityDocument?.number ?? null);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card person" aria-labelledby="person-title">
      <h2 id="person-title">{t('operator.dataCompareDocument')}</h2>
      <dl className="kv">
        <dt>{t('operator.surname')}</dt>
        <dd className="big-text">{ticket.person.lastName}</dd>
        <dt>{t('operator.givenName')}</dt>
        <dd className="big-text">{ticket.person.firstName}</dd>
        {ticket.person.middleName ? (
          <>
            <dt>{t('operator.patronymic')}</dt>
            <dd className="big-text">{ticket.person.middleName}</dd>
          </>
        ) : null}
        <dt>{ticket.person.idKind === 'rnokpp' ? t('operator.taxNumber') : t('operator.passport')}</dt>
        <dd>
          <span className="mono">{full ?? ticket.person.idMasked}</span>{' '}
          {full ? null : (
            <button type="button" className="link-button" onClick={reveal}>
              {t('operator.showFullLogged')}
            </button>
          )}
        </dd>
        {ticket.person.phone ? (
          <>
            <dt>{t('operator.phone')}</dt>
            <dd>{ticket.person.phone}</dd>
          </>
        ) : null}
        {ticket.legalEntity ? (
          <>
            <dt>{t('operator.legalEntity')}</dt>
            <dd>
              {ticket.legalEntity.name} ({t('operator.edrpou')} {ticket.legalEntity.edrpou})
            </dd>
          </>
        ) : null}
        {ticket.priority ? (
          <>
            <dt>{t('operator.priorityCategory')}</dt>
            <dd>
              <strong>{priorityLabel(ticket.priority)}</strong>
              {ticket.priorityDocument ? (
                <>
                  <br />
                  {ticket.priorityDocument.type}:{' '}
                  <span className="mono">{fullDocument ?? ticket.priorityDocument.number}</span>
                  <br />
                  <span className="muted">{t('operator.checkOriginalDocument')}</span>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      <ErrorNote error={error} />
    </section>
  );
}

function Workstation({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const centerId = session.centerId ?? '';
  const [desks, setDesks] = useState<Desk[] | null>(null);
  const [deskId, setDeskId] = useState<string | null>(
    () => session.deskId ?? localStorage.getItem(`ez.desk.${centerId}`),
  );
  const [ticket, setTicket] = useState<DeskTicket | null>(() => {
    const saved = sessionStorage.getItem('ez.ticket');
    return saved ? (JSON.parse(saved) as DeskTicket) : null;
  });
  const [parked, setParked] = useState<DeskTicket[]>(() =>
    JSON.parse(sessionStorage.getItem('ez.parked') ?? '[]'),
  );
  const [alert, setAlert] = useState<{ active: boolean; since?: string | null }>({ active: false });
  const [stats, setStats] = useState<Stats | null>(null);
  const [waiting, setWaiting] = useState<QueueItem[] | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [examPassed, setExamPassed] = useState<boolean | null>(null);
  const [transferTo, setTransferTo] = useState('');

  useEffect(() => {
    if (ticket) sessionStorage.setItem('ez.ticket', JSON.stringify(ticket));
    else sessionStorage.removeItem('ez.ticket');
  }, [ticket]);
  useEffect(() => sessionStorage.setItem('ez.parked', JSON.stringify(parked)), [parked]);

  useEffect(() => {
    api.get<Desk[]>(`/api/v1/centers/${encodeURIComponent(centerId)}/desks`).then(setDesks, setError);
    api.get<Service[]>('/api/v1/services').then(setServices, () => undefined);
  }, [centerId]);

  const refresh = useCallback(async () => {
    const [a, s, q] = await Promise.allSettled([
      api.get<{ active: boolean; since?: string | null }>(
        `/api/v1/centers/${encodeURIComponent(centerId)}/alert`,
      ),
      api.get<Stats>(`/api/v1/centers/${encodeURIComponent(centerId)}/stats/today`),
      deskId
        ? api.get<QueueItem[]>(`/api/v1/desks/${encodeURIComponent(deskId)}/queue`)
        : Promise.resolve<QueueItem[]>([]),
    ]);
    if (a.status === 'fulfilled') setAlert(a.value);
    if (s.status === 'fulfilled') setStats(s.value);
    setWaiting(q.status === 'fulfilled' ? q.value : null);
  }, [centerId, deskId]);

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 5000);
    return () => clearInterval(t);
  }, [refresh]);

  const desk = desks?.find((d) => d.id === deskId) ?? null;
  const groups = [...new Map(services.map((s) => [s.group, s.groupName ?? s.group])).entries()];
  const groupName = (id: string) => groups.find(([g]) => g === id)?.[1] ?? id;
  const isExam = ticket ? services.find((s) => s.id === ticket.serviceId)?.isExam === true : false;

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      await run();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SERVICE_PAUSED') setAlert({ active: true });
      setError(e);
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const callNext = () =>
    act(async () => {
      if (!deskId) return;
      const res = await request<DeskTicket | null>(
        'POST',
        `/api/v1/desks/${encodeURIComponent(deskId)}/call-next`,
        {},
      );
      if (res.status === 204 || !res.body) {
        setInfo(t('operator.nobodyWaitingRightNow'));
        return;
      }
      setExamPassed(null);
      setTicket(res.body);
    });

  const move = (path: string, body: unknown, after: (t: DeskTicket) => void) =>
    act(async () => {
      if (!ticket) return;
      const t = await api.post<DeskTicket>(`/api/v1/registrations/${ticket.id}/${path}`, body);
      after(t ?? ticket);
    });

  const outcome = (o: 'served' | 'refused_mismatch' | 'no_show') =>
    act(async () => {
      if (!ticket) return;
      await api.post(`/api/v1/registrations/${ticket.id}/outcome`, {
        outcome: o,
        ...(o === 'served' && isExam && examPassed !== null ? { examPassed } : {}),
      });
      setInfo(
        `${t('operator.ticket')} ${ticket.number}: ${
          o === 'served'
            ? t('operator.served')
            : o === 'no_show'
              ? t('operator.show')
              : t('operator.refusedDataMismatch')
        }.`,
      );
      setTicket(null);
    });

  if (!desks) return <Loading />;
  if (!desk) {
    return (
      <section>
        <h1>{t('operator.chooseDesk')}</h1>
        <ErrorNote error={error} />
        <div className="grid">
          {desks.map((d) => (
            <button
              key={d.id}
              type="button"
              className="choice"
              onClick={() => {
                localStorage.setItem(`ez.desk.${centerId}`, d.id);
                setDeskId(d.id);
              }}
            >
              <span className="choice-title">
                {t('operator.desk')} {d.number}
              </span>
              <span className="choice-meta">{d.groups.map(groupName).join(', ')}</span>
            </button>
          ))}
        </div>
      </section>
    );
  }

  return (
    <div className="op">
      {alert.active ? (
        <div className="notice notice-error op-paused" role="alert">
          <p className="notice-title">{t('operator.airRaidAlertCalling')}</p>
          <p>{t('operator.leadVisitorsShelterAfter')}</p>
        </div>
      ) : null}
      <div className="row op-head">
        <h1>
          {t('operator.desk')} {desk.number}
        </h1>
        <span className="muted">{desk.groups.map(groupName).join(' · ')}</span>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            localStorage.removeItem(`ez.desk.${centerId}`);
            setDeskId(null);
          }}
        >
          {t('operator.changeDesk')}
        </button>
        <button type="button" className="link-button" onClick={onLogout}>
          {t('operator.signOut')}
        </button>
      </div>
      <div className="op-grid">
        <div>
          <section className="card current" aria-labelledby="cur-title">
            <h2 id="cur-title">{t('operator.currentVisitor')}</h2>
            {ticket ? (
              <>
                <div className="row">
                  <span className="op-number" data-testid="current-number">
                    {ticket.number}
                  </span>
                  <div>
                    <strong>{ticket.serviceName}</strong>
                    <br />
                    <span className="muted">
                      {ticket.channel === 'online' ? t('operator.online') : t('operator.terminal')} ·{' '}
                      {t('operator.time')} {formatTime(ticket.callAt)} · {t('operator.calls')}:{' '}
                      {ticket.callCount}
                    </span>
                    {ticket.priority ? (
                      <>
                        <br />
                        <span className="badge warn">
                          {t('operator.priority')}: {priorityLabel(ticket.priority)}
                        </span>
                      </>
                    ) : null}
                  </div>
                </div>
                <div className="row op-actions">
                  <button
                    type="button"
                    className="button secondary"
                    disabled={busy || alert.active}
                    onClick={() => move('recall', {}, setTicket)}
                  >
                    {t('operator.recall')}
                  </button>
                  <button
                    type="button"
                    className="button secondary"
                    disabled={busy}
                    onClick={() =>
                      move('park', {}, (t) => {
                        setParked((p) => [...p.filter((x) => x.id !== t.id), { ...t, parked: true }]);
                        setTicket(null);
                      })
                    }
                  >
                    {t('operator.park')}
                  </button>
                  <label className="sr-only" htmlFor="transfer">
                    {t('operator.transferGroup')}
                  </label>
                  <select
                    id="transfer"
                    value={transferTo}
                    onChange={(e) => setTransferTo(e.target.value)}
                    className="op-select"
                  >
                    <option value="">{t('operator.transfer')}</option>
                    {groups
                      .filter(([g]) => g !== ticket.groupId)
                      .map(([g, n]) => (
                        <option key={g} value={g}>
                          {n}
                        </option>
                      ))}
                  </select>
                  <button
                    type="button"
                    className="button secondary"
                    disabled={busy || !transferTo}
                    onClick={() =>
                      move('transfer', { groupId: transferTo }, () => {
                        setInfo(
                          `${t('operator.ticket')} ${ticket.number} ${t('operator.transferred')}: ${groupName(transferTo)}.`,
                        );
                        setTransferTo('');
                        setTicket(null);
                      })
                    }
                  >
                    {t('operator.transfer2')}
                  </button>
                </div>
                {isExam ? (
                  <fieldset className="exam">
                    <legend>{t('operator.examResult')}</legend>
                    <label>
                      <input
                        type="radio"
                        name="exam"
                        checked={examPassed === true}
                        onChange={() => setExamPassed(true)}
                      />{' '}
                      {t('operator.passed')}
                    </label>
                    <label>
                      <input
                        type="radio"
                        name="exam"
                        checked={examPassed === false}
                        onChange={() => setExamPassed(false)}
                      />{' '}
                      {t('operator.failed')}
                    </label>
                  </fieldset>
                ) : null}
                <div className="row op-actions">
                  <button
                    type="button"
                    className="button ok big"
                    disabled={busy || (isExam && examPassed === null)}
                    onClick={() => outcome('served')}
                  >
                    {t('operator.served2')}
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    disabled={busy}
                    onClick={() => outcome('refused_mismatch')}
                  >
                    {t('operator.refuseDataMismatch')}
                  </button>
                  <button
                    type="button"
                    className="button secondary"
                    disabled={busy || alert.active}
                    onClick={() => outcome('no_show')}
                  >
                    {t('operator.show2')}
                  </button>
                </div>
              </>
            ) : (
              <>
                <p className="muted">{t('operator.nobodyCalled')}</p>
                <button
                  type="button"
                  className="button big"
                  disabled={busy || alert.active}
                  onClick={callNext}
                >
                  {t('operator.callNext')}
                </button>
              </>
            )}
            {info ? (
              <p className="notice notice-ok" role="status">
                {info}
              </p>
            ) : null}
            <ErrorNote error={error} />
          </section>
          {ticket ? <PersonPanel t={ticket} /> : null}
        </div>
        <aside>
          <section className="card" aria-labelledby="queue-title">
            <h2 id="queue-title">{t('operator.queueNow')}</h2>
            {stats ? (
              <>
                <p className="op-waiting">
                  {t('operator.waiting')}: <strong>{stats.waiting.total}</strong>
                </p>
                <table>
                  <caption className="sr-only">{t('operator.waitingServiceGroup')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('operator.serviceGroup')}</th>
                      <th scope="col">{t('operator.waiting')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.waiting.byGroup.map((g) => (
                      <tr key={g.groupId} className={desk.groups.includes(g.groupId) ? 'mine' : ''}>
                        <td>{g.name}</td>
                        <td>{g.waiting}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {waiting?.length ? (
                  <>
                    <h3>{t('operator.nextDesk')}</h3>
                    <ol className="plain op-next">
                      {waiting.slice(0, 12).map((w) => (
                        <li key={w.id}>
                          <strong>{w.number}</strong> {formatTime(w.callAt)}{' '}
                          <span className="muted">
                            {w.serviceName}
                            {w.priority ? ` · ${priorityLabel(w.priority)}` : ''}
                            {w.parked
                              ? ` · ${t('operator.parked')}`
                              : w.due
                                ? ''
                                : ` · ${t('operator.notYetDue')}`}
                          </span>
                        </li>
                      ))}
                    </ol>
                  </>
                ) : null}
                <p className="muted small">
                  {t('operator.servedToday')}: {stats.served} · {t('operator.shows')}: {stats.noShows} ·{' '}
                  {t('operator.refused')}: {stats.refused}
                </p>
              </>
            ) : (
              <p className="muted">{t('operator.queueDataUnavailable')}</p>
            )}
          </section>
          {parked.length ? (
            <section className="card" aria-labelledby="parked-title">
              <h2 id="parked-title">{t('operator.parked2')}</h2>
              <ul className="plain">
                {parked.map((p) => (
                  <li key={p.id} className="row">
                    <strong>{p.number}</strong> {p.serviceName}
                    <button
                      type="button"
                      className="button secondary"
                      disabled={busy}
                      onClick={() =>
                        act(async () => {
                          await api.post(`/api/v1/registrations/${p.id}/unpark`);
                          setParked((list) => list.filter((x) => x.id !== p.id));
                        })
                      }
                    >
                      {t('operator.backQueue')}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

function App() {
  useLang();
  const { session, reload: load } = useSession();
  const signedIn = session?.authenticated && STAFF.includes(session.role ?? '') && session.centerId;
  return (
    <Shell title="Е-Запис" subtitle={t('operator.operatorWorkstation')}>
      {!session ? (
        <Loading />
      ) : signedIn ? (
        <Workstation
          session={session}
          onLogout={() => {
            sessionStorage.clear();
            void logout().then(load);
          }}
        />
      ) : (
        <Login onDone={load} />
      )}
    </Shell>
  );
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
