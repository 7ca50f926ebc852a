import { describe, expect, it } from 'vitest';
import { cleanName } from '../../src/identity/identifiers.js';
import { namesOf } from '../../src/identity/login-service.js';

/**
 * Names from ID.GOV.UA come from certificate fields: a CR/LF or a bidi override in them forged a
 * log line or made "Бойко" read as something else on the operator's screen. The kiosk and the
 * dev session refuse such names; the provider's answer is cleaned instead (the person must get in).
 */
describe('ID.GOV.UA names are cleaned of control and bidi characters', () => {
  it('line breaks, NUL and bidi overrides become single spaces', () => {
    expect(
      namesOf({
        lastname: 'Бойко\r\nX-Injected: 1',
        givenname: '\u202eТарас\u202c\u0000 Григорович',
      } as Parameters<typeof namesOf>[0]),
    ).toEqual({ lastName: 'Бойко X-Injected: 1', firstName: 'Тарас', middleName: 'Григорович' });
  });

  it('a name of control characters only is no name: the login is refused', () => {
    expect(() =>
      namesOf({ lastname: '\u200e\u200f', givenname: 'Тарас' } as Parameters<typeof namesOf>[0]),
    ).toThrow(/ПІБ/);
  });

  it('cleanName keeps apostrophes, hyphens and Latin letters', () => {
    expect(cleanName("  Д'Артаньян-Пʼятниця\u2066 ")).toBe("Д'Артаньян-Пʼятниця");
  });
});
