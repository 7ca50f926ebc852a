import '../shared/base.css';
import './admin.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type Center } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { logout, type SessionInfo, useSession } from '../shared/session.js';
import { StaffLogin } from '../shared/staff-login.js';
import { Loading, Shell } from '../shared/ui.js';
import { AbsencesSection } from './absences.js';
import { BlockSection } from './audit.js';
import { AuditLogSection } from './audit-log.js';
import { CapacitySection } from './capacity.js';
import { CenterSection } from './center.js';
import { DevicesSection } from './devices.js';
import { NationalHolidaysSection } from './holidays.js';
import { CentersNowSection, MartialLawSection } from './national.js';
import { DeadLettersSection, SuspicionSection } from './national-reports.js';
import { NationalNormsSection, NormsSection } from './norms.js';
import { PeriodStatsSection } from './period-stats.js';
import { StaffSection } from './roster.js';
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
/** What only the national admin runs: the whole country's rules, alerts and reports. */
const NATIONAL_TABS = [
  ['country', () => t('admin.nationalCountry')],
  ['country-stats', () => t('admin.nationalStats')],
  ['national-norms', () => t('admin.nationalNorms')],
  ['national-holidays', () => t('admin.nationalHolidays')],
  ['martial-law', () => t('admin.martialLawPolicy')],
  ['suspicion', () => t('admin.suspicionReport')],
  ['dead-letters', () => t('admin.deadLetters')],
] as const;
type Tab = (typeof TABS)[number][0] | (typeof NATIONAL_TABS)[number][0];
const ALL_TABS: ReadonlyArray<readonly [Tab, () => string]> = [...TABS, ...NATIONAL_TABS];

/** The section named in the URL (`#stats`), so back and forward move between sections. */
function tabFromUrl(national: boolean): Tab {
  const h = window.location.hash.slice(1);
  const found = (national ? ALL_TABS : TABS).find(([name]) => name === h)?.[0];
  return found ?? (national ? 'country' : 'overview');
}

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
  const [tab, setTab] = useState<Tab>(() => tabFromUrl(national));
  useEffect(() => {
    const follow = () => setTab(tabFromUrl(national));
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, [national]);
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
  const pick = (next: Tab) => {
    if (next === tab) {
      window.history.replaceState(null, '', `#${next}`);
      return;
    }
    setTab(next);
    // A new history entry per section: the back button returns to the previous one.
    window.history.pushState(null, '', `#${next}`);
  };
  const link = ([name, label]: readonly [Tab, () => string]) => (
    <li key={name}>
      <a
        href={`#${name}`}
        aria-current={tab === name ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          pick(name);
        }}
      >
        {label()}
      </a>
    </li>
  );
  const isNationalTab = NATIONAL_TABS.some(([name]) => name === tab);

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
        {national ? (
          <>
            <p className="side-group">{t('admin.wholeCountry')}</p>
            <ul>{NATIONAL_TABS.map(link)}</ul>
            <p className="side-group">{t('admin.oneCenter')}</p>
          </>
        ) : null}
        <ul>{TABS.map(link)}</ul>
        <button type="button" className="link-button" onClick={onLogout}>
          {t('admin.signOut')}
        </button>
      </nav>
      <div className="content">
        <h1>
          {ALL_TABS.find(([name]) => name === tab)?.[1]()}
          {center && !isNationalTab ? <span className="muted h1-sub"> · {center.name}</span> : null}
        </h1>
        {national && tab === 'country' ? <CentersNowSection /> : null}
        {national && tab === 'country-stats' ? <PeriodStatsSection centerId={null} /> : null}
        {national && tab === 'national-norms' ? <NationalNormsSection /> : null}
        {national && tab === 'national-holidays' ? <NationalHolidaysSection /> : null}
        {national && tab === 'martial-law' ? <MartialLawSection /> : null}
        {national && tab === 'suspicion' ? <SuspicionSection /> : null}
        {national && tab === 'dead-letters' ? <DeadLettersSection /> : null}
        {!centerId && !isNationalTab ? <Loading /> : null}
        {centerId && tab === 'overview' ? (
          <>
            <AlertSwitch centerId={centerId} />
            <StatsSection centerId={centerId} compact />
          </>
        ) : null}
        {centerId && tab === 'stats' ? <PeriodStatsSection centerId={centerId} /> : null}
        {centerId && tab === 'center' ? <CenterSection centerId={centerId} national={national} /> : null}
        {centerId && tab === 'staff' ? (
          <>
            <StaffSection centerId={centerId} />
            <AbsencesSection centerId={centerId} />
          </>
        ) : null}
        {centerId && tab === 'norms' ? <NormsSection centerId={centerId} /> : null}
        {centerId && tab === 'capacity' ? <CapacitySection centerId={centerId} /> : null}
        {centerId && tab === 'devices' ? <DevicesSection centerId={centerId} /> : null}
        {centerId && tab === 'block' ? <BlockSection centerId={centerId} /> : null}
        {centerId && tab === 'audit' ? <AuditLogSection centerId={centerId} national={national} /> : null}
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
