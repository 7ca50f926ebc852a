import { currentLang, type Lang } from './i18n.js';

/**
 * The catalogue in the reader's language: the API sends Ukrainian names with English ones next
 * to them (`nameEn`, `addressEn`, `documentsEn`, `priceEn`); an English reader gets the English
 * text where the catalogue has it and the Ukrainian otherwise, never an empty field.
 */
type Named = { name: string; nameEn?: string | null };
type Addressed = { address: string; addressEn?: string | null };
type Priced = { price: string | null; priceEn?: string | null };
type Documented = { documents: readonly string[]; documentsEn?: readonly string[] | null };

export function nameOf(x: Named, lang: Lang = currentLang()): string {
  return lang === 'en' && x.nameEn ? x.nameEn : x.name;
}

export function addressOf(x: Addressed, lang: Lang = currentLang()): string {
  return lang === 'en' && x.addressEn ? x.addressEn : x.address;
}

export function priceOf(s: Priced, lang: Lang = currentLang()): string | null {
  return lang === 'en' && s.priceEn ? s.priceEn : s.price;
}

export function documentsOf(s: Documented, lang: Lang = currentLang()): string[] {
  return [...(lang === 'en' && s.documentsEn?.length ? s.documentsEn : s.documents)];
}
