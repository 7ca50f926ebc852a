/**
 * Ukrainian by default, English on request (SPEC §5). The choice lives in the `lang` cookie,
 * which the server also reads for its problem messages, so the UI and the API speak the same.
 */
export type Lang = 'uk' | 'en';

function readLang(): Lang {
  if (typeof document === 'undefined') return 'uk';
  const m = /(?:^|;\s*)lang=(uk|en)/.exec(document.cookie);
  return (m?.[1] as Lang | undefined) ?? 'uk';
}

export let lang: Lang = readLang();

/** Picks the string of the current language: `L('Записатися', 'Book')`. */
export function L(uk: string, en: string): string {
  return lang === 'en' ? en : uk;
}

export function setLang(next: Lang) {
  // biome-ignore lint/suspicious/noDocumentCookie: the server reads the same cookie for its messages; Cookie Store API is not in every kiosk browser
  document.cookie = `lang=${next}; path=/; max-age=31536000; samesite=lax`;
  lang = next;
  document.documentElement.lang = next;
}

export function initLang() {
  document.documentElement.lang = lang;
}
