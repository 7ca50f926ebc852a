import { describe, expect, it } from 'vitest';
import {
  edrpouControlDigit,
  isValidEdrpou,
  isValidEmail,
  isValidRnokpp,
  normalizePhone,
  parsePassport,
  rnokppControlDigit,
} from './identifiers.js';

describe('SPEC §2: РНОКПП control digit', () => {
  it.each([
    ['3048156203', true, 'valid: weights -1,5,7,9,4,6,10,5,7, sum mod 11 mod 10'],
    ['3048156206', false, 'wrong control digit'],
    ['2222222222', false, 'wrong control digit on a repeated pattern'],
    ['0000000000', true, 'all zeros has control 0 (format-valid)'],
    ['304815620', false, 'nine digits'],
    ['30481562061', false, 'eleven digits'],
    ['30481562O6', false, 'a letter O inside'],
    ['', false, 'empty'],
  ])('%s → %s (%s)', (value, valid) => {
    expect(isValidRnokpp(value)).toBe(valid);
  });

  it('the control digit is (Σ wᵢ·dᵢ mod 11) mod 10, with a negative first weight', () => {
    // 3·-1 + 0·5 + 4·7 + 8·9 + 1·4 + 5·6 + 6·10 + 2·5 + 0·7 = 201; 201 mod 11 = 3
    expect(rnokppControlDigit('304815620')).toBe(3);
  });

  it('a remainder of 10 gives control digit 0', () => {
    const prefix = Array.from({ length: 1000 }, (_, i) => String(100000000 + i)).find((p) => {
      const w = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
      const sum = [...p].reduce((acc, d, i) => acc + (w[i] ?? 0) * Number(d), 0);
      return ((sum % 11) + 11) % 11 === 10;
    });
    expect(prefix).toBeDefined();
    expect(rnokppControlDigit(prefix ?? '')).toBe(0);
    expect(isValidRnokpp(`${prefix}0`)).toBe(true);
  });
});

describe('SPEC §2: ЄДРПОУ control digit (two weight sets, retry)', () => {
  it.each([
    ['00032129', true, 'below 30 000 000: weights 1..7'],
    ['00032128', false, 'below 30 000 000, wrong digit'],
    ['32855961', true, 'between 30 and 60 million: weights 7,1..6'],
    ['32855962', false, 'between 30 and 60 million, wrong digit'],
    ['14360570', true, 'a bank code (weights 1..7)'],
    ['1436057', false, 'seven digits'],
    ['143605701', false, 'nine digits'],
    ['1436057A', false, 'a letter'],
  ])('%s → %s (%s)', (value, valid) => {
    expect(isValidEdrpou(value)).toBe(valid);
  });

  it('a first remainder of 10 retries with weights + 2; a second 10 gives 0', () => {
    const w1 = [1, 2, 3, 4, 5, 6, 7];
    const w2 = w1.map((w) => w + 2);
    const rem = (p: string, w: number[]) => [...p].reduce((a, d, i) => a + (w[i] ?? 0) * Number(d), 0) % 11;
    const prefixes = Array.from({ length: 200000 }, (_, i) => String(1000000 + i));
    const retry = prefixes.find((p) => rem(p, w1) === 10 && rem(p, w2) !== 10) ?? '';
    expect(edrpouControlDigit(`${retry}0`)).toBe(rem(retry, w2));
    expect(isValidEdrpou(`${retry}${rem(retry, w2)}`)).toBe(true);
    const twice = prefixes.find((p) => rem(p, w1) === 10 && rem(p, w2) === 10) ?? '';
    expect(twice).not.toBe('');
    expect(isValidEdrpou(`${twice}0`)).toBe(true);
  });
});

describe('SPEC §2: passports', () => {
  it.each([
    ['123456789', { kind: 'id_card', value: '123456789' }],
    ['КВ123456', { kind: 'booklet', value: 'КВ123456' }],
    ['кв 123456', { kind: 'booklet', value: 'КВ123456' }],
    ['KB123456', { kind: 'booklet', value: 'КВ123456' }], // Latin look-alikes typed on an English layout
    ['ІЇ123456', { kind: 'booklet', value: 'ІЇ123456' }],
    ['12345678', null],
    ['1234567890', null],
    ['К123456', null],
    ['КВ12345', null],
    ['QW123456', null],
    ['', null],
  ])('%s → %j', (raw, expected) => {
    expect(parsePassport(raw)).toEqual(expected);
  });
});

describe('SPEC §2: phone +380… and e-mail', () => {
  it.each([
    ['+380671234567', '+380671234567'],
    ['380671234567', '+380671234567'],
    ['0671234567', '+380671234567'],
    ['+38 (067) 123-45-67', '+380671234567'],
    ['+48671234567', null],
    ['067123456', null],
    ['+3806712345678', null],
    ['phone', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    ['taras@example.com', true],
    ['o.kovalenko@avtolux.com.ua', true],
    ['no-at.example.com', false],
    ['a@b', false],
    ['a b@example.com', false],
    [`${'a'.repeat(250)}@example.com`, false],
  ])('%s → %s', (value, valid) => {
    expect(isValidEmail(value)).toBe(valid);
  });
});
