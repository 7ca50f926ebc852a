import { formatKyiv } from '../platform/kyiv-time.js';
import { escapeHtml as e } from './email-layout.js';
import type { MailAttachment } from './notify-schema.js';

/**
 * The demo mailbox pages (/dev/mailbox): plain server-rendered HTML, Ukrainian, accessible.
 * A message's HTML is shown in a sandboxed iframe (no scripts, no same-origin), its text
 * escaped.
 */
const STYLE = `body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#1a1a1a;background:#f4f5f7;line-height:1.5}
main{max-width:960px;margin:0 auto;padding:24px;background:#fff;min-height:100vh}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:8px;border-bottom:1px solid #c9ced6;vertical-align:top}
a{color:#004a99}pre{white-space:pre-wrap;background:#f4f5f7;padding:12px;border:1px solid #c9ced6}
iframe{width:100%;height:640px;border:1px solid #c9ced6}.muted{color:#4a4a4a}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function devMailboxPage(
  rows: Array<{ id: number; received_at: Date; recipients: string[]; subject: string }>,
  smtpUrl: string | undefined,
): string {
  const items = rows
    .map(
      (r) => `<tr><td>${e(formatKyiv(new Date(r.received_at)))}</td><td>${e(r.recipients.join(', '))}</td>
<td><a href="/dev/mailbox/${r.id}">${e(r.subject || '(без теми)')}</a></td></tr>`,
    )
    .join('\n');
  return page(
    'Демо-поштова скринька — Е-Запис',
    `<h1>Демо-поштова скринька</h1>
<p class="muted">Лише в демо-режимі: листи, які система надіслала через вбудований SMTP-сервер${smtpUrl ? ` (${e(smtpUrl)})` : ''}. Найновіші зверху. <a href="/dev/mailbox.json">JSON</a></p>
${
  rows.length
    ? `<table><caption class="muted">Отримано листів: ${rows.length}</caption><thead><tr><th scope="col">Час (Київ)</th><th scope="col">Кому</th><th scope="col">Тема</th></tr></thead><tbody>${items}</tbody></table>`
    : '<p>Листів ще немає. Запишіться на прийом — підтвердження з’явиться тут за секунду.</p>'
}`,
  );
}

export function devMessagePage(mail: {
  id: number;
  received_at: Date;
  mail_from: string | null;
  recipients: string[];
  subject: string;
  text_body: string | null;
  html_body: string | null;
  attachments: MailAttachment[];
}): string {
  const attachments = mail.attachments
    .map(
      (a, i) =>
        `<li><a href="/dev/mailbox/${mail.id}/attachments/${i}" download="${e(a.filename)}">${e(a.filename)}</a> <span class="muted">(${e(a.contentType)})</span></li>`,
    )
    .join('');
  return page(
    `${mail.subject} — демо-поштова скринька`,
    `<p><a href="/dev/mailbox">← До списку листів</a></p>
<h1>${e(mail.subject || '(без теми)')}</h1>
<dl><dt>Від</dt><dd>${e(mail.mail_from ?? '')}</dd><dt>Кому</dt><dd>${e(mail.recipients.join(', '))}</dd>
<dt>Отримано</dt><dd>${e(formatKyiv(new Date(mail.received_at)))} (за київським часом)</dd></dl>
${attachments ? `<h2>Вкладення</h2><ul>${attachments}</ul>` : ''}
${mail.html_body ? `<h2>HTML-версія</h2><iframe title="HTML-версія листа" sandbox="" srcdoc="${e(mail.html_body)}"></iframe>` : ''}
<h2>Текстова версія</h2><pre>${e(mail.text_body ?? '')}</pre>`,
  );
}
