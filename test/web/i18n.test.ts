import { describe, expect, it } from 'vitest';
import { i18n } from '../../web/shared/i18n.js';
import en from '../../web/shared/locales/en.json' with { type: 'json' };
import uk from '../../web/shared/locales/uk.json' with { type: 'json' };

/**
 * SPEC §5: Ukrainian by default, English on request, and a counted noun always agrees with its
 * number ("1 місце, 2 місця, 5 місць, 21 місце"), never "4 місць".
 */
type Catalogue = Record<string, Record<string, string>>;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(cat: Catalogue): string[] {
  return Object.entries(cat).flatMap(([ns, messages]) => Object.keys(messages).map((k) => `${ns}.${k}`));
}
const bases = (cat: Catalogue) => [...new Set(keys(cat).map((k) => k.replace(PLURAL, '')))].sort();
const pluralBases = (cat: Catalogue) =>
  [
    ...new Set(
      keys(cat)
        .filter((k) => PLURAL.test(k))
        .map((k) => k.replace(PLURAL, '')),
    ),
  ].sort();

const COUNTS = [1, 2, 5, 21, 22, 25] as const;

/** Every counted noun on a screen, with what a reader must see for 1, 2, 5, 21, 22, 25. */
const expected: Record<string, { uk: string[]; en: string[] }> = {
  'admin.rosterChangeHits': {
    uk: [
      '1 запис: людині',
      '2 записи: людям',
      '5 записів: людям',
      '21 запис: людині',
      '22 записи: людям',
      '25 записів: людям',
    ].map(
      (n) =>
        `Ця зміна графіка залишить без місця ${n} напишуть, ${n.includes('людині') ? 'запис з’явиться' : 'записи з’являться'} серед конфліктів. Продовжити?`,
    ),
    en: [1, 2, 5, 21, 22, 25].map((n) =>
      n === 1
        ? 'This roster change leaves 1 registration without a place: the person will be written to and it will be listed among the conflicts. Go on?'
        : `This roster change leaves ${n} registrations without a place: the people will be written to and they will be listed among the conflicts. Go on?`,
    ),
  },
  'admin.holidayConflicts': {
    uk: [
      '1 запис — він',
      '2 записи — вони',
      '5 записів — вони',
      '21 запис — він',
      '22 записи — вони',
      '25 записів — вони',
    ].map(
      (n) =>
        `Зміна зачепила ${n} у списку конфліктів ${n.endsWith('він') ? 'свого центру' : 'своїх центрів'}.`,
    ),
    en: [
      '1 registration; it is',
      '2 registrations; they are',
      '5 registrations; they are',
      '21 registrations; they are',
      '22 registrations; they are',
      '25 registrations; they are',
    ].map(
      (n) => `The change hit ${n} in ${n.endsWith('it is') ? 'its center’s' : 'their centers’'} conflicts.`,
    ),
  },
  'portal.blockReason': {
    uk: ['1 неявка', '2 неявки', '5 неявок', '21 неявка', '22 неявки', '25 неявок'].map(
      (n) =>
        `Причина: ${n} на онлайн-записи за місяць без скасування. Зняти блокування достроково може лише керівник сервісного центру під час особистого візиту.`,
    ),
    en: [
      '1 missed online visit',
      '2 missed online visits',
      '5 missed online visits',
      '21 missed online visits',
      '22 missed online visits',
      '25 missed online visits',
    ].map(
      (n) =>
        `Reason: ${n} in a month without cancelling. Only the head of the service center can lift it early, in person.`,
    ),
  },
  'shared.hoursAcc': {
    uk: ['1 годину', '2 години', '5 годин', '21 годину', '22 години', '25 годин'],
    en: ['1 hour', '2 hours', '5 hours', '21 hours', '22 hours', '25 hours'],
  },
  'shared.hoursGen': {
    uk: ['1 години', '2 годин', '5 годин', '21 години', '22 годин', '25 годин'],
    en: ['1 hour', '2 hours', '5 hours', '21 hours', '22 hours', '25 hours'],
  },
  'shared.daysAcc': {
    uk: ['1 день', '2 дні', '5 днів', '21 день', '22 дні', '25 днів'],
    en: ['1 day', '2 days', '5 days', '21 days', '22 days', '25 days'],
  },
  'shared.onlineRegistrationsGen': {
    uk: [
      '1 онлайн-запису',
      '2 онлайн-записів',
      '5 онлайн-записів',
      '21 онлайн-запису',
      '22 онлайн-записів',
      '25 онлайн-записів',
    ],
    en: [
      '1 online registration',
      '2 online registrations',
      '5 online registrations',
      '21 online registrations',
      '22 online registrations',
      '25 online registrations',
    ],
  },
  'portal.documentsAndFees': {
    uk: ['1 документ', '2 документи', '5 документів', '21 документ', '22 документи', '25 документів'].map(
      (n) => `${n} і вартість`,
    ),
    en: ['1 document', '2 documents', '5 documents', '21 documents', '22 documents', '25 documents'].map(
      (n) => `${n} and fees`,
    ),
  },
  'portal.places': {
    uk: ['1 місце', '2 місця', '5 місць', '21 місце', '22 місця', '25 місць'],
    en: ['1 place', '2 places', '5 places', '21 places', '22 places', '25 places'],
  },
  'portal.freePlaces': {
    uk: [
      '1 вільне місце',
      '2 вільні місця',
      '5 вільних місць',
      '21 вільне місце',
      '22 вільні місця',
      '25 вільних місць',
    ],
    en: [
      '1 free place',
      '2 free places',
      '5 free places',
      '21 free places',
      '22 free places',
      '25 free places',
    ],
  },
  'portal.inNextDays': {
    uk: [
      'на найближчий 1 день',
      'на найближчі 2 дні',
      'на найближчі 5 днів',
      'на найближчий 21 день',
      'на найближчі 22 дні',
      'на найближчі 25 днів',
    ],
    en: [
      'in the next 1 day',
      'in the next 2 days',
      'in the next 5 days',
      'in the next 21 days',
      'in the next 22 days',
      'in the next 25 days',
    ],
  },
  'portal.calendarDays': {
    uk: ['1 день', '2 дні', '5 днів', '21 день', '22 дні', '25 днів'].map(
      (d) => `Календар на ${d}: вільні місця по днях`,
    ),
    en: ['1 day', '2 days', '5 days', '21 days', '22 days', '25 days'].map(
      (d) => `Calendar for ${d}: free places per day`,
    ),
  },
  'portal.numberUnderDateCount': {
    uk: ['1 день', '2 дні', '5 днів', '21 день', '22 дні', '25 днів'].map(
      (d) =>
        `Число під датою — кількість вільних місць. Нові дні відкриваються щодня о 06:00 (на ${d} наперед).`,
    ),
    en: ['1 day', '2 days', '5 days', '21 days', '22 days', '25 days'].map(
      (d) =>
        `The number under a date is the count of free places. A new day opens every day at 06:00 (${d} ahead).`,
    ),
  },
  'operator.callCount': {
    uk: ['1 виклик', '2 виклики', '5 викликів', '21 виклик', '22 виклики', '25 викликів'],
    en: ['1 call', '2 calls', '5 calls', '21 calls', '22 calls', '25 calls'],
  },
  'portal.companyLimit': {
    uk: [
      '1 онлайн-запис',
      '2 онлайн-записи',
      '5 онлайн-записів',
      '21 онлайн-запис',
      '22 онлайн-записи',
      '25 онлайн-записів',
    ].map((n) => `Ліміт компанії: ${n} на день`),
    en: [
      '1 online registration',
      '2 online registrations',
      '5 online registrations',
      '21 online registrations',
      '22 online registrations',
      '25 online registrations',
    ].map((n) => `Company limit: ${n} a day`),
  },
  'portal.movedTimes': {
    uk: ['1 раз', '2 рази', '5 разів', '21 раз', '22 рази', '25 разів'].map((n) => `Перенесено ${n}`),
    en: ['1 time', '2 times', '5 times', '21 times', '22 times', '25 times'].map((n) => `Moved ${n}`),
  },
  'portal.movesLeft': {
    uk: ['1 раз', '2 рази', '5 разів', '21 раз', '22 рази', '25 разів'].map((n) => `Можна перенести ще ${n}`),
    en: [
      '1 more time',
      '2 more times',
      '5 more times',
      '21 more times',
      '22 more times',
      '25 more times',
    ].map((n) => `Can be moved ${n}`),
  },
  'operator.noShowAfter': {
    uk: ['1 виклику', '2 викликів', '5 викликів', '21 виклику', '22 викликів', '25 викликів'].map(
      (n) => `«Не з’явився» можна позначити після ${n} (кнопка «Викликати повторно»).`,
    ),
    en: ['1 call', '2 calls', '5 calls', '21 calls', '22 calls', '25 calls'].map(
      (n) => `“No-show” can be recorded after ${n} (the “Recall” button).`,
    ),
  },
};

