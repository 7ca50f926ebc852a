import { formatKyiv } from './kyiv-time.js';

/**
 * The words of problem details beyond the catalogue's titles: the rules' numbers come from the
 * Policy through the error's extensions (never "2 години" or "21-го" written into a message),
 * and every Ukrainian detail a rule gives has its English, so `Accept-Language: en` or the `lang`
 * cookie gets English throughout.
 */
type Lang = 'uk' | 'en';
type Forms = { one: string; few: string; many: string; other: string };

const rules = { uk: new Intl.PluralRules('uk'), en: new Intl.PluralRules('en') };

function counted(lang: Lang, n: number, uk: Forms, en: { one: string; other: string }): string {
  const form = rules[lang].select(n);
  const word = lang === 'uk' ? uk[form as keyof Forms] : en[form as keyof typeof en];
  return `${n} ${word ?? (lang === 'uk' ? uk.other : en.other)}`;
}

// "за N годину/години/годин" and "через N день/дні/днів" (accusative after the preposition).
const hours = (lang: Lang, n: number) =>
  counted(
    lang,
    n,
    { one: 'годину', few: 'години', many: 'годин', other: 'години' },
    { one: 'hour', other: 'hours' },
  );
const days = (lang: Lang, n: number) =>
  counted(lang, n, { one: 'день', few: 'дні', many: 'днів', other: 'дня' }, { one: 'day', other: 'days' });

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const dayText = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;

/** Details built from the values a rule put into the error's extensions (its Policy numbers). */
export const ruleDetails: Partial<
  Record<string, (x: Record<string, unknown>, lang: Lang) => string | undefined>
> = {
  CANCEL_TOO_LATE: (x, lang) => {
    if (!isNumber(x.cancelBeforeMinutes)) return undefined;
    const h = hours(lang, x.cancelBeforeMinutes / 60);
    const until = typeof x.deadline === 'string' ? formatKyiv(new Date(x.deadline)) : null;
    return lang === 'en'
      ? `A registration can be cancelled no later than ${h} before its time${until ? ` (until ${until})` : ''}.`
      : `Скасувати запис можна не пізніше ніж за ${h} до призначеного часу${until ? ` (до ${until})` : ''}.`;
  },
  OUT_OF_HORIZON: (x, lang) => {
    if (!isDay(x.first) || !isDay(x.last)) return undefined;
    const ahead = isNumber(x.horizonDays) ? days(lang, x.horizonDays) : null;
    return lang === 'en'
      ? `Online booking is only possible for days from ${dayText(x.first)} to ${dayText(x.last)}${ahead ? ` (up to ${ahead} ahead)` : ''}.`
      : `Онлайн-запис можливий лише на дні з ${dayText(x.first)} до ${dayText(x.last)} включно${ahead ? ` (на ${ahead} уперед)` : ''}.`;
  },
  EXAM_RETRY_TOO_SOON: (x, lang) => {
    if (!isDay(x.earliest)) return undefined;
    const after = isNumber(x.examRetryDays) ? days(lang, x.examRetryDays) : null;
    return lang === 'en'
      ? `An exam can be booked again ${after ? `no earlier than ${after} after the previous one, ` : ''}from ${dayText(x.earliest)}.`
      : `Повторно записатися на іспит можна ${after ? `не раніше ніж через ${after} після попереднього, ` : ''}з ${dayText(x.earliest)}.`;
  },
};

