import { useEffect, useState } from 'react';
import { api, type Center } from './api.js';
import { t } from './i18n.js';
import { demoAvailable, demoLogin } from './session.js';
import { ErrorNote } from './ui.js';

export interface DemoRole {
  role: 'operator' | 'center_head' | 'national_admin';
  label: string;
  /** The demo session is bound to the chosen center. */
  needsCenter: boolean;
  secondary?: boolean;
}

/**
 * The staff sign-in of the operator workstation and the admin console: the ministry's single
 * sign-on, and in demo mode a center picker with demo sign-in buttons.
 */
export function StaffLogin(props: {
  title: string;
  intro: string;
  returnTo: string;
  className: string;
  idPrefix: string;
  demoRoles: DemoRole[];
  onDone: () => void;
}) {
  const [demo, setDemo] = useState(false);
  const [centers, setCenters] = useState<Center[]>([]);
  const [center, setCenter] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void demoAvailable().then(setDemo);
    api.get<Center[]>('/api/v1/centers').then(setCenters, setError);
  }, []);
  const selectId = `${props.idPrefix}-center`;
  return (
    <section className={props.className}>
      <h1>{props.title}</h1>
      <div className="card">
        <p>{props.intro}</p>
        <a className="button big" href={`/auth/staff/login?returnTo=${encodeURIComponent(props.returnTo)}`}>
          {t('shared.signStaffSingleSign')}
        </a>
      </div>
      {demo ? (
        <div className="card demo">
          <h2>{t('shared.demoSign')}</h2>
          <label htmlFor={selectId}>{t('shared.serviceCenter')}</label>
          <select id={selectId} value={center} onChange={(e) => setCenter(e.target.value)}>
            <option value="">{t('shared.chooseCenter')}</option>
            {centers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <div className="row" style={{ marginTop: '0.75rem' }}>
            {props.demoRoles.map((r) => (
              <button
                key={r.role}
                type="button"
                className={r.secondary ? 'button secondary' : 'button'}
                disabled={r.needsCenter && !center}
                onClick={() =>
                  demoLogin(r.needsCenter ? { role: r.role, centerId: center } : { role: r.role }).then(
                    props.onDone,
                    (e: unknown) => setError(e),
                  )
                }
              >
                {r.label}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}
