import { useState } from 'react';
import { t } from '../shared/i18n.js';

const UK = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['Й', 'Ц', 'У', 'К', 'Е', 'Н', 'Г', 'Ш', 'Щ', 'З', 'Х', 'Ї'],
  ['Ф', 'І', 'В', 'А', 'П', 'Р', 'О', 'Л', 'Д', 'Ж', 'Є'],
  ['Я', 'Ч', 'С', 'М', 'И', 'Т', 'Ь', 'Б', 'Ю', '\u2019', '-'],
];
const LATIN = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'],
  ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', '@'],
  ['z', 'x', 'c', 'v', 'b', 'n', 'm', '.', '_', '-', '+'],
];

const DIGITS = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
];

/** A number pad for digits-only fields (РНОКПП, ticket number, phone): large keys, nothing else. */
function NumberPad({
  onKey,
  onBackspace,
  plus,
}: {
  onKey: (ch: string) => void;
  onBackspace: () => void;
  plus?: boolean;
}) {
  const keep = (e: React.MouseEvent | React.PointerEvent) => e.preventDefault();
  const key = (k: string) => (
    <button
      type="button"
      key={k}
      className="osk-key"
      onMouseDown={keep}
      onClick={() => onKey(k)}
      tabIndex={-1}
    >
      {k}
    </button>
  );
  return (
    <fieldset className="osk osk-pad">
      <legend className="sr-only">{t('kiosk.screenKeyboard')}</legend>
      {DIGITS.map((row) => (
        <div className="osk-row" key={row.join('')}>
          {row.map(key)}
        </div>
      ))}
      <div className="osk-row">
        {plus ? key('+') : <span className="osk-gap" />}
        {key('0')}
        <button
          type="button"
          className="osk-key"
          onMouseDown={keep}
          tabIndex={-1}
          onClick={onBackspace}
          aria-label={t('kiosk.delete')}
        >
          ⌫
        </button>
      </div>
    </fieldset>
  );
}

/**
 * An on-screen keyboard for the touch kiosk: Ukrainian by default, Latin for email addresses, a
 * number pad for digits. Buttons keep the focus in the field being filled (mousedown is swallowed).
 */
export function OnScreenKeyboard({
  onKey,
  onBackspace,
  latin,
  digits,
  extra,
}: {
  onKey: (ch: string) => void;
  onBackspace: () => void;
  latin: boolean;
  /** Digits only; 'phone' adds a plus key. */
  digits?: boolean | 'phone';
  /** One more row of keys (a company name's quotes and punctuation). */
  extra?: readonly string[];
}) {
  const [forceLatin, setForceLatin] = useState<boolean | null>(null);
  if (digits) return <NumberPad onKey={onKey} onBackspace={onBackspace} plus={digits === 'phone'} />;
  const useLatin = forceLatin ?? latin;
  const rows = extra?.length ? [...(useLatin ? LATIN : UK), [...extra]] : useLatin ? LATIN : UK;
  const keep = (e: React.MouseEvent | React.PointerEvent) => e.preventDefault();
  return (
    <fieldset className="osk">
      <legend className="sr-only">{t('kiosk.screenKeyboard')}</legend>
      {rows.map((row) => (
        <div className="osk-row" key={row.join('')}>
          {row.map((k) => (
            <button
              type="button"
              key={k}
              className="osk-key"
              onMouseDown={keep}
              onClick={() => onKey(k)}
              tabIndex={-1}
            >
              {k}
            </button>
          ))}
        </div>
      ))}
      <div className="osk-row">
        <button
          type="button"
          className="osk-key wide"
          onMouseDown={keep}
          tabIndex={-1}
          onClick={() => setForceLatin(!useLatin)}
        >
          {useLatin ? 'АБВ' : 'ABC'}
        </button>
        <button
          type="button"
          className="osk-key space"
          onMouseDown={keep}
          tabIndex={-1}
          onClick={() => onKey(' ')}
        >
          {t('kiosk.space')}
        </button>
        <button
          type="button"
          className="osk-key wide"
          onMouseDown={keep}
          tabIndex={-1}
          onClick={onBackspace}
          aria-label={t('kiosk.delete')}
        >
          ⌫ {t('kiosk.delete')}
        </button>
      </div>
    </fieldset>
  );
}
