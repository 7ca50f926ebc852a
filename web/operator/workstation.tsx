import { useCallback, useEffect, useRef, useState } from 'react';
import { api, request, type Service } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote, Loading } from '../shared/ui.js';
import { DeskHeader, LeaveDialog } from './header.js';
import { Key, ParkedPanel, PersonPanel, priorityLabel, QueuePanel } from './panels.js';
import { type DeskTicket, useDesk } from './use-desk.js';

/** How long a no-show or a refusal can still be taken back before it is sent. */
export const UNDO_SECONDS = 5;

type Final = 'no_show' | 'refused_mismatch';
interface Pending {
  kind: Final;
  id: string;
  number: number | null;
  left: number;
}

/** Keys typed into a field are the field's, not shortcuts. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
}

export function Workstation({
  centerId,
  deskId,
  services,
  onChangeDesk,
  onLogout,
}: {
  centerId: string;
  deskId: string;
  services: Service[];
  onChangeDesk: () => void;
  onLogout: () => void;
}) {
  const { state, queue, loadError, live, refresh } = useDesk(centerId, deskId);
  const clock = useServerTime();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [examPassed, setExamPassed] = useState<boolean | null>(null);
  const [transferTo, setTransferTo] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [leaving, setLeaving] = useState<'logout' | 'desk' | null>(null);
  const ticket: DeskTicket | null = state?.current ?? null;

  const act = useCallback(
    async (run: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      setInfo(null);
      try {
        await run();
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
        await refresh();
      }
    },
    [refresh],
  );

  const callNext = () =>
    act(async () => {
      const res = await request<DeskTicket | null>(
        'POST',
        `/api/v1/desks/${encodeURIComponent(deskId)}/call-next`,
        {},
      );
      setExamPassed(null);
      if (res.status === 204 || !res.body) setInfo(t('operator.nobodyWaitingRightNow'));
    });
  const post = (id: string, path: string, body?: unknown) =>
    act(async () => {
      await api.post(`/api/v1/registrations/${id}/${path}`, body);
    });
  const isExam = ticket ? services.find((s) => s.id === ticket.serviceId)?.isExam === true : false;
  const served = () =>
    ticket &&
    act(async () => {
      await api.post(`/api/v1/registrations/${ticket.id}/outcome`, {
        outcome: 'served',
        ...(isExam && examPassed !== null ? { examPassed } : {}),
      });
      setInfo(`${t('operator.ticket')} ${ticket.number}: ${t('operator.served')}.`);
    });

  // A no-show or a refusal is sent only after the undo window: a slip of the hand costs nothing.
  const send = useRef<(p: Pending) => void>(() => undefined);
  send.current = (p: Pending) =>
    act(async () => {
      await api.post(`/api/v1/registrations/${p.id}/outcome`, { outcome: p.kind });
      setInfo(
        `${t('operator.ticket')} ${p.number}: ${
          p.kind === 'no_show' ? t('operator.show') : t('operator.refusedDataMismatch')
        }.`,
      );
    });
  useEffect(() => {
    if (!pending) return;
    if (pending.left <= 0) {
      setPending(null);
      send.current(pending);
      return;
    }
    const tick = setTimeout(() => setPending((p) => (p ? { ...p, left: p.left - 1 } : p)), 1000);
    return () => clearTimeout(tick);
  }, [pending]);
  const schedule = (kind: Final) =>
    ticket && setPending({ kind, id: ticket.id, number: ticket.number, left: UNDO_SECONDS });

  const groups = [...new Map(services.map((s) => [s.group, s.groupName ?? s.group])).entries()];
  const groupName = (id: string) => groups.find(([g]) => g === id)?.[1] ?? id;
  const noShowAllowed = ticket !== null && state !== null && ticket.callCount >= state.callsBeforeNoShow;
  const paused = state?.alert.active === true;
  const locked = busy || pending !== null;

  // Keyboard shortcuts of the common actions (layout-independent: the key's position).
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || locked || leaving) return;
    const run: Record<string, (() => unknown) | null> = {
      KeyN: !ticket && !paused ? callNext : null,
      KeyR: ticket && !paused && !noShowAllowed ? () => post(ticket.id, 'recall') : null,
      KeyS: ticket && !(isExam && examPassed === null) ? served : null,
      KeyP: ticket ? () => post(ticket.id, 'park') : null,
    };
    const action = run[e.code];
    if (action) {
      e.preventDefault();
      action();
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Closing the tab with a visitor at the desk asks first (the ticket stays on the server).
  useEffect(() => {
    if (!ticket) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [ticket]);

  const leave = (what: 'logout' | 'desk') => {
    if (ticket) setLeaving(what);
    else if (what === 'logout') onLogout();
    else onChangeDesk();
  };

  if (!state) return loadError ? <ErrorNote error={loadError} onRetry={() => void refresh()} /> : <Loading />;

  return (
    <div className="op">
      <DeskHeader
        state={state}
        clock={clock?.now ?? null}
        live={live}
        onChangeDesk={() => leave('desk')}
        onLogout={() => leave('logout')}
      />
      {leaving && ticket ? (
        <LeaveDialog
          number={ticket.number}
          what={leaving}
          onStay={() => setLeaving(null)}
          onLeave={() => {
            setLeaving(null);
            if (leaving === 'logout') onLogout();
            else onChangeDesk();
          }}
        />
      ) : null}
      {paused ? (
        <div className="notice notice-error op-paused" role="alert">
          <p className="notice-title">{t('operator.airRaidAlertCalling')}</p>
          <p>{t('operator.leadVisitorsShelterAfter')}</p>
        </div>
      ) : null}
      <div className="op-grid">
        <section className="card current" aria-labelledby="cur-title">
          <h2 id="cur-title">{t('operator.currentVisitor')}</h2>
          {ticket ? (
            <>
              <div className="row op-ticket">
                <span className="op-number" data-testid="current-number">
                  {ticket.number}
                </span>
                <div>
                  <strong>{ticket.serviceName}</strong>
                  <br />
                  <span className="muted">
                    {ticket.channel === 'online' ? t('operator.online') : t('operator.terminal')} ·{' '}
                    {t('operator.time')} {formatTime(ticket.callAt)} ·{' '}
                    <span data-testid="call-count">
                      {t('operator.callCount', { count: ticket.callCount })}
                    </span>
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
                  aria-keyshortcuts="S"
                  disabled={locked || (isExam && examPassed === null)}
                  onClick={served}
                >
                  {t('operator.served2')} <Key k="S" />
                </button>
                <button
                  type="button"
                  className="button secondary"
                  aria-keyshortcuts="R"
                  // At the threshold the server turns a recall into a no-show: that goes through
                  // "Не з’явився" and its undo instead.
                  disabled={locked || paused || noShowAllowed}
                  onClick={() => post(ticket.id, 'recall')}
                >
                  {t('operator.recall')} <Key k="R" />
                </button>
                <button
                  type="button"
                  className="button secondary"
                  aria-keyshortcuts="P"
                  disabled={locked}
                  onClick={() => post(ticket.id, 'park')}
                >
                  {t('operator.park')} <Key k="P" />
                </button>
              </div>
              <div className="row op-actions">
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
                  disabled={locked || !transferTo}
                  onClick={() => {
                    const to = transferTo;
                    void post(ticket.id, 'transfer', { groupId: to }).then(() => setTransferTo(''));
                    setInfo(
                      `${t('operator.ticket')} ${ticket.number} ${t('operator.transferred')}: ${groupName(to)}.`,
                    );
                  }}
                >
                  {t('operator.transfer2')}
                </button>
              </div>
              <fieldset className="op-problems">
                <legend>{t('operator.notServedTitle')}</legend>
                <div className="row">
                  <button
                    type="button"
                    className="button secondary"
                    disabled={locked || paused || !noShowAllowed}
                    aria-describedby="no-show-hint"
                    onClick={() => schedule('no_show')}
                  >
                    {t('operator.show2')}
                  </button>
                  <button
                    type="button"
                    className="button danger op-refuse"
                    disabled={locked}
                    onClick={() => schedule('refused_mismatch')}
                  >
                    {t('operator.refuseDataMismatch')}
                  </button>
                </div>
                <p className="muted small" id="no-show-hint">
                  {t('operator.noShowAfter', { count: state.callsBeforeNoShow })}
                </p>
              </fieldset>
            </>
          ) : (
            <>
              <p className="muted">{t('operator.deskFree')}</p>
              <button
                type="button"
                className="button big"
                aria-keyshortcuts="N"
                disabled={locked || paused}
                onClick={callNext}
              >
                {t('operator.callNext')} <Key k="N" />
              </button>
            </>
          )}
          {pending ? (
            <div className="notice notice-warn op-undo" role="status">
              <p className="notice-title">
                {t(pending.kind === 'no_show' ? 'operator.pendingNoShow' : 'operator.pendingRefusal', {
                  number: pending.number,
                  seconds: pending.left,
                })}
              </p>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setPending(null);
                  setInfo(t('operator.undone'));
                }}
              >
                {t('operator.undo')}
              </button>
            </div>
          ) : null}
          {state.alsoCalled.length ? (
            <div className="notice notice-warn" data-testid="also-called">
              <p className="notice-title">{t('operator.alsoCalledTitle')}</p>
              <ul className="plain">
                {state.alsoCalled.map((c) => (
                  <li key={c.id} className="row">
                    <strong>{c.number}</strong> <span className="muted">{formatTime(c.calledAt)}</span>
                    <button
                      type="button"
                      className="button secondary"
                      disabled={locked}
                      onClick={() => post(c.id, 'park')}
                    >
                      {t('operator.park')}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {info ? (
            <p className="notice notice-ok" role="status">
              {info}
            </p>
          ) : null}
          <ErrorNote error={error} />
          <p className="muted small op-shortcuts">{t('operator.shortcutsHelp')}</p>
        </section>
        {ticket ? <PersonPanel key={ticket.id} ticket={ticket} /> : null}
        <aside className="op-side">
          <ParkedPanel state={state} busy={locked} onReturn={(id) => post(id, 'unpark')} />
          <QueuePanel state={state} queue={queue} />
        </aside>
      </div>
    </div>
  );
}
