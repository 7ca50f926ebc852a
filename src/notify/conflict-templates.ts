import { formatKyiv } from '../platform/kyiv-time.js';
import { type Lang, type Rendered, renderLetter } from './email-layout.js';
import {
  greeting,
  kyiv,
  langOf,
  myRegistrationsUrl,
  type TemplateContext,
  visitFacts,
} from './email-templates.js';
import type { RegistrationView } from './message-store.js';

/**
 * SPEC rule 8: what the center head does about a registration regeneration could not keep,
 * told to the person: another time to choose (one signed link per offered time), or a
 * cancellation with the head's reason and how to book again. Pure, like email-templates.ts.
 */
const pick = <T>(lang: Lang, uk: T, en: T): T => (lang === 'en' ? en : uk);

export interface OfferedTime {
  startsAt: Date;
  url: string;
}

export function conflictOffer(
  r: RegistrationView,
  times: OfferedTime[],
  expiresAt: Date,
  ctx: TemplateContext,
): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Оберіть інший час: ваш запис на ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `Choose another time: your visit on ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(lang, 'Сервісний центр пропонує інший час', 'The service center offers another time'),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        `Сервісний центр змінив графік роботи, і ваш запис на ${kyiv(lang, r.startsAt)} не може відбутися в цей час. Керівник центру пропонує перенести цей самий запис на один із вільних часів нижче.`,
        `The service center changed its schedule and your visit on ${kyiv(lang, r.startsAt)} cannot take place at that time. The head of the center offers to move this same registration to one of the free times below.`,
      ),
      pick(
        lang,
        'Натисніть на зручний час: відкриється сторінка, де видно, що зміниться, і ви підтвердите перенесення ще одним натисканням. Входити на портал не потрібно.',
        'Click the time that suits you: a page opens showing what will change, and you confirm the move with one more click. No sign-in is needed.',
      ),
    ],
    facts: visitFacts(lang, r, r.startsAt),
    actions: {
      title: pick(lang, 'Запропонований час', 'Offered times'),
      items: times.map((o) => ({
        label: pick(lang, `Перенести на ${kyiv(lang, o.startsAt)}`, `Move to ${kyiv(lang, o.startsAt)}`),
        url: o.url,
      })),
    },
    paragraphs: [
      pick(
        lang,
        `Посилання дійсні до ${kyiv(lang, expiresAt)}; кожне можна використати один раз, і після перенесення решта перестануть діяти. Якщо обраний час тим часом займуть, скористайтеся іншим посиланням.`,
        `The links are valid until ${kyiv(lang, expiresAt)}; each works once, and after the move the others stop working. If the chosen time is taken meanwhile, use another link.`,
      ),
      pick(
        lang,
        'Таке перенесення не зараховується до ваших власних перенесень і не змінює ліміт записів. Якщо жоден час не підходить, скасуйте запис на порталі або зверніться до сервісного центру.',
        'This move does not count as one of your own moves and does not change your registration limit. If no time suits you, cancel the registration on the portal or contact the service center.',
      ),
    ],
    link: {
      label: pick(lang, 'Мої записи на порталі', 'My registrations on the portal'),
      url: myRegistrationsUrl(ctx),
    },
  });
}

export function conflictCancelled(r: RegistrationView, reason: string, ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Сервісний центр скасував ваш запис: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `The service center cancelled your visit: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(
      lang,
      'Сервісний центр скасував ваш запис',
      'The service center cancelled your registration',
    ),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'На жаль, сервісний центр не може прийняти вас у призначений час, і керівник центру скасував цей запис.',
        'Unfortunately the service center cannot receive you at the booked time, and the head of the center cancelled this registration.',
      ),
    ],
    facts: [...visitFacts(lang, r, r.startsAt), [pick(lang, 'Причина', 'Reason'), reason]],
    paragraphs: [
      pick(
        lang,
        'Це скасування не зараховується до вашого місячного ліміту записів.',
        'This cancellation does not count towards your monthly registration limit.',
      ),
      pick(
        lang,
        'Щоб записатися знову, відкрийте портал і оберіть послугу, сервісний центр (цей або інший), день і час. Якщо вільних місць немає, станьте в список очікування: місце, що звільниться, запропонують вам листом.',
        'To book again, open the portal and choose the service, a service center (this one or another), a day and a time. If no place is free, join the waitlist: a place that becomes free will be offered to you by e-mail.',
      ),
    ],
    link: {
      label: pick(lang, 'Записатися знову на порталі', 'Book again on the portal'),
      url: `${ctx.portalUrl.replace(/\/+$/, '')}/book`,
    },
  });
}
