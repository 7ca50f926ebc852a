import { escapeHtml as e } from '../notify/email-layout.js';

/**
 * The rating page of the email link. It looks like the portal and the mails (the same blue
 * header, card and buttons), works without JavaScript and with a screen reader: one h1, a
 * fieldset with a legend for the rating, every control labelled, visible focus, large targets.
 */
const STYLE = `:root{--blue:#0a4a94;--blue-dark:#06346b;--blue-light:#e8f0fb;--yellow:#ffd500;--text:#16181d;--muted:#4a5260;--line:#c9d1dc;--bg:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;background:var(--bg);color:var(--text);line-height:1.5;font-size:18px}
a{color:var(--blue)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:1}
header{background:var(--blue);color:#fff;border-bottom:4px solid var(--yellow)}
header div{max-width:640px;margin:0 auto;padding:12px 16px;display:flex;align-items:center;gap:12px}
.mark{display:inline-grid;place-items:center;width:40px;height:40px;border-radius:8px;background:var(--yellow);color:var(--blue-dark);font-weight:800}
.brand{font-weight:700;font-size:20px}.sub{display:block;font-size:14px;opacity:.9;font-weight:400}
main{max-width:640px;margin:0 auto;padding:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px;margin:16px 0}
h1{font-size:26px;margin:16px 0 8px}.muted{color:var(--muted)}
fieldset{border:0;margin:0;padding:0}legend{font-weight:700;margin-bottom:8px}
.stars{display:flex;flex-wrap:wrap;gap:8px}
.stars label{display:flex;flex-direction:column;align-items:center;min-width:88px;min-height:64px;padding:8px 10px;border:2px solid var(--line);border-radius:8px;cursor:pointer;background:#fff}
.stars input{width:22px;height:22px;margin:0 0 4px}
.stars label:has(input:checked){border-color:var(--blue);background:var(--blue-light)}
.n{font-size:24px;font-weight:800;line-height:1}.w{font-size:14px}
textarea{width:100%;font:inherit;padding:10px;border:1px solid var(--muted);border-radius:8px}
.button{display:inline-block;font:inherit;font-weight:700;min-height:48px;padding:10px 24px;background:var(--blue);color:#fff;border:0;border-radius:8px;cursor:pointer;text-decoration:none}
.button:hover{background:var(--blue-dark)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,label:focus-within{outline:3px solid #ffb400;outline-offset:2px}
footer{max-width:640px;margin:0 auto;padding:16px;font-size:14px;color:var(--muted)}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} — Е-Запис</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${STYLE}</style></head>
<body><a class="skip" href="#main">Перейти до змісту</a>
<header><div><span class="mark" aria-hidden="true">ЕЗ</span><span class="brand">Е-Запис<span class="sub">Сервісні центри МВС</span></span></div></header>
<main id="main">${body}</main>
<footer>Е-Запис · сервісні центри МВС</footer></body></html>`;
}

const WORDS = ['дуже погано', 'погано', 'задовільно', 'добре', 'відмінно'];

export function feedbackFormPage(
  token: string,
  about: { serviceName: string; centerName: string; date: string },
): string {
  const stars = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label><input type="radio" name="rating" value="${n}" required><span class="n">${n}</span><span class="w">${WORDS[n - 1]}</span></label>`,
    )
    .join('');
  return page(
    'Оцініть візит',
    `<h1>Оцініть візит</h1>
<p class="muted">${e(about.serviceName)} · ${e(about.centerName)} · ${e(about.date.split('-').reverse().join('.'))}</p>
<form class="card" method="post" action="/feedback/${encodeURIComponent(token)}">
<fieldset><legend>Як вас обслужили? (1 — дуже погано, 5 — відмінно)</legend><div class="stars">${stars}</div></fieldset>
<p><label for="comment">Коментар (необов’язково, до 1000 символів)</label><br>
<textarea id="comment" name="comment" rows="5" maxlength="1000"></textarea></p>
<p><button class="button" type="submit">Надіслати оцінку</button></p>
<p class="muted">Оцінка анонімна для працівника вікна.</p></form>`,
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
  return page(
    title,
    `<h1>${e(title)}</h1><div class="card"><p>${e(text)}</p><p><a class="button" href="/my">Мої записи</a></p></div>`,
  );
}