/** English for each detail a rule gives in Ukrainian (the Ukrainian text is the key). */
const english: Record<string, string> = {
  'Сервісний центр не знайдено.': 'Service center not found.',
  'Запис на сьогодні в цьому центрі не знайдено. Перевірте номер і прізвище або код.':
    'No registration for today at this center. Check the number and surname, or the code.',
  'Цей запис уже викликано, завершено або скасовано.':
    'This registration has already been called, finished or cancelled.',
  'Ця пропозиція вже не дійсна.': 'This offer is no longer valid.',
  'Ви вже очікуєте на місце для цієї послуги.': 'You are already waiting for a place for this service.',
  'Послугу не знайдено.': 'Service not found.',
  'Час прийому не знайдено.': 'Appointment time not found.',
  'Робоче місце не знайдено.': 'Desk not found.',
  'Запис не знайдено.': 'Registration not found.',
  'Групу послуг не знайдено.': 'Service group not found.',
  'Центр або послугу не знайдено.': 'Center or service not found.',
  'Невирішений конфлікт не знайдено.': 'Unresolved conflict not found.',
  // The head's conflict actions (rule 8).
  'Конфлікт уже вирішено: оновіть список.': 'The conflict is already resolved: refresh the list.',
  'Запис уже не активний (скасований чи обслужений): позначте конфлікт вирішеним.':
    'The registration is no longer active (cancelled or served): mark the conflict resolved.',
  'Запропонувати можна лише вільний онлайн-час тієї самої послуги в цьому центрі.':
    'Only a free online time of the same service at this center can be offered.',
  'Це той самий час, що й у записі.': 'This is the registration’s own time.',
  'Місця цього дня розподіляє жеребкування: запропонуйте час після розіграшу.':
    'This day’s places are assigned by lottery: offer a time after the draw.',
  'Інший час пропонується лише для онлайн-запису; талон терміналу можна скасувати з повідомленням.':
    'Another time can be offered for online registrations only; a terminal ticket can be cancelled with notice.',
  'Людина не залишила e-mail: зателефонуйте їй або скасуйте запис з повідомленням.':
    'The person left no e-mail: call them or cancel with notice.',
  'Один з обраних часів уже зайнятий: оновіть список.':
    'One of the chosen times is already taken: refresh the list.',
  'Обраний час надто близько: людина не встигне відповісти.':
    'The chosen time is too soon: the person could not answer in time.',
  'Активного блокування для цієї особи не знайдено.': 'No active block found for this person.',
  'Запит з цим ключем ще обробляється.': 'A request with this key is still being processed.',
  'Обраний час не належить до цієї послуги.': 'The chosen time does not belong to this service.',
  'Ви не є уповноваженим представником цієї юридичної особи.':
    'You are not an authorised representative of this legal entity.',
  'Цей запис уже не можна скасувати.': 'This registration can no longer be cancelled.',
  'Зняти блокування може лише керівник центру, де була остання реєстрація особи.':
    'Only the head of the center of the person’s last registration can lift the block.',
  'Невідома група послуг.': 'Unknown service group.',
  'Кожну категорію вказують один раз.': 'Each category is given once.',
  'На цей день вихідний уже встановлено.': 'This day is already a holiday.',
  'Минулі дні не перераховуються.': 'Past days are not regenerated.',
  'Некоректний період.': 'Invalid period.',
  'Період виходить за межі планування.': 'The period is outside the planning range.',
  'До графіка включаються лише адміністратори й екзаменатори.':
    'Only administrators and examiners can be put on the roster.',
  'Початок періоду має бути раніше кінця.': 'The start of the period must be before its end.',
  'Розіграш місць на цей день уже завершено.': 'The draw for this day is already over.',
  'Оцінити можна лише візит, на якому вас обслужили.': 'Only a visit where you were served can be rated.',
  'Посилання для оцінки недійсне, застаріле або вже використане.':
    'The rating link is invalid, expired or already used.',
  'Цей візит уже оцінено. Дякуємо!': 'This visit has already been rated. Thank you!',
  'Ви працюєте за іншим робочим місцем.': 'You are working at another desk.',
  'Категорія «військовослужбовці» діє лише під час воєнного стану.':
    'The “service members” category applies only under martial law.',
  'На сьогодні вільних місць для запису через термінал немає.': 'No terminal places are left today.',
  'Пріоритетом можна скористатися не частіше ніж один раз на робочий день для кожної послуги.':
    'Priority can be used at most once per working day for each service.',
  'Потрібен centerId.': 'centerId is required.',
  'Невідомий або відкликаний ключ пристрою.': 'Unknown or revoked device key.',
  'IDGOVUA_BASE_URL не налаштовано.': 'IDGOVUA_BASE_URL is not configured.',
  'STAFF_OIDC_ISSUER не налаштовано.': 'STAFF_OIDC_ISSUER is not configured.',
  'Обліковий запис працівника не знайдено або вимкнено.': 'The staff account was not found or is disabled.',
  'Постачальник ідентифікації не передав ПІБ.': 'The identity provider did not send the full name.',
  'Постачальник ідентифікації не передав коректний РНОКПП або номер паспорта.':
    'The identity provider did not send a valid tax number or passport number.',
  'Повторно надіслати можна лише недоставлене повідомлення.': 'Only an undelivered message can be resent.',
  'Результат фіксують лише для талона, викликаного до вашого робочого місця.':
    'An outcome can be recorded only for a ticket called to your desk.',
  'Тіло запиту не є коректним JSON.': 'The request body is not valid JSON.',
  'Цей запис не можна перенести.': 'This registration cannot be moved.',
  'Обраний час не належить до послуги цього запису.':
    'The chosen time is not of this registration’s service.',
  'Запис уже на цей час: оберіть інший.': 'The registration is already at this time: choose another.',
  'Місця цього дня розподіляє жеребкування: перенести запис на нього можна після розіграшу.':
    'The places of this day are given by the release lottery: a registration can be moved to it after the draw.',
  'Ця послуга не має категорій транспортних засобів.': 'This service has no vehicle categories.',
  'Оберіть категорію транспортного засобу.': 'Choose the vehicle category.',
  'Найменша затримка повернення місця не може перевищувати найбільшу.':
    'The shortest return delay of a place cannot exceed the longest.',
  'Вікно жеребкування має закінчитися до півночі дня відкриття.':
    'The lottery window must close before midnight of the release day.',
  'Це значення не змінювали в консолі.': 'This value has not been changed in the console.',
  'Нове значення збігається з чинним.': 'The new value is the one in force.',
  'Зміну правила може зробити лише працівник.': 'Only a staff member can change a rule.',
};

