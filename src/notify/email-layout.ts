/**
 * One layout for every email: a template fills in a `Letter` (plain data), and the layout
 * writes it as plain text and as simple, accessible HTML (lang attribute, one heading, a
 * definition list for the facts, real link text, no images, no scripts, readable without CSS).
 */
export type Lang = 'uk' | 'en';

export interface Letter {
  lang: Lang;
  subject: string;
  heading: string;
  greeting: string;
  intro: string[];
  facts: Array<[string, string]>;
  list?: { title: string; items: string[] };
  /** Several links to choose from (one per offered time), each its own button. */
  actions?: { title: string; items: Array<{ label: string; url: string }> };
  paragraphs: string[];
  link?: { label: string; url: string };
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

const FOOTER = {
  uk: 'Цей лист надіслано автоматично системою «Е-Запис» сервісних центрів МВС. Не відповідайте на нього.',
  en: 'This email was sent automatically by the E-Zapys system of the MIA service centers. Please do not reply.',
};

export function renderLetter(letter: Letter): Rendered {
  return { subject: letter.subject, text: asText(letter), html: asHtml(letter) };
}

function asText(l: Letter): string {
  const out: string[] = [l.heading, '', l.greeting, ''];
  for (const p of l.intro) out.push(p, '');
  if (l.facts.length) {
    for (const [k, v] of l.facts) out.push(`${k}: ${v}`);
    out.push('');
  }
  if (l.list?.items.length) {
    out.push(l.list.title);
    for (const item of l.list.items) out.push(`  - ${item}`);
    out.push('');
  }
  if (l.actions?.items.length) {
    out.push(l.actions.title);
    for (const a of l.actions.items) out.push(`  - ${a.label}: ${a.url}`);
    out.push('');
  }
  for (const p of l.paragraphs) out.push(p, '');
  if (l.link) out.push(`${l.link.label}: ${l.link.url}`, '');
  out.push('--', FOOTER[l.lang]);
  return out.join('\n');
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function asHtml(l: Letter): string {
  const e = escapeHtml;
  const parts: string[] = [
    '<!doctype html>',
    `<html lang="${l.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${e(l.subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f5f7;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    '<main style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff">',
    '<p style="margin:0 0 16px;font-weight:bold;color:#005bbb">Е-Запис · МВС</p>',
    `<h1 style="font-size:22px;margin:0 0 16px">${e(l.heading)}</h1>`,
    `<p>${e(l.greeting)}</p>`,
    ...l.intro.map((p) => `<p>${e(p)}</p>`),
  ];
  if (l.facts.length) {
    parts.push('<dl style="margin:16px 0;padding:16px;border:1px solid #c9ced6;border-radius:4px">');
    for (const [k, v] of l.facts) {
      parts.push(`<dt style="font-weight:bold">${e(k)}</dt><dd style="margin:0 0 8px">${e(v)}</dd>`);
    }
    parts.push('</dl>');
  }
  if (l.list?.items.length) {
    parts.push(`<h2 style="font-size:18px">${e(l.list.title)}</h2><ul>`);
    for (const item of l.list.items) parts.push(`<li>${e(item)}</li>`);
    parts.push('</ul>');
  }
  if (l.actions?.items.length) {
    parts.push(`<h2 style="font-size:18px">${e(l.actions.title)}</h2><ul style="list-style:none;padding:0">`);
    for (const a of l.actions.items)
      parts.push(
        `<li style="margin:0 0 12px"><a href="${e(a.url)}" style="display:inline-block;padding:12px 20px;background:#005bbb;color:#ffffff;text-decoration:underline;border-radius:4px">${e(a.label)}</a></li>`,
      );
    parts.push('</ul>');
  }
  for (const p of l.paragraphs) parts.push(`<p>${e(p)}</p>`);
  if (l.link) {
    parts.push(
      `<p><a href="${e(l.link.url)}" style="display:inline-block;padding:12px 20px;background:#005bbb;color:#ffffff;text-decoration:underline;border-radius:4px">${e(l.link.label)}</a></p>`,
      `<p style="font-size:14px;color:#4a4a4a">${e(l.link.url)}</p>`,
    );
  }
  parts.push(
    `<hr style="border:none;border-top:1px solid #c9ced6"><p style="font-size:14px;color:#4a4a4a">${e(FOOTER[l.lang])}</p>`,
    '</main></body></html>',
  );
  return parts.join('\n');
}
