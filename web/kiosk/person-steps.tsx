import { useEffect, useRef } from 'react';
import { t } from '../shared/i18n.js';
import { OnScreenKeyboard } from './keyboard.js';
import { checkField, type FieldId, type IdKind, type Problem } from './validate.js';

export interface PersonForm {
  /** SPEC §2: a legal entity's representative registers for it with its ЄДРПОУ and name. */
  forEntity: boolean;
  edrpou: string;
  entityName: string;
  lastName: string;
  firstName: string;
  middleName: string;
  idKind: IdKind;
  idValue: string;
  phone: string;
  email: string;
}

export const emptyPerson: PersonForm = {
  forEntity: false,
  edrpou: '',
  entityName: '',
  lastName: '',
  firstName: '',
  middleName: '',
  idKind: 'rnokpp',
  idValue: '',
  phone: '+380',
  email: '',
};

/** The person's data, one field per screen: the field, its keyboard and "Далі" fit 1080×1920. */
export const PERSON_FIELDS: readonly FieldId[] = [
  'lastName',
  'firstName',
  'middleName',
  'idValue',
  'phone',
  'email',
];

/** For a legal entity its ЄДРПОУ and name come first, each on its own screen, then the representative. */
export const ENTITY_FIELDS: readonly FieldId[] = ['edrpou', 'entityName'];

export const fieldsOf = (person: PersonForm): readonly FieldId[] =>
  person.forEntity ? [...ENTITY_FIELDS, ...PERSON_FIELDS] : PERSON_FIELDS;

/** Keys a company name needs beyond letters: quotes and its punctuation. */
const ENTITY_KEYS = ['«', '»', '"', '.', ',', '&', '№', '(', ')'];

const labelOf = (field: FieldId, idKind: IdKind): string => {
  switch (field) {
    case 'edrpou':
      return t('kiosk.edrpou8Digits');
    case 'entityName':
      return t('kiosk.entityName');
    case 'lastName':
      return t('kiosk.surname');
    case 'firstName':
      return t('kiosk.givenName');
    case 'middleName':
      return t('kiosk.patronymicIfAny');
    case 'idValue':
      return idKind === 'rnokpp' ? t('kiosk.taxNumber10Digits') : t('kiosk.passportSeriesNumber');
    case 'phone':
      return t('kiosk.phoneOptional');
    case 'email':
      return t('kiosk.emailTicket');
  }
};

const PROBLEM_KEYS = {
  required: 'kiosk.problemRequired',
  rnokppDigits: 'kiosk.problemRnokppDigits',
  rnokppChecksum: 'kiosk.problemRnokppChecksum',
  passportFormat: 'kiosk.problemPassportFormat',
  phoneFormat: 'kiosk.problemPhoneFormat',
  emailFormat: 'kiosk.problemEmailFormat',
  nameChars: 'kiosk.problemNameChars',
  edrpouDigits: 'kiosk.problemEdrpouDigits',
  edrpouChecksum: 'kiosk.problemEdrpouChecksum',
  entityNameChars: 'kiosk.problemEntityNameChars',
} as const satisfies Record<Problem, string>;

export const problemText = (p: Problem): string => t(PROBLEM_KEYS[p]);

/**
 * One field of the person's data. The value is checked on every key (a wrong РНОКПП control
 * digit shows as soon as the 10th digit is typed) and again on "Далі"; the field then carries
 * aria-invalid and its message, read out by a screen reader.
 */
export function PersonStep({
  field,
  person,
  problem,
  first,
  onChange,
  onKind,
  onEntity,
  onSubmit,
}: {
  field: FieldId;
  person: PersonForm;
  problem: Problem | null;
  /** The first step carries the "for a legal entity" switch. */
  first: boolean;
  onChange: (value: string) => void;
  onKind: (kind: IdKind) => void;
  onEntity: (on: boolean) => void;
  onSubmit: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new field (step) takes the focus
  useEffect(() => {
    input.current?.focus({ preventScroll: true });
  }, [field]);
  const value = person[field];
  const upperFirst = field === 'lastName' || field === 'firstName' || field === 'middleName';
  const onKey = (ch: string) => {
    const next = upperFirst && value.length > 0 && ch !== ' ' ? ch.toLowerCase() : ch;
    onChange(value + next);
  };
  const digits =
    field === 'phone' ? 'phone' : field === 'edrpou' || (field === 'idValue' && person.idKind === 'rnokpp');
  const hint =
    field === 'idValue'
      ? person.idKind === 'passport'
        ? t('kiosk.idCard9Digits')
        : t('kiosk.rnokppHint')
      : field === 'edrpou'
        ? t('kiosk.edrpouHint')
        : field === 'entityName'
          ? t('kiosk.entityNameHint')
          : null;
  return (
    <form
      className="k-step"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {first ? (
        <button
          type="button"
          role="switch"
          aria-checked={person.forEntity}
          className="k-btn k-switch"
          onClick={() => onEntity(!person.forEntity)}
        >
          <span className="k-switch-track" aria-hidden="true">
            <span className="k-switch-knob" />
          </span>
          <span className="k-switch-label">{t('kiosk.forLegalEntity')}</span>
        </button>
      ) : null}
      {field === 'idValue' ? (
        <div className="k-toggle" role="radiogroup" aria-label={t('kiosk.document')}>
          {(['rnokpp', 'passport'] as const).map((k) => (
            // biome-ignore lint/a11y/useSemanticElements: a large touch toggle styled as a button, with radio semantics
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={person.idKind === k}
              className="k-btn k-seg"
              onClick={() => onKind(k)}
            >
              {k === 'rnokpp' ? t('kiosk.taxNumber') : t('kiosk.passport')}
            </button>
          ))}
        </div>
      ) : null}
      <div className="k-field active">
        <label htmlFor={`f-${field}`}>{labelOf(field, person.idKind)}</label>
        <input
          ref={input}
          id={`f-${field}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          inputMode={digits ? 'numeric' : field === 'email' ? 'email' : 'text'}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `e-${field}` : hint ? `h-${field}` : undefined}
          aria-required={field !== 'middleName' && field !== 'phone'}
        />
        {problem ? (
          <p className="k-field-error" id={`e-${field}`} role="alert">
            {problemText(problem)}
          </p>
        ) : hint ? (
          <p className="k-hint" id={`h-${field}`}>
            {hint}
          </p>
        ) : null}
      </div>
      <OnScreenKeyboard
        onKey={onKey}
        onBackspace={() => onChange(value.slice(0, -1))}
        latin={field === 'email'}
        digits={digits || undefined}
        extra={field === 'entityName' ? ENTITY_KEYS : undefined}
      />
    </form>
  );
}

/** The check of a field as the visitor types (`final` false) or presses "Далі" (true). */
export const problemOf = (field: FieldId, person: PersonForm, final: boolean) =>
  checkField(field, person[field], person.idKind, final);
