import '../shared/base.css';
import './operator.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { deskView } from '../../src/catalog/catalog-api-schema.js';
import { type Answer, api, type Service } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { logout, type SessionInfo, useSession } from '../shared/session.js';
import { StaffLogin } from '../shared/staff-login.js';
import { ErrorNote, Loading, Shell } from '../shared/ui.js';
import { Workstation } from './workstation.js';

type Desk = Answer<typeof deskView>;

const STAFF = ['operator', 'center_head', 'national_admin'];

function Login({ onDone }: { onDone: () => void }) {
  return (
    <StaffLogin
      title={t('operator.operatorWorkstation')}
      intro={t('operator.signMiaStaffAccount')}
      returnTo="/operator"
      className="narrow-staff"
      idPrefix="op"
      demoRoles={[{ role: 'operator', needsCenter: true, label: t('operator.signAsOperatorDemo') }]}
      onDone={onDone}
    />
  );
}

/**
 * The desk choice is this browser's preference (which window the operator sits at); the desk's
 * visitors are server state, read by the workstation.
 */
function DeskPicker({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const centerId = session.centerId ?? '';
  const [desks, setDesks] = useState<Desk[] | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [deskId, setDeskId] = useState<string | null>(
    () => session.deskId ?? localStorage.getItem(`ez.desk.${centerId}`),
  );
  useEffect(() => {
    api.get<Desk[]>(`/api/v1/centers/${encodeURIComponent(centerId)}/desks`).then(setDesks, setError);
    api.get<Service[]>('/api/v1/services').then(setServices, () => undefined);
  }, [centerId]);

  if (!desks) return error ? <ErrorNote error={error} /> : <Loading />;
  const desk = desks.find((d) => d.id === deskId);
  if (desk) {
    return (
      <Workstation
        centerId={centerId}
        deskId={desk.id}
        services={services}
        onChangeDesk={() => {
          localStorage.removeItem(`ez.desk.${centerId}`);
          setDeskId(null);
        }}
        onLogout={onLogout}
      />
    );
  }
  const groupName = (id: string) => services.find((s) => s.group === id)?.groupName ?? id;
  return (
    <section>
      <h1>{t('operator.chooseDesk')}</h1>
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
            <span className="choice-title">{t('operator.deskNumber', { number: d.number })}</span>
            <span className="choice-meta">{[...new Set(d.groups.map(groupName))].join(', ')}</span>
          </button>
        ))}
      </div>
      <button type="button" className="link-button" onClick={onLogout}>
        {t('operator.signOut')}
      </button>
    </section>
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
        <DeskPicker session={session} onLogout={() => void logout().then(load)} />
      ) : (
        <Login onDone={load} />
      )}
    </Shell>
  );
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
