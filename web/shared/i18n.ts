import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import en from './locales/en.json' with { type: 'json' };
import uk from './locales/uk.json' with { type: 'json' };

/**
 * Ukrainian by default, English on request (SPEC §5). Messages live in the catalogues
 * (`locales/uk.json`, `locales/en.json`), one namespace per surface; counted nouns use the
 * language's plural rules (Intl.PluralRules: uk one/few/many/other, en one/other), so a count is
 * always passed as `count`. The choice lives in the `lang` cookie, which the server also reads
 * for its problem messages, so the UI and the API speak the same language.
 */
export type Lang = 'uk' | 'en';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof uk };
  }
}

function readLang(): Lang {
  if (typeof document === 'undefined') return 'uk';
  const m = /(?:^|;\s*)lang=(uk|en)/.exec(document.cookie);
  return (m?.[1] as Lang | undefined) ?? 'uk';
}

void i18next.use(initReactI18next).init({
  lng: readLang(),
  fallbackLng: 'uk',
  supportedLngs: ['uk', 'en'],
  resources: { uk: { translation: uk }, en: { translation: en } },
  // React escapes what it renders; escaping here would show "&amp;" on screen.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export const i18n = i18next;

/** The message of a key in the current language: `t('portal.book')`, `t('portal.places', { count })`. */
export const t = i18next.t.bind(i18next);

export function currentLang(): Lang {
  return i18next.language === 'en' ? 'en' : 'uk';
}

/** Picks the current language's text of a `{ uk, en }` pair (the server's catalogue entries). */
export function pick(text: { uk: string; en: string }): string {
  return currentLang() === 'en' ? text.en : text.uk;
}

export function setLang(next: Lang) {
  // biome-ignore lint/suspicious/noDocumentCookie: the server reads the same cookie for its messages; Cookie Store API is not in every kiosk browser
  document.cookie = `lang=${next}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = next;
  void i18next.changeLanguage(next);
}

export function initLang() {
  document.documentElement.lang = currentLang();
}

/**
 * Subscribes a component to the language: a surface's root calls it, so a switch re-renders the
 * whole tree in place (no reload, no lost form state).
 */
export function useLang(): Lang {
  useTranslation();
  return currentLang();
}
