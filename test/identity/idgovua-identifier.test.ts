import { describe, expect, it } from 'vitest';
import { authTypeOf, identifierOf } from '../../src/identity/login-service.js';

/** SPEC §2 identifiers as ID.GOV.UA delivers them: all in `drfocode`. */
describe('identifierOf: the РНОКПП, or the passport the provider puts in drfocode', () => {
  it.each([
    ['3048156203', { idKind: 'rnokpp', idValue: '3048156203' }],
    [' 3048156203 ', { idKind: 'rnokpp', idValue: '3048156203' }],
    ['ЯЯ999998', { idKind: 'passport', idValue: 'ЯЯ999998' }],
    ['КВ 123456', { idKind: 'passport', idValue: 'КВ123456' }],
    ['KB123456', { idKind: 'passport', idValue: 'КВ123456' }],
    ['004512378', { idKind: 'passport', idValue: '004512378' }],
    ['123456789', { idKind: 'passport', idValue: '123456789' }],
  ])('drfocode %j → %j', (drfocode, expected) => {
    expect(identifierOf({ drfocode })).toEqual(expected);
  });

  it.each([
    ['3048156206', 'ten digits failing the РНОКПП check are not read as a passport'],
    ['', 'nothing'],
    ['12345678', 'eight digits'],
    ['Я999998', 'one letter'],
  ])('drfocode %j is refused (%s)', (drfocode) => {
    expect(() => identifierOf({ drfocode })).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('an undocumented `passport` field is not trusted as an identifier', () => {
    expect(() => identifierOf({ drfocode: '', passport: 'КВ123456' })).toThrow();
  });
});

describe('authTypeOf: how the person signed in, as the provider names it', () => {
  it.each([
    ['diia_oauth', 'diia_oauth'],
    ['bank_id', 'bank_id'],
    ['dig_sign', 'dig_sign'],
    ['', null],
    ['<script>', null],
    [undefined, null],
  ])('%j → %j', (authType, expected) => {
    expect(authTypeOf({ auth_type: authType })).toBe(expected);
  });
});
