import type { PriorityCategory } from '../platform/db-schema.js';
import { formatKyiv, kyivDay } from '../platform/kyiv-time.js';
import { type Lang, type Letter, type Rendered, renderLetter } from './email-layout.js';
import type { PersonView, RegistrationView } from './message-store.js';

/**
 * The texts of every email, Ukrainian first, English when the person chose it. Pure: data in,
 * subject/text/html out. Only the person's name is personal data here: never an РНОКПП,
 * passport or document number.
 */
export interface TemplateContext {
  portalUrl: string;
  cancelBeforeMinutes: number;
}

const pick = <T>(lang: Lang, uk: T, en: T): T => (lang === 'en' ? en : uk);

export function langOf(person: { lang: string } | undefined, fallback: string): Lang {
  const l = person?.lang ?? fallback;
  return l === 'en' ? 'en' : 'uk';
}

/**
 * A name as typed at a kiosk may be all capitals or all small letters: every mail writes it the
 * same way ("Олена Коваленко-Петренко"), whatever the channel it came from.
 */
function nameCase(part: string): string {
  const trimmed = part.trim();
  if (trimmed !== trimmed.toUpperCase() && trimmed !== trimmed.toLowerCase()) return trimmed;
  return trimmed
    .toLowerCase()
    .replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

function fullName(p: PersonView): string {
  return [p.firstName, p.middleName, p.lastName]
    .filter((x): x is string => Boolean(x?.trim()))
    .map(nameCase)
    .join(' ');
}

/** One greeting in every mail: by name when there is one, never an empty comma. */
export const greeting = (lang: Lang, p: PersonView) => {
  const name = fullName(p);
  if (!name) return pick(lang, 'Добрий день!', 'Hello!');
  return pick(lang, `Добрий день, ${name}!`, `Hello, ${name}!`);
};
export const kyiv = (lang: Lang, at: Date) =>
  `${formatKyiv(at)} ${pick(lang, '(за київським часом)', '(Kyiv time)')}`;
const numberOf = (r: RegistrationView) => (r.number === null ? '—' : String(r.number));

/** The facts of a visit; `time` null leaves the date out (a letter that states its own time). */
export function visitFacts(lang: Lang, r: RegistrationView, time: Date | null): Array<[string, string]> {
  return [
    [pick(lang, 'Номер талона', 'Ticket number'), numberOf(r)],
    [pick(lang, 'Послуга', 'Service'), r.serviceName],
    [pick(lang, 'Сервісний центр', 'Service center'), r.centerName],
    [pick(lang, 'Адреса', 'Address'), r.centerAddress],
    ...(time
      ? ([[pick(lang, 'Дата і час', 'Date and time'), kyiv(lang, time)]] as Array<[string, string]>)
      : []),
    ...(r.legalEntity
      ? ([
          [
            pick(lang, 'Юридична особа', 'Legal entity'),
            `${r.legalEntity.name} (${pick(lang, 'ЄДРПОУ', 'EDRPOU')} ${r.legalEntity.edrpou})`,
          ],
        ] as Array<[string, string]>)
      : []),
  ];
}

function documents(lang: Lang, r: RegistrationView): Letter['list'] {
  return {
    title: pick(lang, 'Що взяти з собою', 'What to bring'),
    items: r.documents.length
      ? r.documents
      : [pick(lang, 'Документ, що посвідчує особу', 'An identity document')],
  };
}

function cancelHint(lang: Lang, r: RegistrationView, ctx: TemplateContext): string {
  const until = new Date(r.startsAt.getTime() - ctx.cancelBeforeMinutes * 60_000);
  const hours = ctx.cancelBeforeMinutes / 60;
  return pick(
    lang,
    `Якщо не зможете прийти, скасуйте запис онлайн у розділі «Мої записи» не пізніше ніж за ${hours} год до призначеного часу — до ${kyiv(lang, until)}. Так місце отримає інша людина, а неявки без скасування можуть призвести до блокування запису.`,
    `If you cannot come, cancel online under "My registrations" no later than ${hours} h before the time — by ${kyiv(lang, until)}. The place then goes to someone else; missed visits without cancelling can lead to a block.`,
  );
}

/** The portal's "my registrations" page: where a person sees, cancels or rates a visit. */
export const myRegistrationsUrl = (ctx: TemplateContext) => `${ctx.portalUrl.replace(/\/+$/, '')}/my`;

const portalLink = (lang: Lang, ctx: TemplateContext) => ({
  label: pick(lang, 'Мої записи на порталі', 'My registrations on the portal'),
  url: myRegistrationsUrl(ctx),
});

/**
 * The original document that proves a priority category (SPEC rule 5c): the desk checks it
 * before serving the ticket first, so the mail says exactly which one to bring.
 */
const PRIORITY_DOCUMENT: Record<PriorityCategory, { uk: string; en: string }> = {
  disability: {
    uk: 'Оригінал посвідчення особи з інвалідністю (або довідки МСЕК)',
    en: 'The original disability certificate (or the medical commission’s certificate)',
  },
  disability_companion: {
    uk: 'Оригінал посвідчення особи з інвалідністю I групи, яку ви супроводжуєте',
    en: 'The original group I disability certificate of the person you accompany',
  },
  fallen_defender_family: {
    uk: 'Оригінал посвідчення члена сім’ї загиблого (померлого) Захисника чи Захисниці України',
    en: 'The original certificate of a family member of a fallen Defender of Ukraine',
  },
  military: {
    uk: 'Оригінал військового квитка або посвідчення військовослужбовця',
    en: 'The original military ID or service member’s certificate',
  },
};

export function priorityDocument(lang: Lang, category: PriorityCategory): string {
  return PRIORITY_DOCUMENT[category][lang];
}

/**
 * The expected call time a mail may announce: never before the moment it is sent (after an
 * alert a shifted time can already be past), at the earliest now plus the queue ahead.
 */
export function announcedCallTime(expected: Date, sentAt: Date, queueAheadMs = 0): Date {
  return new Date(Math.max(expected.getTime(), sentAt.getTime() + Math.max(0, queueAheadMs)));
}

export function registrationConfirmed(
  r: RegistrationView,
  ctx: TemplateContext,
  lottery = false,
  checkInCode?: string,
): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Запис підтверджено: № ${numberOf(r)}, ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `Registration confirmed: No. ${numberOf(r)}, ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(lang, 'Ваш запис підтверджено', 'Your registration is confirmed'),
    greeting: greeting(lang, r.person),
    intro: [
      lottery
        ? pick(
            lang,
            'За результатами жеребкування у перші хвилини відкриття запису вам дісталося місце.',
            'The release-day lottery has given you a place.',
          )
        : pick(
            lang,
            'Ви записалися на прийом до сервісного центру МВС.',
            'You have booked a visit to an MIA service center.',
          ),
    ],
    facts: visitFacts(lang, r, r.startsAt),
    list: documents(lang, r),
    paragraphs: [
      pick(
        lang,
        'Паперовий талон не потрібен: цей лист і номер талона — ваше підтвердження. Приходьте за кілька хвилин до призначеного часу; номер буде показано на табло в залі.',
        'No paper ticket is needed: this email and the ticket number are your confirmation. Arrive a few minutes early; your number will be shown on the hall board.',
      ),
      cancelHint(lang, r, ctx),
      ...(checkInCode
        ? [
            pick(
              lang,
              `У день візиту відмітьтеся на кіоску в центрі: покажіть його камері QR-код із вкладення (check-in-qr.svg) або з розділу «Мої записи», чи введіть номер талона і прізвище. Код: ${checkInCode}`,
              `On the day, check in at the center's kiosk: show its camera the QR code attached (check-in-qr.svg) or the one in “My registrations”, or type the ticket number and your surname. Code: ${checkInCode}`,
            ),
          ]
        : []),
      pick(
        lang,
        'У вкладенні — файл календаря (.ics), щоб додати візит у свій календар.',
        'A calendar file (.ics) is attached so you can add the visit to your calendar.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

/** Rule 3: the same registration at a new time; the .ics keeps its UID, so calendars move the event. */
export function registrationMoved(
  r: RegistrationView,
  from: Date | undefined,
  ctx: TemplateContext,
): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Запис перенесено: № ${numberOf(r)}, ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `Registration moved: No. ${numberOf(r)}, ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(lang, 'Ваш запис перенесено', 'Your registration has been moved'),
    greeting: greeting(lang, r.person),
    intro: [
      from
        ? pick(
            lang,
            `Запис перенесено з ${kyiv(lang, from)} на новий час. Номер талона новий; попередній час більше не діє.`,
            `The registration has moved from ${kyiv(lang, from)} to a new time. The ticket number is new; the previous time is no longer valid.`,
          )
        : pick(lang, 'Запис перенесено на новий час.', 'The registration has moved to a new time.'),
    ],
    facts: visitFacts(lang, r, r.startsAt),
    list: documents(lang, r),
    paragraphs: [
      cancelHint(lang, r, ctx),
      pick(
        lang,
        'У вкладенні — оновлений файл календаря (.ics): він замінить попередню подію у вашому календарі.',
        'An updated calendar file (.ics) is attached: it replaces the previous event in your calendar.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

export function terminalTicket(r: RegistrationView, _ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Ваш електронний талон № ${numberOf(r)}`,
      `Your electronic ticket No. ${numberOf(r)}`,
    ),
    heading: pick(lang, `Талон № ${numberOf(r)}`, `Ticket No. ${numberOf(r)}`),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'Паперового талона немає — цей лист і є вашим талоном. Стежте за табло в залі: коли ваш номер з’явиться, підходьте до вказаного вікна.',
        'There is no paper ticket — this email is your ticket. Watch the hall board: when your number appears, go to the desk shown.',
      ),
    ],
    facts: [
      ...visitFacts(lang, r, null),
      [pick(lang, 'Очікуваний час виклику', 'Expected call time'), kyiv(lang, r.callAt)],
      ...(r.priority
        ? ([
            [
              pick(lang, 'Першочергове обслуговування', 'Priority service'),
              priorityDocument(lang, r.priority),
            ],
          ] as Array<[string, string]>)
        : []),
    ],
    list: r.priority
      ? {
          title: pick(lang, 'Що взяти з собою', 'What to bring'),
          items: [
            `${priorityDocument(lang, r.priority)} — ${pick(
              lang,
              'покажіть його у вікні, коли вас викличуть',
              'show it at the desk when you are called',
            )}`,
            ...(documents(lang, r)?.items ?? []),
          ],
        }
      : documents(lang, r),
    paragraphs: [
      pick(
        lang,
        'Час виклику орієнтовний: він може змінитися, зокрема через повітряну тривогу. Про зміну ми повідомимо.',
        'The call time is an estimate and may change, for example because of an air-raid alert. We will tell you if it does.',
      ),
    ],
  });
}

