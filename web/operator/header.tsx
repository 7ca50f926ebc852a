import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import type { DeskState } from './use-desk.js';

const roleLabel = (role: string) =>
  role === 'examiner'
    ? t('operator.roleExaminer')
    : role === 'center_head'
      ? t('operator.roleHead')
      : role === 'national_admin'
        ? t('operator.roleNational')
        : t('operator.roleAdministrator');

/** Who works where, always in view: the staff member (SSO name), the desk, the center, the time. */
export function DeskHeader({
  state,
  clock,
  live,
  onChangeDesk,
  onLogout,
}: {
  state: DeskState;
  clock: Date | null;
  live: boolean;
  onChangeDesk: () => void;
  onLogout: () => void;
}) {
  return (
    <>
      <div className="op-head" data-testid="op-head">
        <p className="op-who">
          <span className="op-name" data-testid="operator-name">
            {state.operator ? `${state.operator.name} (${roleLabel(state.operator.role)})` : '—'}
          </span>
          <span className="op-desk">{t('operator.deskNumber', { number: state.desk.number })}</span>
          <span>{state.center.name}</span>
          {clock ? <span className="mono">{formatTime(clock)}</span> : null}
          <span className={live ? 'badge ok' : 'badge warn'}>
            {live ? t('operator.liveOn') : t('operator.liveOff')}
          </span>
        </p>
        <p className="op-head-actions">
          <button type="button" className="link-button" onClick={onChangeDesk}>
            {t('operator.changeDesk')}
          </button>
          <button type="button" className="link-button" onClick={onLogout}>
            {t('operator.signOut')}
          </button>
        </p>
      </div>
      <h1 className="sr-only">{t('operator.deskNumber', { number: state.desk.number })}</h1>
    </>
  );
}

/** Leaving with a visitor called: the ticket stays at the desk (server state), but say so first. */
export function LeaveDialog({
  number,
  what,
  onStay,
  onLeave,
}: {
  number: number | null;
  what: 'logout' | 'desk';
  onStay: () => void;
  onLeave: () => void;
}) {
  return (
    <div className="notice notice-warn" role="alertdialog" aria-labelledby="leave-title">
      <p className="notice-title" id="leave-title">
        {t('operator.leaveWarnTitle', { number })}
      </p>
      <p>{t('operator.leaveWarnText')}</p>
      <div className="row">
        <button type="button" className="button" onClick={onStay}>
          {t('operator.stay')}
        </button>
        <button type="button" className="button secondary" onClick={onLeave}>
          {what === 'logout' ? t('operator.leaveAnyway') : t('operator.changeAnyway')}
        </button>
      </div>
    </div>
  );
}
