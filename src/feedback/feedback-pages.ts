import { escapeHtml as e } from '../notify/email-layout.js';

/** The rating page of the email link: Ukrainian, accessible (fieldset/legend, labels), no JS. */
const STYLE = `body{font-family:Arial,Helvetica,sans-serif;margin:0;background:#f4f5f7;color:#1a1a1a;line-height:1.5;font-size:18px}
main{max-width:560px;margin:0 auto;padding:24px;background:#fff;min-height:100vh}
fieldset{border:1px solid #c9ced6;padding:12px}label{display:inline-block;margin:6px 12px 6px 0;padding:8px}
input[type=radio]{width:24px;height:24px;vertical-align:middle}textarea{width:100%;font:inherit}
button{font:inherit;padding:12px 24px;background:#005bbb;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:focus,input:focus,textarea:focus{outline:3px solid #ffb400}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} — Е-Запис</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function feedbackFormPage(
  token: string,
  about: { serviceName: string; centerName: string; date: string },
): string {
  const stars = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label><input type="radio" name="rating" value="${n}" required> ${n}${n === 1 ? ' — погано' : n === 5 ? ' — відмінно' : ''}</label>`,
    )
    .join('');
  return page(
    'Оцініть візит',
    `<h1>Оцініть візит</h1>
<p>${e(about.serviceName)}, ${e(about.centerName)}, ${e(about.date.split('-').reverse().join('.'))}</p>
<form method="post" action="/feedback/${encodeURIComponent(token)}">
<fieldset><legend>Як вас обслужили? (1 — погано, 5 — відмінно)</legend>${stars}</fieldset>
<p><label for="comment">Коментар (необов’язково, до 1000 символів)</label><br>
<textarea id="comment" name="comment" rows="5" maxlength="1000"></textarea></p>
<p><button type="submit">Надіслати оцінку</button></p></form>`,
  );
}

const results = {
  thanks: ['Дякуємо за оцінку!', 'Вашу оцінку збережено. Вона допоможе покращити роботу сервісного центру.'],
  rated: ['Візит уже оцінено', 'Оцінку цього візиту вже отримано. Дякуємо!'],
  invalid: ['Посилання недійсне', 'Посилання для оцінки недійсне, застаріле або вже використане.'],
  'invalid-input': ['Оберіть оцінку', 'Будь ласка, поверніться назад і оберіть оцінку від 1 до 5.'],
} as const;

export function feedbackResultPage(kind: keyof typeof results): string {
  const [title, text] = results[kind];
  return page(title, `<h1>${e(title)}</h1><p>${e(text)}</p><p><a href="/">На головну сторінку</a></p>`);
}
