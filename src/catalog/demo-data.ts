import type { OperatorRole, WorkingHours } from '../platform/db-schema.js';

/**
 * The demo catalogue: centers, the service catalogue of ГСЦ МВС service centers, desks, norms.
 * Addresses and coordinates are real-looking, not authoritative; fees are illustrative (the
 * live amounts are on hsc.gov.ua and change by government resolution).
 */

const day = (open: string, close: string, breakFrom = '13:00', breakTo = '13:45') => ({
  open,
  close,
  breakFrom,
  breakTo,
});
/** Tuesday–Saturday, the common schedule of service centers (Monday is the day off). */
const tueSat = (open = '09:00', close = '18:00', breakFrom?: string, breakTo?: string): WorkingHours => ({
  '2': day(open, close, breakFrom, breakTo),
  '3': day(open, close, breakFrom, breakTo),
  '4': day(open, close, breakFrom, breakTo),
  '5': day(open, close, breakFrom, breakTo),
  '6': day(open, '16:00', breakFrom, breakTo),
});
const monFri = (open = '09:00', close = '18:00', breakFrom?: string, breakTo?: string): WorkingHours => ({
  '1': day(open, close, breakFrom, breakTo),
  '2': day(open, close, breakFrom, breakTo),
  '3': day(open, close, breakFrom, breakTo),
  '4': day(open, close, breakFrom, breakTo),
  '5': day(open, '16:45', breakFrom, breakTo),
});

export interface DemoCenter {
  id: string;
  code: string;
  name: string;
  region: string;
  address: string;
  latitude: number;
  longitude: number;
  workingHours: WorkingHours;
  /** Desk layout: the groups each desk serves, in desk-number order. */
  desks: Array<keyof typeof GROUP_SETS>;
  /**
   * Vehicle categories the center examines with its own cars (SPEC §2 Exams): exam hubs declare
   * several, a center with none takes no practical exams (and has no practical-exam desk).
   */
  examCategories: string[];
  /**
   * Cars of each category (SPEC rule 8: an examiner takes about 15 practical exams a day per
   * category the center has a car for); a category not named here has one car.
   */
  examCars?: Record<string, number>;
}

/** Vehicle categories of the practical exam (Ukrainian driving licence categories). */
export const EXAM_CATEGORIES = ['A1', 'A', 'B1', 'B', 'BE', 'C1', 'C', 'CE', 'D1', 'D', 'DE', 'T'] as const;

export const GROUPS = [
  {
    id: 'grp-vehicle',
    code: 'vehicle',
    name: 'Реєстраційні операції з транспортними засобами',
    role: 'administrator',
    sort: 1,
  },
  { id: 'grp-licence', code: 'licence', name: 'Посвідчення водія', role: 'administrator', sort: 2 },
  { id: 'grp-theory', code: 'theory', name: 'Теоретичний іспит', role: 'examiner', sort: 3 },
  { id: 'grp-practical', code: 'practical', name: 'Практичний іспит', role: 'examiner', sort: 4 },
] as const satisfies ReadonlyArray<{
  id: string;
  code: string;
  name: string;
  role: OperatorRole;
  sort: number;
}>;

export const GROUP_SETS = {
  vehicle: ['grp-vehicle'],
  licence: ['grp-licence'],
  mixed: ['grp-vehicle', 'grp-licence'],
  theory: ['grp-theory'],
  practical: ['grp-practical'],
} as const;

const passport = 'Паспорт громадянина України (ID-картка або книжечка) та РНОКПП';
const payment = 'Квитанції про сплату (можна оплатити на місці карткою)';

