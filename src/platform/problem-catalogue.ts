/**
 * The problem catalogue: every stable `code` of the API with its HTTP status, the message in
 * Ukrainian and English, and what the person can do next. Pure data with no server import, so
 * the web shows the same words the API sends (web/shared/errors.ts).
 */
export interface ProblemEntry {
  status: number;
  uk: string;
  en: string;
  /** What to do next, for the person reading the message. */
  next: { uk: string; en: string };
}

export const problemCatalog = {
  VALIDATION: {
    status: 400,
    uk: 'Дані запиту некоректні. Перевірте виділені поля.',
    en: 'The request data is invalid.',
    next: {
      uk: 'Перевірте поля, позначені нижче, і спробуйте ще раз.',
      en: 'Check the fields below and try again.',
    },
  },
  UNAUTHENTICATED: {
    status: 401,
    uk: 'Потрібна електронна ідентифікація. Увійдіть, будь ласка.',
    en: 'Electronic identification is required. Please sign in.',
    next: {
      uk: 'Увійдіть через електронну ідентифікацію і повторіть дію.',
      en: 'Sign in with e-identification and try again.',
    },
  },
  FORBIDDEN: {
    status: 403,
    uk: 'Недостатньо прав для цієї дії.',
    en: 'You are not allowed to do this.',
    next: {
      uk: 'Увійдіть під обліковим записом з потрібними правами.',
      en: 'Sign in with an account that has the right role.',
    },
  },
  NOT_FOUND: {
    status: 404,
    uk: 'Не знайдено.',
    en: 'Not found.',
    next: {
      uk: 'Поверніться на головну сторінку і почніть знову.',
      en: 'Go back to the start page and try again.',
    },
  },
  CONFLICT: {
    status: 409,
    uk: 'Дію не можна виконати в поточному стані.',
    en: 'The action conflicts with the current state.',
    next: {
      uk: 'Оновіть сторінку, щоб побачити актуальний стан.',
      en: 'Reload to see the current state.',
    },
  },
  IDEMPOTENCY_MISMATCH: {
    status: 422,
    uk: 'Ключ ідемпотентності вже використано з іншими даними запиту.',
    en: 'The Idempotency-Key was already used with a different request.',
    next: {
      uk: 'Оновіть сторінку і повторіть дію.',
      en: 'Reload the page and try again.',
    },
  },
  SLOT_TAKEN: {
    status: 409,
    uk: 'На жаль, на цей час вільних місць уже немає. Оберіть інший час.',
    en: 'No places are left at this time. Please choose another time.',
    next: {
      uk: 'Оберіть інший час або інший день.',
      en: 'Choose another time or another day.',
    },
  },
  LIMIT_REACHED: {
    status: 409,
    uk: 'За вказаними даними Заявника перевищено ліміт записів',
    en: 'The registration limit for this applicant has been reached.',
    next: {
      uk: 'Ліміт діє в межах календарного місяця; скасовані записи теж враховуються. Оберіть дату наступного місяця.',
      en: 'The limit is per calendar month and cancelled registrations count too. Choose a date next month.',
    },
  },
  BLOCKED: {
    status: 403,
    uk: 'Реєстрацію тимчасово заблоковано через неявки на прийом.',
    en: 'Registration is temporarily blocked because of missed appointments.',
    next: {
      uk: 'Дату завершення блокування показано у розділі «Мої записи». Зняти його може лише керівник сервісного центру під час особистого візиту.',
      en: 'The end date is shown in “My registrations”. Only the head of the service center can lift it, in person.',
    },
  },
  CANCEL_TOO_LATE: {
    status: 409,
    uk: 'Строк скасування цього запису минув.',
    en: 'The time to cancel this registration has passed.',
    next: {
      uk: 'Якщо не встигаєте, просто не приходьте або зателефонуйте до центру.',
      en: 'If you cannot come, contact the center.',
    },
  },
  RESCHEDULE_LIMIT: {
    status: 409,
    uk: 'Цей запис уже переносили максимально дозволену кількість разів.',
    en: 'This registration has already been moved the maximum number of times.',
    next: {
      uk: 'Скасуйте запис (не пізніше ніж за 2 години) і запишіться на інший час.',
      en: 'Cancel it (at least 2 hours before) and book another time.',
    },
  },
  PRIORITY_TERMINAL_ONLY: {
    status: 422,
    uk: 'Пріоритетна реєстрація можлива лише через термінал у сервісному центрі МВС.',
    en: 'Priority registration is only possible at the terminal in the service center.',
    next: {
      uk: 'Прийдіть до центру з документом, що підтверджує категорію.',
      en: 'Come to the center with the document proving your category.',
    },
  },
  SERVICE_PAUSED: {
    status: 423,
    uk: 'Обслуговування призупинено через повітряну тривогу.',
    en: 'Service is paused because of an air-raid alert.',
    next: {
      uk: 'Пройдіть до укриття. Після відбою виклик продовжиться з того самого місця.',
      en: 'Go to the shelter. After the all-clear, calling resumes where it stopped.',
    },
  },
  ANTIBOT_REQUIRED: {
    status: 403,
    uk: 'Не вдалося підтвердити, що запит зроблено людиною. Оновіть сторінку й спробуйте ще раз.',
    en: 'The anti-bot check failed. Reload the page and try again.',
    next: {
      uk: 'Оновіть сторінку і спробуйте ще раз.',
      en: 'Reload the page and try again.',
    },
  },
  RATE_LIMITED: {
    status: 429,
    uk: 'Забагато запитів. Зачекайте трохи й спробуйте знову.',
    en: 'Too many requests. Please wait and try again.',
    next: {
      uk: 'Зачекайте хвилину і спробуйте знову.',
      en: 'Wait a minute and try again.',
    },
  },
  LOTTERY_ALREADY_ENTERED: {
    status: 409,
    uk: 'Ви вже берете участь у розіграші місць на цей день для цієї послуги. Результат надійде після завершення розіграшу.',
    en: 'You already hold an entry in the release lottery for this day and service. The outcome will follow the draw.',
    next: {
      uk: 'Дочекайтеся результату розіграшу: його надішлють електронною поштою.',
      en: 'Wait for the draw: its outcome is sent by email.',
    },
  },
  OUT_OF_HORIZON: {
    status: 422,
    uk: 'На цю дату онлайн-запис недоступний.',
    en: 'Online booking is not available for this date.',
    next: {
      uk: 'Оберіть інший день у календарі: він показує всі дні, відкриті для онлайн-запису.',
      en: 'Choose another day in the calendar: it shows every day open for online booking.',
    },
  },
  EXAM_RETRY_TOO_SOON: {
    status: 409,
    uk: 'Повторно записатися на іспит ще зарано.',
    en: 'It is too early to book the exam again.',
    next: {
      uk: 'Оберіть дату пізніше.',
      en: 'Choose a later date.',
    },
  },
  INVALID_STATE: {
    status: 409,
    uk: 'Запис у стані, що не дозволяє цю дію.',
    en: 'The registration is in a state that does not allow this action.',
    next: {
      uk: 'Оновіть сторінку, щоб побачити актуальний стан.',
      en: 'Reload to see the current state.',
    },
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    uk: 'Сервіс тимчасово недоступний. Спробуйте ще раз за кілька секунд.',
    en: 'The service is temporarily unavailable. Please try again in a few seconds.',
    next: {
      uk: 'Спробуйте ще раз за кілька хвилин.',
      en: 'Please try again in a few minutes.',
    },
  },
  INTERNAL: {
    status: 500,
    uk: 'Сталася внутрішня помилка. Спробуйте пізніше.',
    en: 'An internal error occurred. Please try again later.',
    next: {
      uk: 'Спробуйте ще раз за кілька хвилин.',
      en: 'Please try again in a few minutes.',
    },
  },
} as const satisfies Record<string, ProblemEntry>;

export type ProblemCode = keyof typeof problemCatalog;

/** What only a client can tell: the network is gone, or an answer carried no known code. */
export const clientProblems = {
  OFFLINE: {
    uk: 'Немає з’єднання з інтернетом.',
    en: 'You are offline.',
    next: {
      uk: 'Перевірте з’єднання і спробуйте ще раз.',
      en: 'Check your connection and try again.',
    },
  },
  UNAVAILABLE: {
    uk: 'Сервіс тимчасово не відповідає.',
    en: 'The service is not responding right now.',
    next: { uk: 'Спробуйте ще раз за кілька хвилин.', en: 'Please try again in a few minutes.' },
  },
  FAILED: {
    uk: 'Не вдалося виконати дію.',
    en: 'The action could not be completed.',
    next: { uk: 'Спробуйте ще раз.', en: 'Please try again.' },
  },
} as const satisfies Record<string, Omit<ProblemEntry, 'status'>>;

export function isProblemCode(code: string | undefined): code is ProblemCode {
  return code !== undefined && Object.hasOwn(problemCatalog, code);
}
