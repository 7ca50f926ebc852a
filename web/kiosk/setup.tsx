import { useState } from 'react';
import { useDeviceActivation } from '../shared/device-activation.js';
import { t } from '../shared/i18n.js';
import { ErrorNote } from '../shared/ui.js';
import { QrScanner } from './check-in.js';
import { OnScreenKeyboard } from './keyboard.js';

/**
 * The kiosk's first start: the center head's console shows an 8-character code and a QR of a
 * link carrying it; the kiosk takes the code typed, scanned by its camera, or from the link it
 * was opened with (web/shared/device-activation, shared with the board). The code is single use
 * and lives 10 minutes.
 */
export function Setup({ centerId, onReady }: { centerId: string | null; onReady: () => void }) {
  const [pick, setPick] = useState(centerId ?? '');
  const {
    code,
    setCode,
    error,
    activate,
    demo: demoActivate,
    demoCenters,
  } = useDeviceActivation('terminal', onReady);
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
      {demoCenters ? (
        <div className="card demo">
          <h2>{t('kiosk.demoActivation')}</h2>
          <label htmlFor="center">{t('kiosk.serviceCenter')}</label>
          <select id="center" value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('kiosk.chooseCenter')}</option>
            {demoCenters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}, {c.address}
              </option>
            ))}
          </select>
          <p>
            <button
              type="button"
              className="button big"
              disabled={!pick}
              onClick={() => void demoActivate(pick)}
            >
              {t('kiosk.activateTerminalDemo')}
            </button>
          </p>
        </div>
      ) : null}
    </main>
  );
}