/** What the "not found" helper names, in English. */
const things: Record<string, string> = {
  'Сервісний центр': 'Service center',
  'Вихідний день': 'Holiday',
  'Робоче місце': 'Desk',
  Працівника: 'Staff member',
  'Зміну графіка': 'Roster shift',
  Відсутність: 'Absence',
  Конфлікт: 'Conflict',
};

const patterns: Array<[RegExp, (...m: string[]) => string]> = [
  [
    /^Реєстрацію заблоковано до (\S+) через неявки на прийом\. /,
    (until) =>
      `Registration is blocked until ${until} because of missed appointments. The head of the service center can lift the block in person.`,
  ],
  [/^Робоче місце № (\S+) уже існує\.$/, (n) => `Desk No. ${n} already exists.`],
  [
    /^Некоректний період: від (\S*) до (\S*) \(не більше (\d+) днів\)\.$/,
    (from, to, max) => `Invalid period: from ${from} to ${to} (at most ${max} days).`,
  ],
  [
    /^Неявку фіксують лише для сьогоднішнього талона, викликаного щонайменше (\d+) раз(?:и|ів)?\.$/,
    (n) =>
      `A no-show can be recorded only for today’s ticket called at least ${n} ${n === '1' ? 'time' : 'times'}.`,
  ],
  [/^Послуга не має категорії (\S+)\.$/, (c) => `The service has no category ${c}.`],
  [/^Іспит не має категорії (.+)\.$/, (c) => `The exam has no category ${c}.`],
  [
    /^Категорії (\S+) немає серед категорій іспиту\.$/,
    (c) => `Category ${c} is not a category of this exam.`,
  ],
  [
    /^Місць для іспиту категорії (\S+) цього дня вже немає\.$/,
    (c) => `No places for the category ${c} exam are left that day.`,
  ],
  [
    /^На сьогодні місць для іспиту категорії (\S+) уже немає\.$/,
    (c) => `No places for the category ${c} exam are left today.`,
  ],
  [
    /^(?:Цей сервісний центр|Цей центр) не приймає практичний іспит категорії (\S+)\.$/,
    (c) => `This service center does not hold practical exams in category ${c}.`,
  ],
  [
    /^Період має бути від 1 до (\d+) днів, «з» не пізніше за «по»$/,
    (n) => `The period must be 1 to ${n} days, "from" no later than "to".`,
  ],
  [
    /^Значення має бути цілим числом від (\d+) до (\d+)\.$/,
    (min, max) => `The value must be a whole number from ${min} to ${max}.`,
  ],
  [
    /^Зняти блокування може лише керівник центру «(.+)» \((.+)\), де була остання реєстрація особи\.$/,
    (name, address) =>
      `Only the head of the center “${name}” (${address}), of the person's last registration, can lift the block.`,
  ],
  [/^День (\S+) поза межами онлайн-запису\.$/, (d) => `Day ${d} is outside the online booking horizon.`],
  [/^Оберіть від (\d+) до (\d+) вільних часів\.$/, (a, b) => `Choose ${a} to ${b} free times.`],
  [/^(.+) не знайдено\.$/, (what) => `${things[what] ?? 'Item'} not found.`],
];

/** The English of a rule's Ukrainian detail, or undefined when none is known. */
export function detailInEnglish(uk: string): string | undefined {
  const exact = english[uk];
  if (exact) return exact;
  for (const [re, make] of patterns) {
    const m = re.exec(uk);
    if (m) return make(...m.slice(1));
  }
  return undefined;
}
