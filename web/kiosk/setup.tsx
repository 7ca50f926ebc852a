import { useCallback, useEffect, useState } from 'react';
import { api, type Center } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { demoAvailable, demoLogin, queryParam } from '../shared/session.js';
import { ErrorNote } from '../shared/ui.js';
import { QrScanner } from './check-in.js';
import { OnScreenKeyboard } from './keyboard.js';

/** The activation code inside a scanned link (…/kiosk/?activate=CODE) or typed as is. */
function codeOf(value: string): string {
  try {
    return new URL(value).searchParams.get('activate') ?? value;
  } catch {
    return value;
  }
}

/**
 * The kiosk's first start: the center head's console shows an 8-character code and a QR of a
 * link carrying it; the kiosk takes the code typed, scanned by its camera, or from the link it
 * was opened with. The code is single use and lives 10 minutes.
 */
export function Setup({ centerId, onReady }: { centerId: string | null; onReady: () => void }) {
  const [demo, setDemo] = useState(false);
  const [centers, setCenters] = useState<Center[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [pick, setPick] = useState(centerId ?? '');
  const [code, setCode] = useState(queryParam('activate') ?? '');
  const activate = useCallback(
    (typed: string) => {
      api.post<{ centerId: string }>('/api/v1/devices/session', { code: codeOf(typed).trim() }).then((r) => {
        const url = new URL(window.location.href);
        url.searchParams.delete('activate');
        url.searchParams.set('center', r.centerId);
        window.history.replaceState(null, '', url);
        onReady();
      }, setError);
    },
    [onReady],
  );
  useEffect(() => {
    void demoAvailable().then(setDemo);
    api.get<Center[]>('/api/v1/centers').then(setCenters, setError);
    const fromLink = queryParam('activate');
    if (fromLink) activate(fromLink);
  }, [activate]);
  const demoActivate = async () => {
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
          activate(code);
        }}
      >
        <label htmlFor="activation-code">{t('kiosk.activationCode')}</label>
        <input
          id="activation-code"
          className="k-code-big"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={12}
          required
        />
        <OnScreenKeyboard
          onKey={(ch) => setCode((c) => (c + ch).toUpperCase().slice(0, 12))}
          onBackspace={() => setCode((c) => c.slice(0, -1))}
          latin
        />
        <p>
          <button type="submit" className="button big">
            {t('kiosk.activateTerminal')}
          </button>
        </p>
        <QrScanner
          onCode={activate}
          accept={(v) => v.includes('activate=')}
          offText={t('kiosk.activationNoCamera')}
        />
      </form>
      <ErrorNote error={error} />
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
            <button type="button" className="button big" disabled={!pick} onClick={demoActivate}>
              {t('kiosk.activateTerminalDemo')}
            </button>
          </p>
        </div>
      ) : null}
    </main>
  );
}