export const SERVICES: Array<{
  id: string;
  code: string;
  name: string;
  group: string;
  isExam?: boolean;
  examCategories?: string[];
  documents: string[];
  price: string;
}> = [
  {
    id: 'svc-vehicle-new',
    code: 'vehicle-register-new',
    name: 'Державна реєстрація нового транспортного засобу, придбаного в торговельній організації',
    group: 'grp-vehicle',
    documents: [
      passport,
      'Довідка-рахунок або договір купівлі-продажу з торговельною організацією',
      'Сертифікат відповідності або документ про схвалення типу ТЗ',
      'Поліс обов’язкового страхування цивільно-правової відповідальності',
      payment,
    ],
    price:
      'Адміністративна послуга 150 грн; бланк свідоцтва про реєстрацію 228 грн; номерні знаки 322 грн; збір до Пенсійного фонду 3–5 % вартості',
  },
  {
    id: 'svc-vehicle-used',
    code: 'vehicle-register-used',
    name: 'Реєстрація транспортного засобу, ввезеного з-за кордону або раніше зареєстрованого',
    group: 'grp-vehicle',
    documents: [
      passport,
      'Митна декларація або документ, що підтверджує право власності',
      'Реєстраційний документ країни ввезення (за наявності)',
      'Висновок експертного дослідження ТЗ',
      payment,
    ],
    price: 'Адміністративна послуга 150 грн; бланк свідоцтва 228 грн; номерні знаки 322 грн',
  },
  {
    id: 'svc-vehicle-reregister',
    code: 'vehicle-reregister-owner',
    name: 'Перереєстрація транспортного засобу у зв’язку зі зміною власника',
    group: 'grp-vehicle',
    documents: [
      passport,
      'Свідоцтво про реєстрацію ТЗ (техпаспорт)',
      'Договір купівлі-продажу (укладається в сервісному центрі або в нотаріуса)',
      'Особи продавця й покупця (якщо договір укладається в центрі)',
      payment,
    ],
    price:
      'Адміністративна послуга 150 грн; бланк свідоцтва 228 грн; оформлення договору в центрі 100 грн; збір до Пенсійного фонду 1 %',
  },
  {
    id: 'svc-vehicle-deregister',
    code: 'vehicle-deregister',
    name: 'Зняття транспортного засобу з обліку',
    group: 'grp-vehicle',
    documents: [
      passport,
      'Свідоцтво про реєстрацію ТЗ',
      'Номерні знаки (у разі утилізації або вивезення за кордон)',
      payment,
    ],
    price: 'Адміністративна послуга 150 грн',
  },
  {
    id: 'svc-vehicle-duplicate',
    code: 'vehicle-certificate-duplicate',
    name: 'Видача дубліката свідоцтва про реєстрацію транспортного засобу',
    group: 'grp-vehicle',
    documents: [passport, 'Заява про втрату (оформлюється в центрі) або пошкоджене свідоцтво', payment],
    price: 'Адміністративна послуга 150 грн; бланк свідоцтва 228 грн',
  },
  {
    id: 'svc-licence-first',
    code: 'licence-first',
    name: 'Отримання посвідчення водія після навчання в закладі підготовки водіїв',
    group: 'grp-licence',
    documents: [
      passport,
      'Свідоцтво про закінчення закладу підготовки водіїв',
      'Медична довідка про придатність до керування ТЗ',
      'Результати складених іспитів (у базі)',
      payment,
    ],
    price: 'Адміністративний збір 208 грн; бланк посвідчення 225 грн',
  },
  {
    id: 'svc-licence-exchange',
    code: 'licence-exchange',
    name: 'Обмін посвідчення водія',
    group: 'grp-licence',
    documents: [
      passport,
      'Посвідчення водія, що обмінюється',
      'Медична довідка (у разі закінчення строку дії посвідчення)',
      payment,
    ],
    price: 'Адміністративний збір 208 грн; бланк посвідчення 225 грн',
  },
  {
    id: 'svc-licence-restore',
    code: 'licence-restore',
    name: 'Відновлення втраченого або викраденого посвідчення водія',
    group: 'grp-licence',
    documents: [passport, 'Медична довідка (якщо строк дії попередньої закінчився)', payment],
    price: 'Адміністративний збір 208 грн; бланк посвідчення 225 грн',
  },
  {
    id: 'svc-licence-international',
    code: 'licence-international',
    name: 'Видача міжнародного посвідчення водія',
    group: 'grp-licence',
    documents: [passport, 'Національне посвідчення водія', 'Фотокартка 35×45 мм', payment],
    price: 'Адміністративний збір 230 грн; бланк 225 грн',
  },
  {
    id: 'svc-theory-exam',
    code: 'theory-exam',
    name: 'Складання теоретичного іспиту на право керування транспортними засобами',
    group: 'grp-theory',
    isExam: true,
    documents: [
      passport,
      'Свідоцтво про закінчення закладу підготовки водіїв (або заява на самопідготовку для категорій A, B)',
      'Медична довідка',
      payment,
    ],
    price: 'Адміністративний збір 150 грн',
  },
  {
    id: 'svc-practical-exam',
    code: 'practical-exam',
    name: 'Складання практичного іспиту (вправи на автодромі та маршрут)',
    group: 'grp-practical',
    isExam: true,
    examCategories: [...EXAM_CATEGORIES],
    documents: [
      passport,
      'Підтвердження складеного теоретичного іспиту (у базі)',
      'Медична довідка',
      payment,
    ],
    price: 'Адміністративний збір 250 грн; на навчальному ТЗ сервісного центру додатково 600 грн',
  },
];

