import { escapeHtml as e } from '../notify/email-layout.js';
import { formatKyiv } from '../platform/kyiv-time.js';
import type { LinkRefusal } from './conflict-offer-service.js';

/**
 * The pages of the offer's one-click link (SPEC rule 8), in Ukrainian, without JavaScript. The
 * GET page only shows what will happen and a button; the move is the button's POST, so a mail
 * scanner fetching the link changes nothing. They show no personal data (a forwarded link
 * names nobody): the service, the center, the current and the offered time.
 */
const STYLE = `:root{--blue:#0a4a94;--blue-dark:#06346b;--yellow:#ffd500;--text:#16181d;--muted:#4a5260;--line:#c9d1dc;--bg:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;background:var(--bg);color:var(--text);line-height:1.5;font-size:18px}
a{color:var(--blue)}
header{background:var(--blue);color:#fff;border-bottom:4px solid var(--yellow)}
header div{max-width:640px;margin:0 auto;padding:12px 16px;display:flex;align-items:center;gap:12px}
.mark{display:inline-grid;place-items:center;width:40px;height:40px;border-radius:8px;background:var(--yellow);color:var(--blue-dark);font-weight:800}
.brand{font-weight:700;font-size:20px}.sub{display:block;font-size:14px;opacity:.9;font-weight:400}
main{max-width:640px;margin:0 auto;padding:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px;margin:16px 0}
h1{font-size:26px;margin:16px 0 8px}.muted{color:var(--muted)}
dl{margin:0}dt{font-weight:700}dd{margin:0 0 10px}.new{font-size:22px;font-weight:800;color:var(--blue-dark)}
.button{display:inline-block;font:inherit;font-weight:700;min-height:48px;padding:10px 24px;background:var(--blue);color:#fff;border:0;border-radius:8px;cursor:pointer;text-decoration:none}
.button:hover{background:var(--blue-dark)}.secondary{background:#fff;color:var(--blue);border:2px solid var(--blue)}
a:focus-visible,button:focus-visible{outline:3px solid #ffb400;outline-offset:2px}
footer{max-width:640px;margin:0 auto;padding:16px;font-size:14px;color:var(--muted)}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${e(title)} — Е-Запис</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${STYLE}</style></head>
<body><header><div><span class="mark" aria-hidden="true">ЕЗ</span><span class="brand">Е-Запис<span class="sub">Сервісні центри МВС</span></span></div></header>
<main id="main">${body}</main>
<footer>Е-Запис · сервісні центри МВС</footer></body></html>`;
}

const kyiv = (at: Date) => `${formatKyiv(at)} (за київським часом)`;

export interface OfferAbout {
  centerName: string;
  centerAddress: string;
  serviceName: string;
  currentStartsAt: Date;
  offeredStartsAt: Date;
  expiresAt: Date;
}

export function offerConfirmPage(token: string, a: OfferAbout): string {
  return page(
    'Перенести запис на інший час?',
    `<h1>Перенести запис на інший час?</h1>
<div class="card"><dl>
<dt>Послуга</dt><dd>${e(a.serviceName)}</dd>
<dt>Сервісний центр</dt><dd>${e(a.centerName)}, ${e(a.centerAddress)}</dd>
<dt>Зараз запис на</dt><dd>${e(kyiv(a.currentStartsAt))}</dd>
<dt>Новий час</dt><dd class="new" data-testid="offered-time">${e(kyiv(a.offeredStartsAt))}</dd>
</dl></div>
<p>Після підтвердження цей самий запис переноситься на новий час: попередній час перестане діяти, номер талона буде новий. Лист із новим часом і файлом календаря надійде на вашу пошту. Інші запропоновані часи після цього перестануть діяти.</p>
<p class="muted">Це перенесення не зараховується до ваших власних перенесень. Пропозиція діє до ${e(kyiv(a.expiresAt))}.</p>
<form method="post" action="/conflict-offer/${encodeURIComponent(token)}">
<input type="hidden" name="confirm" value="1">
<p><button class="button" type="submit">Підтвердити перенесення</button></p>
</form>
<p><a class="button secondary" href="/my">Не переносити — до моїх записів</a></p>`,
  );
}

export function offerMovedPage(startsAt: Date): string {
  return page(
    'Запис перенесено',
    `<h1>Запис перенесено</h1>
<div class="card" role="status"><p>Ваш запис перенесено на <strong data-testid="moved-time">${e(kyiv(startsAt))}</strong>.</p>
<p>Лист із новим часом, номером талона і файлом календаря надіслано на вашу пошту.</p>
<p><a class="button" href="/my">Мої записи</a></p></div>`,
  );
}

const refusals: Record<LinkRefusal, [string, string]> = {
  invalid: [
    'Посилання недійсне',
    'Це посилання недійсне: можливо, його скопійовано не повністю. Відкрийте його з листа ще раз або перегляньте запис у розділі «Мої записи».',
  ],
  expired: [
    'Термін пропозиції минув',
    'Час, відведений на вибір, минув, і це посилання більше не діє. Ваш запис не змінено. Зверніться до сервісного центру або оберіть інший час на порталі.',
  ],
  used: [
    'Посилання вже використано',
    'Цим посиланням уже скористалися: запис перенесено. Актуальний час — у розділі «Мої записи» та в листі-підтвердженні.',
  ],
  withdrawn: [
    'Пропозиція більше не діє',
    'Цю пропозицію відкликано: ви вже обрали інший час, або сервісний центр вирішив питання інакше. Актуальний стан запису — у розділі «Мої записи».',
  ],
  taken: [
    'Цей час уже зайнятий',
    'Поки ви обирали, цей час зайняли. Ваш запис не змінено. Скористайтеся іншим посиланням із листа або зверніться до сервісного центру.',
  ],
  changed: [
    'Запис змінився',
    'Відколи надіслано пропозицію, запис змінився (його перенесли або скасували), тому перенести його за цим посиланням не можна. Актуальний стан — у розділі «Мої записи».',
  ],
  'busy-day': [
    'Перенести на цей день не можна',
    'На цей день у вас уже є інший запис на послугу цієї групи, або місця цього дня ще розподіляє жеребкування. Ваш запис не змінено: скористайтеся іншим посиланням із листа.',
  ],
};

export function offerRefusedPage(reason: LinkRefusal): string {
  const [title, text] = refusals[reason];
  return page(
    title,
    `<h1>${e(title)}</h1><div class="card" role="alert"><p>${e(text)}</p><p><a class="button" href="/my">Мої записи</a></p></div>`,
  );
}

/** HTTP status of a refused link: gone for a used/expired one, conflict for a race, 404 otherwise. */
export function refusalStatus(reason: LinkRefusal): number {
  if (reason === 'invalid') return 404;
  if (reason === 'expired' || reason === 'used' || reason === 'withdrawn') return 410;
  return 409;
}