/** Rule 12: a freed place held for a waiter until `expiresAt`; accept or decline on the portal. */
export function waitlistOffer(r: RegistrationView, expiresAt: Date, ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Для вас звільнилося місце: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `A place is free for you: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(lang, 'Для вас звільнилося місце', 'A place has become free for you'),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        `Ви в списку очікування, і це місце випало вам за жеребом. Воно тримається для вас до ${kyiv(lang, expiresAt)}.`,
        `You are on the waitlist and this place was drawn for you. It is held for you until ${kyiv(lang, expiresAt)}.`,
      ),
    ],
    facts: visitFacts(lang, r, r.startsAt).filter((_, i) => i > 0),
    paragraphs: [
      pick(
        lang,
        'Прийміть або відхиліть його в розділі «Мої записи». Якщо не відповісте вчасно, місце отримає інша людина зі списку.',
        'Accept or decline it under "My registrations". If you do not answer in time, the place goes to someone else on the list.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

export function registrationCancelled(r: RegistrationView, ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Запис скасовано: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
      `Registration cancelled: ${formatKyiv(r.startsAt)}, ${r.centerName}`,
    ),
    heading: pick(lang, 'Ваш запис скасовано', 'Your registration is cancelled'),
    greeting: greeting(lang, r.person),
    intro: [pick(lang, 'Запис, наведений нижче, скасовано.', 'The registration below has been cancelled.')],
    facts: visitFacts(lang, r, r.startsAt),
    paragraphs: [
      pick(
        lang,
        'Скасований запис зараховується до місячного ліміту записів. Щоб обрати інший час, скористайтеся порталом.',
        'A cancelled registration still counts towards the monthly limit. To choose another time, use the portal.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

export function reminder(r: RegistrationView, ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Нагадування: завтра о ${formatKyiv(r.startsAt).slice(11)} — ${r.centerName}`,
      `Reminder: tomorrow at ${formatKyiv(r.startsAt).slice(11)} — ${r.centerName}`,
    ),
    heading: pick(lang, 'Нагадуємо про ваш запис на завтра', 'A reminder of your visit tomorrow'),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'Чекаємо на вас завтра в сервісному центрі МВС.',
        'We expect you tomorrow at the MIA service center.',
      ),
    ],
    facts: visitFacts(lang, r, r.startsAt),
    list: documents(lang, r),
    paragraphs: [cancelHint(lang, r, ctx)],
    link: portalLink(lang, ctx),
  });
}