/**
 * National norms: what one person does in a full working day (about 8 h 15 min at the desk).
 * - Vehicle registration 20/day: document check, НАІС register queries, the vehicle inspection
 *   report and plates take ~20–25 min per operation (SPEC §3 rule 8 example).
 * - Licence operations 24/day: no vehicle involved, ~20 min each (photo, signature, printing).
 * - Practical exam 15/day: briefing, autodrome exercises and a ≥ 20-minute city route, the
 *   protocol: ~33 min per candidate (SPEC §3 rule 8 example).
 * - Theory exam 40/day: 20 questions in 20 minutes at a computer; one examiner supervises a room of
 *   workstations, so identity check and seating every ~12 min per candidate.
 */
export const NATIONAL_NORMS = [
  { groupId: 'grp-vehicle', role: 'administrator', perDay: 20 },
  { groupId: 'grp-licence', role: 'administrator', perDay: 24 },
  { groupId: 'grp-practical', role: 'examiner', perDay: 15 },
  { groupId: 'grp-theory', role: 'examiner', perDay: 40 },
] as const satisfies ReadonlyArray<{ groupId: string; role: OperatorRole; perDay: number }>;

export const CENTERS: DemoCenter[] = [
  {
    id: 'tsc-8041',
    code: '8041',
    name: 'ТСЦ МВС № 8041',
    region: 'м. Київ',
    address: 'м. Київ, вул. Павла Усенка, 8',
    latitude: 50.4563,
    longitude: 30.6223,
    workingHours: tueSat('09:00', '18:00'),
    desks: [
      'vehicle',
      'vehicle',
      'vehicle',
      'licence',
      'licence',
      'mixed',
      'theory',
      'theory',
      'practical',
      'practical',
    ],
    examCategories: ['A1', 'A', 'B', 'BE', 'C1', 'C', 'CE', 'D1', 'D'],
    examCars: { B: 2 },
  },
  {
    id: 'tsc-4641',
    code: '4641',
    name: 'ТСЦ МВС № 4641',
    region: 'Львівська область',
    address: 'м. Львів, вул. Богдана Хмельницького, 231',
    latitude: 49.8719,
    longitude: 24.0631,
    workingHours: tueSat('09:00', '18:00', '13:00', '13:45'),
    desks: ['vehicle', 'vehicle', 'licence', 'mixed', 'theory', 'practical', 'practical'],
    examCategories: ['A', 'B', 'C'],
    examCars: { B: 2 },
  },
  {
    id: 'tsc-6341',
    code: '6341',
    name: 'ТСЦ МВС № 6341',
    region: 'Харківська область',
    address: 'м. Харків, вул. Рибалка, 47',
    latitude: 49.9616,
    longitude: 36.3223,
    workingHours: monFri('08:30', '17:30', '12:30', '13:15'),
    desks: ['vehicle', 'vehicle', 'licence', 'mixed', 'theory', 'licence'],
    examCategories: [],
  },
  {
    id: 'tsc-5141',
    code: '5141',
    name: 'ТСЦ МВС № 5141',
    region: 'Одеська область',
    address: 'м. Одеса, вул. Академіка Корольова, 98',
    latitude: 46.4011,
    longitude: 30.7118,
    workingHours: tueSat('09:00', '18:00', '13:00', '13:45'),
    desks: ['vehicle', 'vehicle', 'mixed', 'licence', 'theory', 'practical', 'practical', 'mixed'],
    examCategories: ['B', 'BE'],
    examCars: { B: 2, BE: 1 },
  },
  {
    id: 'tsc-1241',
    code: '1241',
    name: 'ТСЦ МВС № 1241',
    region: 'Дніпропетровська область',
    address: 'м. Дніпро, вул. Космічна, 3',
    latitude: 48.4361,
    longitude: 35.0047,
    workingHours: monFri('09:00', '18:00', '13:00', '13:45'),
    desks: ['vehicle', 'vehicle', 'licence', 'mixed', 'theory', 'practical', 'practical'],
    examCategories: ['B', 'C', 'CE', 'D'],
    examCars: { B: 2 },
  },
  {
    id: 'tsc-0541',
    code: '0541',
    name: 'ТСЦ МВС № 0541',
    region: 'Вінницька область',
    address: 'м. Вінниця, вул. Немирівське шосе, 24',
    latitude: 49.2119,
    longitude: 28.4162,
    workingHours: tueSat('08:00', '17:00', '12:00', '12:45'),
    desks: ['mixed', 'mixed', 'vehicle', 'theory', 'licence', 'licence'],
    examCategories: [],
  },
];

