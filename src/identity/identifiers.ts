/**
 * Ukrainian identifiers (SPEC §2): РНОКПП (10 digits, control digit), ЄДРПОУ (8 digits, control
 * digit with two weight sets and a retry), passports (ID-card: 9 digits; booklet: two Cyrillic
 * capitals + 6 digits), phone (+380…). Pure functions.
 */

const RNOKPP_WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

export function isValidRnokpp(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return rnokppControlDigit(value.slice(0, 9)) === Number(value[9]);
}

/** The control digit of the first nine digits of an РНОКПП. */
export function rnokppControlDigit(first9: string): number {
  const d = [...first9].map(Number);
  const sum = RNOKPP_WEIGHTS.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0);
  return (((sum % 11) + 11) % 11) % 10;
}

export function isValidEdrpou(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  return edrpouControlDigit(value) === Number(value[7]);
}

/**
 * The control digit of an ЄДРПОУ code (its first seven digits decide it; codes below 30 000 000
 * or above 60 000 000 weigh 1..7, the others 7,1..6; a remainder of 10 retries with weights + 2,
 * and a second 10 gives 0).
 */
export function edrpouControlDigit(value: string): number {
  const d = [...value.slice(0, 7)].map(Number);
  const n = Number(value.padEnd(8, '0'));
  const base = n < 30_000_000 || n > 60_000_000 ? [1, 2, 3, 4, 5, 6, 7] : [7, 1, 2, 3, 4, 5, 6];
  const remainder = (weights: number[]) => weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0) % 11;
  let control = remainder(base);
  if (control === 10) {
    control = remainder(base.map((w) => w + 2));
    if (control === 10) control = 0;
  }
  return control;
}

export type PassportKind = 'id_card' | 'booklet';

/** Normalises a passport number (spaces out, Latin look-alikes to Cyrillic) and tells its kind. */
export function parsePassport(raw: string): { kind: PassportKind; value: string } | null {
  const latinToCyrillic: Record<string, string> = {
    A: 'А',
    B: 'В',
    C: 'С',
    E: 'Е',
    H: 'Н',
    I: 'І',
    K: 'К',
    M: 'М',
    O: 'О',
    P: 'Р',
    T: 'Т',
    X: 'Х',
  };
  const value = raw
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .replace(/[ABCEHIKMOPTX]/g, (c) => latinToCyrillic[c] ?? c);
  if (/^\d{9}$/.test(value)) return { kind: 'id_card', value };
  if (/^[АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ]{2}\d{6}$/u.test(value)) return { kind: 'booklet', value };
  return null;
}

/** +380XXXXXXXXX, accepting common spellings (0XX…, 380…, spaces, dashes, brackets). */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s()-]/g, '');
  const m = /^(?:\+?380|0)(\d{9})$/.exec(digits);
  return m ? `+380${m[1]}` : null;
}

export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(value) && value.length <= 254;
}

// Line breaks and other C0/C1 controls, and the Unicode bidi controls (LRE…RLO, LRI…PDI,
// LRM/RLM, ALM): in a name they forge log lines and headers or make "Бойко" display as
// something else on the operator's screen and in mail.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A name (person, legal entity) without control or bidi characters. */
export function isCleanName(value: string): boolean {
  return !UNSAFE_IN_NAMES.test(value);
}

const UNSAFE_ALL = new RegExp(UNSAFE_IN_NAMES.source, 'gu');

/**
 * A name from a source we do not refuse (the identity provider's signed answer): control and bidi
 * characters become spaces, runs of spaces one, the ends trimmed.
 */
export function cleanName(value: string): string {
  return value.replace(UNSAFE_ALL, ' ').replace(/\s+/g, ' ').trim();
}
