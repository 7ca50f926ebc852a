import {
  isValidEdrpou,
  isValidEmail,
  isValidRnokpp,
  normalizePhone,
  parsePassport,
} from '../../src/identity/identifiers.js';

/**
 * The kiosk checks each field where it is typed, with the server's own rules (one implementation
 * in src/identity/identifiers.ts): the visitor learns of a wrong РНОКПП on the РНОКПП step, not
 * two screens later. Each check answers a message key, or null when the value is fine.
 * `final` = the visitor pressed "Далі": an incomplete value is then an error too.
 */
export type FieldId =
  | 'edrpou'
  | 'entityName'
  | 'lastName'
  | 'firstName'
  | 'middleName'
  | 'idValue'
  | 'phone'
  | 'email';
export type IdKind = 'rnokpp' | 'passport';

export type Problem =
  | 'required'
  | 'rnokppDigits'
  | 'rnokppChecksum'
  | 'passportFormat'
  | 'phoneFormat'
  | 'emailFormat'
  | 'nameChars'
  | 'edrpouDigits'
  | 'edrpouChecksum'
  | 'entityNameChars';

const NAME = /^[\p{L}\u2019'ʼ\- ]+$/u;
/** A legal entity's name as registered: letters, digits, quotes, punctuation of company names. */
const ENTITY_NAME = /^[\p{L}\p{N}\u2019'ʼ"«».,&№()+\- ]+$/u;

export function checkField(field: FieldId, raw: string, idKind: IdKind, final: boolean): Problem | null {
  const value = raw.trim();
  switch (field) {
    case 'edrpou': {
      // SPEC §2: 8 digits with a control digit; a wrong one shows as soon as the 8th is typed.
      const compact = value.replace(/\s/g, '');
      if (!compact) return final ? 'required' : null;
      if (!/^\d*$/.test(compact) || compact.length > 8) return 'edrpouDigits';
      if (compact.length < 8) return final ? 'edrpouDigits' : null;
      return isValidEdrpou(compact) ? null : 'edrpouChecksum';
    }
    case 'entityName':
      if (!value) return final ? 'required' : null;
      return ENTITY_NAME.test(value) ? null : 'entityNameChars';
    case 'lastName':
    case 'firstName':
      if (!value) return final ? 'required' : null;
      return NAME.test(value) ? null : 'nameChars';
    case 'middleName':
      return !value || NAME.test(value) ? null : 'nameChars';
    case 'idValue': {
      const compact = value.replace(/\s/g, '');
      if (!compact) return final ? 'required' : null;
      if (idKind === 'rnokpp') {
        if (!/^\d*$/.test(compact) || compact.length > 10) return 'rnokppDigits';
        if (compact.length < 10) return final ? 'rnokppDigits' : null;
        return isValidRnokpp(compact) ? null : 'rnokppChecksum';
      }
      if (parsePassport(compact)) return null;
      // A booklet has 8 characters, an ID card 9: judge once it cannot grow into a valid one.
      return final || compact.length >= 9 ? 'passportFormat' : null;
    }
    case 'phone': {
      const digits = value.replace(/[\s()-]/g, '');
      if (digits === '' || digits === '+380' || digits === '+') return null;
      if (normalizePhone(digits)) return null;
      return final || digits.length >= 13 ? 'phoneFormat' : null;
    }
    case 'email':
      if (!value) return final ? 'required' : null;
      return isValidEmail(value) ? null : final ? 'emailFormat' : null;
  }
}

/** The server's field path of a VALIDATION problem → the kiosk step that shows it. */
export function fieldOfPath(path: string): FieldId | null {
  if (path.endsWith('legalEntity.edrpou')) return 'edrpou';
  if (path.endsWith('legalEntity.name')) return 'entityName';
  if (path.endsWith('rnokpp') || path.endsWith('passport')) return 'idValue';
  for (const f of ['lastName', 'firstName', 'middleName', 'phone', 'email'] as const)
    if (path.endsWith(f)) return f;
  return null;
}
