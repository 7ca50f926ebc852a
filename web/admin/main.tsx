import '../shared/base.css';
import './admin.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type Center } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { logout, type SessionInfo, useSession } from '../shared/session.js';
import { StaffLogin } from '../shared/staff-login.js';
import { Loading, Shell } from '../shared/ui.js';
import { AuditSection, BlockSection } from './audit.js';
import { CapacitySection } from './capacity.js';
import { CenterSection, NormsSection, StaffSection } from './center.js';
import { DevicesSection } from './devices.js';
import { AlertSwitch, StatsSection } from './stats.js';

const TABS = [
  ['overview', () => t('admin.overviewAlert')],
  ['stats', () => t('admin.statistics')],
  ['center', () => t('admin.hoursHolidays')],
  ['staff', () => t('admin.desksStaffRoster')],
  ['norms', () => t('admin.norms')],
  ['capacity', () => t('admin.capacityConflicts')],
  ['devices', () => t('admin.kiosksBoards')],
  ['block', () => t('admin.liftBlock2')],
  ['audit', () => t('admin.auditLog')],
] as const;
type Tab = (typeof TABS)[number][0];

function Login({ onDone }: { onDone: () => void }) {
  return (
    <StaffLogin
      title={t('admin.adminConsole')}
      intro={t('admin.centerHeadsNationalAdministrators')}
      returnTo="/admin"
      className="narrow-admin"
      idPrefix="ad"
      demoRoles={[
        {
          role: 'center_head',
          needsCenter: true,
          label: t('admin.signAsCenterHead'),
        },
        {
          role: 'national_admin',
          needsCenter: false,
          secondary: true,
          label: t('admin.signAsNationalAdmin'),
        },
      ]}
      onDone={onDone}
    />
  );
}

function Console({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const national = session.role === 'national_admin';
  const [centers, setCenters] = useState<Center[]>([]);
  const [centerId, setCenterId] = useState<string>(session.centerId ?? '');
  const [tab, setTab] = useState<Tab>(() => {
    const h = window.location.hash.slice(1);
    return (TABS.find(([t]) => t === h)?.[0] ?? 'overview') as Tab;
  });
  useEffect(() => {
    api.get<Center[]>('/api/v1/centers').then(
      (list) => {
        setCenters(list);
        setCenterId((c) => c || list[0]?.id || '');
      },
      () => undefined,
    );
  }, []);
  const center = centers.find((c) => c.id === centerId);
  const pick = (t: Tab) => {
    setTab(t);
    window.history.replaceState(null, '', `#${t}`);
  };

  return (
    <div className="admin">
      <nav className="side" aria-label={t('admin.consoleSections')}>
        <p className="side-who">{national ? t('admin.nationalAdmin') : t('admin.centerHead')}</p>
        {national ? (
          <>
            <label htmlFor="center-pick">{t('admin.center')}</label>
            <select id="center-pick" value={centerId} onChange={(e) => setCenterId(e.target.value)}>
              {centers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          <p className="side-center">{center?.name}</p>
        )}
        <ul>
          {TABS.map(([t, name]) => (
            <li key={t}>
              <a
                href={`#${t}`}
                aria-current={tab === t ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  pick(t);
                }}
              >
                {name()}
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="link-button" onClick={onLogout}>
          {t('admin.signOut')}
        </button>
      </nav>
      <div className="content">
        <h1>
          {TABS.find(([t]) => t === tab)?.[1]()}
          {center ? <span className="muted h1-sub"> · {center.name}</span> : null}
        </h1>
        {!centerId ? <Loading /> : null}
        {centerId && tab === 'overview' ? (
          <>
            <AlertSwitch centerId={centerId} />
            <StatsSection centerId={centerId} compact />
          </>
        ) : null}
        {centerId && tab === 'stats' ? <StatsSection centerId={centerId} /> : null}
        {centerId && tab === 'center' ? <CenterSection centerId={centerId} national={national} /> : null}
        {centerId && tab === 'staff' ? <StaffSection centerId={centerId} /> : null}
        {centerId && tab === 'norms' ? <NormsSection centerId={centerId} /> : null}
        {centerId && tab === 'capacity' ? <CapacitySection centerId={centerId} /> : null}
        {centerId && tab === 'devices' ? <DevicesSection centerId={centerId} /> : null}
        {centerId && tab === 'block' ? <BlockSection centerId={centerId} /> : null}
        {centerId && tab === 'audit' ? <AuditSection centerId={centerId} national={national} /> : null}
      </div>
    </div>
  );
}

function App() {
  useLang();
  const { session, reload: load } = useSession();
  const ok = session?.authenticated && ['center_head', 'national_admin'].includes(session.role ?? '');
  return (
    <Shell title="Е-Запис" subtitle={t('admin.adminConsole')}>
      {!session ? (
        <Loading />
      ) : ok ? (
        <Console session={session} onLogout={() => void logout().then(load)} />
      ) : (
        <Login onDone={load} />
      )}
    </Shell>
  );
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
