import { type ReactNode, useState } from 'react';
import type { staffView } from '../../src/capacity/capacity-api-schema.js';
import type { Answer } from '../shared/api.js';
import { t } from '../shared/i18n.js';

/** Form pieces the console's screens share: a labelled field, the staff picker, a remove button. */

type Staff = Answer<typeof staffView>;

/** A label above its control; `id` ties them (and is what the browser tests and autofill find). */
export function Field({ id, label, children }: { id: string; label: ReactNode; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** A form laid out in a row; submitting runs `onSubmit` instead of loading a page. */
export function RowForm({ onSubmit, children }: { onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A date field with its label. */
export function DateField({
  id,
  label,
  value,
  onChange,
  min,
  required = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  min?: string;
  required?: boolean;
}) {
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        type="date"
        min={min}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
      />
    </Field>
  );
}

/** Picks a member of staff who works at a desk (administrators and examiners). */
export function StaffSelect({
  id,
  staff,
  value,
  onChange,
}: {
  id: string;
  staff: Staff[] | undefined;
  value: string;
  onChange: (staffId: string) => void;
}) {
  return (
    <Field id={id} label={t('admin.staff2')}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required>
        <option value="">—</option>
        {staff
          ?.filter((s) => s.role === 'administrator' || s.role === 'examiner')
          .map((s) => (
            <option key={s.id} value={s.id}>
              {s.fullName}
            </option>
          ))}
      </select>
    </Field>
  );
}

/** "Remove" in a list or table row; `what` names the row for screen readers. */
export function RemoveButton({
  onClick,
  what,
  disabled,
}: {
  onClick: () => void;
  what?: string;
  disabled?: boolean;
}) {
  return (
    <button type="button" className="link-button" disabled={disabled} onClick={onClick}>
      {t('admin.remove')}
      {what ? (
        <>
          {' '}
          <span className="sr-only">{what}</span>
        </>
      ) : null}
    </button>
  );
}

/** A holiday being added: its day and name. */
export function useHolidayDraft() {
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const clear = () => {
    setDay('');
    setName('');
  };
  return { day, name, setDay, setName, clear };
}

/** A holiday's day and name, and the button that adds it (a center's and the nation's). */
export function HolidayFields({
  idPrefix,
  labels,
  draft,
  busy,
}: {
  idPrefix: string;
  labels: { day: string; name: string };
  draft: ReturnType<typeof useHolidayDraft>;
  busy?: boolean;
}) {
  return (
    <>
      <DateField id={`${idPrefix}-day`} label={labels.day} value={draft.day} onChange={draft.setDay} />
      <Field id={`${idPrefix}-name`} label={labels.name}>
        <input
          id={`${idPrefix}-name`}
          value={draft.name}
          onChange={(e) => draft.setName(e.target.value)}
          required
          maxLength={200}
        />
      </Field>
      <button type="submit" className="button" disabled={busy}>
        {t('admin.addHoliday')}
      </button>
    </>
  );
}
