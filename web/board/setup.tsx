import { useState } from 'react';
import { useDeviceActivation } from '../shared/device-activation.js';
import { t } from '../shared/i18n.js';
import { ErrorNote } from '../shared/ui.js';

/**
 * The board's first start, as the kiosk's (web/shared/device-activation): the center head's
 * console shows an 8-character code and a QR of `/board/?activate=CODE`; the board takes the code
 * typed with the TV's keyboard or remote, or from that link opened on it. Single use, 10 minutes.
 */
export function BoardSetup({ onReady }: { onReady: () => void }) {
  const [pick, setPick] = useState('');
  const {
    code,
    setCode,
    error,
    activate,
    demo: demoActivate,
    demoCenters,
  } = useDeviceActivation('board', onReady);
  return (
    <main id="main" className="b-setup">
      <h1>{t('board.notSetUp')}</h1>
      <p className="b-setup-help">{t('board.setupHelp')}</p>
      <form
        className="b-setup-card"
        onSubmit={(e) => {
          e.preventDefault();
          activate(code);
        }}
      >
        <label htmlFor="activation-code">{t('board.activationCode')}</label>
        <input
          id="activation-code"
          className="b-setup-code"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          placeholder="ABCD-EFGH"
          required
        />
        <button type="submit" className="b-setup-button">
          {t('board.activate')}
        </button>
      </form>
      <ErrorNote error={error} />
      {demoCenters ? (
        <form
          className="b-setup-card b-setup-demo"
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) void demoActivate(pick);
          }}
        >
          <h2>{t('board.demoActivation')}</h2>
          <label htmlFor="board-center">{t('board.serviceCenter')}</label>
          <select id="board-center" value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('board.chooseCenter')}</option>
            {demoCenters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}, {c.address}
              </option>
            ))}
          </select>
          <button type="submit" className="b-setup-button secondary" disabled={!pick}>
            {t('board.activateDemo')}
          </button>
        </form>
      ) : null}
    </main>
  );
}