describe('message catalogues (i18next, Intl.PluralRules)', () => {
  it('Ukrainian and English have the same messages', () => {
    expect(bases(en as Catalogue)).toEqual(bases(uk as Catalogue));
    expect(pluralBases(en as Catalogue)).toEqual(pluralBases(uk as Catalogue));
  });

  it('each counted message has exactly the plural forms of its language (uk one/few/many/other, en one/other)', () => {
    for (const [lang, cat] of [
      ['uk', uk],
      ['en', en],
    ] as const) {
      const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const base of pluralBases(cat as Catalogue)) {
        const forms = keys(cat as Catalogue)
          .filter((k) => k.replace(PLURAL, '') === base && PLURAL.test(k))
          .map((k) => PLURAL.exec(k)?.[1])
          .sort();
        expect(forms, `${lang} ${base}`).toEqual(categories);
      }
    }
  });

  it('every counted noun is tested here', () => {
    expect(Object.keys(expected).sort()).toEqual(pluralBases(uk as Catalogue));
  });

  for (const [key, want] of Object.entries(expected)) {
    for (const lang of ['uk', 'en'] as const) {
      it(`${key} in ${lang}: 1, 2, 5, 21, 22, 25`, () => {
        const t = i18n.getFixedT(lang);
        const got = COUNTS.map((count) => t(key as never, { count }) as string);
        expect(got).toEqual(want[lang]);
      });
    }
  }

  it('rules stated in words take the server policy’s numbers with the right case ("за 1 годину", "менше 5 годин")', () => {
    const uk = i18n.getFixedT('uk');
    expect(uk('portal.cancelNoLaterThan', { hours: 1 })).toBe('Скасувати можна не пізніше ніж за 1 годину.');
    expect(uk('portal.tooLateCancelLess', { hours: 5 })).toBe(
      'Скасувати вже не можна: до візиту менше 5 годин.',
    );
    expect(uk('portal.limitsSummary', { limit: 4, hours: 2 })).toMatch(
      /^Не більше 4 онлайн-записів на місяць\. .* за 2 години\./,
    );
    expect(uk('portal.chooseServiceCenterConvenient', { days: 21 })).toMatch(/на 21 день уперед/);
    expect(i18n.getFixedT('en')('portal.chooseServiceCenterConvenient', { days: 22 })).toMatch(
      /up to 22 days ahead/,
    );
  });

  it('Ukrainian is the default and English switches without a reload', async () => {
    expect(i18n.language).toBe('uk');
    expect(i18n.t('portal.places', { count: 4 })).toBe('4 місця');
    await i18n.changeLanguage('en');
    expect(i18n.t('portal.places', { count: 4 })).toBe('4 places');
    await i18n.changeLanguage('uk');
  });
});