/**
 * Public holidays. Under martial law (Law 2136-IX, since 24.02.2022) holidays are working days in
 * Ukraine and service centers stay open, so the demo closes only two days as examples; the rest
 * of the calendar is listed for when martial law ends (add them in the admin console).
 */
export const DEMO_HOLIDAYS = [
  { day: '2026-12-25', name: 'Різдво Христове' },
  { day: '2027-01-01', name: 'Новий рік' },
];
export const OTHER_PUBLIC_HOLIDAYS_2026_2027 = [
  { day: '2026-01-01', name: 'Новий рік' },
  { day: '2026-03-08', name: 'Міжнародний жіночий день' },
  { day: '2026-04-12', name: 'Великдень' },
  { day: '2026-05-01', name: 'День праці' },
  { day: '2026-05-08', name: 'День пам’яті та перемоги над нацизмом' },
  { day: '2026-05-31', name: 'Трійця' },
  { day: '2026-06-28', name: 'День Конституції України' },
  { day: '2026-07-15', name: 'День Української Державності' },
  { day: '2026-08-24', name: 'День Незалежності України' },
  { day: '2026-10-01', name: 'День захисників і захисниць України' },
  { day: '2027-03-08', name: 'Міжнародний жіночий день' },
  { day: '2027-05-01', name: 'День праці; Великдень (2 травня)' },
  { day: '2027-05-08', name: 'День пам’яті та перемоги над нацизмом' },
  { day: '2027-06-20', name: 'Трійця' },
  { day: '2027-06-28', name: 'День Конституції України' },
  { day: '2027-07-15', name: 'День Української Державності' },
  { day: '2027-08-24', name: 'День Незалежності України' },
  { day: '2027-10-01', name: 'День захисників і захисниць України' },
  { day: '2027-12-25', name: 'Різдво Христове' },
];

export const SURNAMES = [
  'Шевчук',
  'Коваленко',
  'Бондаренко',
  'Ткаченко',
  'Кравченко',
  'Олійник',
  'Шевченко',
  'Поліщук',
  'Лисенко',
  'Савченко',
  'Мороз',
  'Руденко',
  'Марченко',
  'Павленко',
  'Гончаренко',
  'Кузьменко',
  'Романенко',
  'Левченко',
  'Сидоренко',
  'Захарченко',
  'Гаврилюк',
  'Клименко',
  'Дорошенко',
  'Литвиненко',
];
export const GIVEN = [
  ['Олена', 'Петрівна'],
  ['Андрій', 'Іванович'],
  ['Ірина', 'Миколаївна'],
  ['Сергій', 'Олександрович'],
  ['Наталія', 'Василівна'],
  ['Олег', 'Вікторович'],
  ['Тетяна', 'Юріївна'],
  ['Дмитро', 'Сергійович'],
  ['Оксана', 'Богданівна'],
  ['Василь', 'Степанович'],
  ['Юлія', 'Андріївна'],
  ['Максим', 'Петрович'],
] as const;
