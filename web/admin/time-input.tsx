import { t } from '../shared/i18n.js';

const HM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads what a person typed ("9", "930", "9:30", "09.30") as HH:MM, or returns it unchanged. */
export function normalizeHm(raw: string): string {
  const s = raw.trim().replace(/[.,\s]/g, ':');
  const m = /^(\d{1,2}):?(\d{2})?$/.exec(s);
  if (!m) return raw;
  const hh = m[1]?.padStart(2, '0') ?? '';
  const mm = m[2] ?? '00';
  const v = `${hh}:${mm}`;
  return HM.test(v) ? v : raw;
}

/**
 * A 24-hour time field. `<input type="time">` follows the browser's locale and shows "09:00 AM"
 * in an English one; the service runs on the 24-hour clock of Kyiv, so this is a text field
 * that accepts HH:MM and tidies "9" or "930" into "09:00" / "09:30" when the field is left.
 */
export function TimeInput({
  value,
  onChange,
  label,
  id,
  disabled,
  required,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  id?: string;
  disabled?: boolean;
  required?: boolean;
}) {
  return (
    <input
      id={id}
      type="text"
      className="hm"
      inputMode="numeric"
      autoComplete="off"
      pattern="([01][0-9]|2[0-3]):[0-5][0-9]"
      maxLength={5}
      size={5}
      placeholder={t('admin.hhmm')}
      title={t('admin.hhmmTitle')}
      aria-label={label}
      disabled={disabled}
      required={required}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={(e) => {
        const v = normalizeHm(e.target.value);
        if (v !== e.target.value) onChange(v);
      }}
    />
  );
}