export function alertDelay(r: RegistrationView, newCallAt: Date, _ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Час виклику змінено: талон № ${numberOf(r)}, орієнтовно ${formatKyiv(newCallAt).slice(11)}`,
      `Call time changed: ticket No. ${numberOf(r)}, about ${formatKyiv(newCallAt).slice(11)}`,
    ),
    heading: pick(
      lang,
      'Через повітряну тривогу час виклику змінився',
      'The call time changed because of an air-raid alert',
    ),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'Під час повітряної тривоги обслуговування в сервісному центрі призупинялося. Після відбою прийом продовжується з того місця, де зупинився, тож ваш запис зберігається, а очікуваний час виклику зсунувся.',
        'Service was paused during an air-raid alert. After the all-clear it resumes where it stopped, so your registration stands and the expected call time has moved.',
      ),
    ],
    facts: [
      ...visitFacts(lang, r, null),
      [pick(lang, 'Новий очікуваний час виклику', 'New expected call time'), kyiv(lang, newCallAt)],
    ],
    paragraphs: [
      pick(
        lang,
        'Неявка через тривогу не вважається порушенням. Бережіть себе й перебувайте в укритті, доки триває тривога.',
        'Missing a time because of an alert never counts as a no-show. Stay safe and remain in shelter while the alert lasts.',
      ),
    ],
  });
}

export function scheduleConflict(r: RegistrationView, ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Зміна розкладу центру: ваш запис на ${formatKyiv(r.startsAt)}`,
      `Schedule change at the center: your visit on ${formatKyiv(r.startsAt)}`,
    ),
    heading: pick(lang, 'Розклад сервісного центру змінився', 'The service center schedule has changed'),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'Сервісний центр змінив графік роботи, і ваш запис не вдалося автоматично зберегти в новому розкладі. Запис не скасовано: керівник центру розгляне його й повідомить вас.',
        'The service center changed its working schedule and your registration could not be kept automatically. It is not cancelled: the head of the center will review it and let you know.',
      ),
    ],
    facts: visitFacts(lang, r, r.startsAt),
    paragraphs: [
      pick(
        lang,
        'Якщо вам зручніше, ви можете скасувати цей запис і обрати інший час на порталі.',
        'If you prefer, you can cancel this registration and choose another time on the portal.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

export function lotteryLost(
  person: PersonView,
  about: { centerName?: string; serviceName?: string; day?: string },
  ctx: TemplateContext,
): Rendered {
  const lang = langOf(person, 'uk');
  const facts: Array<[string, string]> = [];
  if (about.serviceName) facts.push([pick(lang, 'Послуга', 'Service'), about.serviceName]);
  if (about.centerName) facts.push([pick(lang, 'Сервісний центр', 'Service center'), about.centerName]);
  if (about.day) facts.push([pick(lang, 'День', 'Day'), about.day.split('-').reverse().join('.')]);
  return renderLetter({
    lang,
    subject: pick(lang, 'Жеребкування: цього разу місце не дісталося', 'Lottery: no place this time'),
    heading: pick(
      lang,
      'На жаль, цього разу місце не дісталося',
      'Unfortunately there was no place for you this time',
    ),
    greeting: greeting(lang, person),
    intro: [
      pick(
        lang,
        'Запити в перші хвилини відкриття нового дня впорядковуються жеребкуванням, а не швидкістю. Усі вільні місця цього дня розподілено.',
        'Requests in the first minutes after a new day opens are ordered by lottery, not speed. All free places of that day have been given out.',
      ),
    ],
    facts,
    paragraphs: [
      pick(
        lang,
        'Ви можете обрати інший день або інший сервісний центр на порталі. Ліміт записів цей запит не зменшив.',
        'You can choose another day or another service center on the portal.',
      ),
    ],
    link: portalLink(lang, ctx),
  });
}

export function personBlocked(
  person: PersonView,
  blockedUntil: Date,
  centerName: string | undefined,
  _ctx: TemplateContext,
): Rendered {
  const lang = langOf(person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Реєстрацію заблоковано до ${formatKyiv(blockedUntil).slice(0, 10)}`,
      `Registration blocked until ${formatKyiv(blockedUntil).slice(0, 10)}`,
    ),
    heading: pick(lang, 'Реєстрацію тимчасово заблоковано', 'Registration is temporarily blocked'),
    greeting: greeting(lang, person),
    intro: [
      pick(
        lang,
        'Протягом цього місяця ви кілька разів не з’явилися на онлайн-запис, не скасувавши його. Тому нові записи (онлайн і через термінал) тимчасово недоступні.',
        'This month you missed several online registrations without cancelling them, so new registrations (online and at the terminal) are temporarily unavailable.',
      ),
    ],
    facts: [
      [pick(lang, 'Блокування діє до', 'Blocked until'), kyiv(lang, blockedUntil)],
      ...(centerName
        ? ([[pick(lang, 'Сервісний центр', 'Service center'), centerName]] as Array<[string, string]>)
        : []),
    ],
    paragraphs: [
      pick(
        lang,
        'Достроково зняти блокування може лише керівник сервісного центру вашого останнього запису — особисто, з письмовим обґрунтуванням.',
        'Only the head of the service center of your last registration can lift the block early, in person, with a written reason.',
      ),
    ],
  });
}

export function visitServed(r: RegistrationView, feedbackUrl: string, _ctx: TemplateContext): Rendered {
  const lang = langOf(r.person, 'uk');
  return renderLetter({
    lang,
    subject: pick(
      lang,
      `Дякуємо за візит до ${r.centerName}! Оцініть обслуговування`,
      `Thank you for visiting ${r.centerName}! Rate the service`,
    ),
    heading: pick(lang, 'Дякуємо за візит', 'Thank you for your visit'),
    greeting: greeting(lang, r.person),
    intro: [
      pick(
        lang,
        'Будь ласка, оцініть, як вас обслужили (від 1 до 5) і, якщо хочете, залиште коментар. Це займе хвилину й допоможе покращити роботу центру.',
        'Please rate the service (1 to 5) and, if you like, leave a comment. It takes a minute and helps the center improve.',
      ),
    ],
    facts: [
      [pick(lang, 'Послуга', 'Service'), r.serviceName],
      [pick(lang, 'Сервісний центр', 'Service center'), r.centerName],
      [pick(lang, 'Дата', 'Date'), kyivDay(r.startsAt).split('-').reverse().join('.')],
    ],
    paragraphs: [
      pick(
        lang,
        'Посилання одноразове й діє 30 днів. Оцінка анонімна для працівника вікна.',
        'The link works once and for 30 days. Your rating is anonymous to the operator.',
      ),
    ],
    link: { label: pick(lang, 'Оцінити візит', 'Rate the visit'), url: feedbackUrl },
  });
}

/** Short SMS texts (Ukrainian; English if chosen): one segment where possible, no links. */
export function smsText(
  template: string,
  r: RegistrationView,
  extra: { newCallAt?: Date; expiresAt?: Date } = {},
): string | null {
  const lang = langOf(r.person, 'uk');
  const when = formatKyiv(r.startsAt);
  switch (template) {
    case 'waitlist_offer':
      return extra.expiresAt
        ? pick(
            lang,
            `Звільнилося місце: ${when}, ${r.centerName}. Прийміть до ${formatKyiv(extra.expiresAt).slice(11)} у «Мої записи»`,
            `A place is free: ${when}, ${r.centerName}. Accept by ${formatKyiv(extra.expiresAt).slice(11)} in "My registrations"`,
          )
        : null;
    case 'registration_confirmed':
    case 'lottery_won':
      return r.channel === 'terminal'
        ? pick(
            lang,
            `Талон ${numberOf(r)}, ${r.centerName}, виклик ~${formatKyiv(r.callAt).slice(11)}`,
            `Ticket ${numberOf(r)}, ${r.centerName}, call ~${formatKyiv(r.callAt).slice(11)}`,
          )
        : pick(
            lang,
            `Запис ${numberOf(r)}: ${when}, ${r.centerName}`,
            `Booking ${numberOf(r)}: ${when}, ${r.centerName}`,
          );
    case 'terminal_ticket':
      return pick(
        lang,
        `Талон ${numberOf(r)}, ${r.centerName}, виклик ~${formatKyiv(r.callAt).slice(11)}`,
        `Ticket ${numberOf(r)}, ${r.centerName}, call ~${formatKyiv(r.callAt).slice(11)}`,
      );
    case 'alert_delay':
      return extra.newCallAt
        ? pick(
            lang,
            `Тривога: талон ${numberOf(r)}, новий час виклику ~${formatKyiv(extra.newCallAt).slice(11)}`,
            `Alert: ticket ${numberOf(r)}, new call time ~${formatKyiv(extra.newCallAt).slice(11)}`,
          )
        : null;
    default:
      return null;
  }
}
