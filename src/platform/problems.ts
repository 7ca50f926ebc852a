/**
 * Domain errors and their RFC 9457 problem details. Each rule has its own error with a stable
 * `code` from the spec, an HTTP status and a Ukrainian message (English alongside). A domain
 * error is never re-wrapped into another code on the way out.
 */
import { detailInEnglish, ruleDetails } from './problem-messages.js';

export const problemCatalog = {
  VALIDATION: {
    status: 400,
    uk: 'Дані запиту некоректні. Перевірте виділені поля.',
    en: 'The request data is invalid.',
  },
  UNAUTHENTICATED: {
    status: 401,
    uk: 'Потрібна електронна ідентифікація. Увійдіть, будь ласка.',
    en: 'Electronic identification is required. Please sign in.',
  },
  FORBIDDEN: { status: 403, uk: 'Недостатньо прав для цієї дії.', en: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, uk: 'Не знайдено.', en: 'Not found.' },
  CONFLICT: {
    status: 409,
    uk: 'Дію не можна виконати в поточному стані.',
    en: 'The action conflicts with the current state.',
  },
  IDEMPOTENCY_MISMATCH: {
    status: 422,
    uk: 'Ключ ідемпотентності вже використано з іншими даними запиту.',
    en: 'The Idempotency-Key was already used with a different request.',
  },
  SLOT_TAKEN: {
    status: 409,
    uk: 'На жаль, на цей час вільних місць уже немає. Оберіть інший час.',
    en: 'No places are left at this time. Please choose another time.',
  },
  LIMIT_REACHED: {
    status: 409,
    uk: 'За вказаними даними Заявника перевищено ліміт записів',
    en: 'The registration limit for this applicant has been reached.',
  },
  BLOCKED: {
    status: 403,
    uk: 'Реєстрацію тимчасово заблоковано через неявки на прийом.',
    en: 'Registration is temporarily blocked because of missed appointments.',
  },
  CANCEL_TOO_LATE: {
    status: 409,
    uk: 'Строк скасування цього запису минув.',
    en: 'The time to cancel this registration has passed.',
  },
  PRIORITY_TERMINAL_ONLY: {
    status: 422,
    uk: 'Пріоритетна реєстрація можлива лише через термінал у сервісному центрі МВС.',
    en: 'Priority registration is only possible at the terminal in the service center.',
  },
  SERVICE_PAUSED: {
    status: 423,
    uk: 'Обслуговування призупинено через повітряну тривогу.',
    en: 'Service is paused because of an air-raid alert.',
  },
  ANTIBOT_REQUIRED: {
    status: 403,
    uk: 'Не вдалося підтвердити, що запит зроблено людиною. Оновіть сторінку й спробуйте ще раз.',
    en: 'The anti-bot check failed. Reload the page and try again.',
  },
  RATE_LIMITED: {
    status: 429,
    uk: 'Забагато запитів. Зачекайте трохи й спробуйте знову.',
    en: 'Too many requests. Please wait and try again.',
  },
  LOTTERY_ALREADY_ENTERED: {
    status: 409,
    uk: 'Ви вже берете участь у розіграші місць на цей день для цієї послуги. Результат надійде після завершення розіграшу.',
    en: 'You already hold an entry in the release lottery for this day and service. The outcome will follow the draw.',
  },
  OUT_OF_HORIZON: {
    status: 422,
    uk: 'На цю дату онлайн-запис недоступний.',
    en: 'Online booking is not available for this date.',
  },
  EXAM_RETRY_TOO_SOON: {
    status: 409,
    uk: 'Повторно записатися на іспит ще зарано.',
    en: 'It is too early to book the exam again.',
  },
  INVALID_STATE: {
    status: 409,
    uk: 'Запис у стані, що не дозволяє цю дію.',
    en: 'The registration is in a state that does not allow this action.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    uk: 'Сервіс тимчасово недоступний. Спробуйте ще раз за кілька секунд.',
    en: 'The service is temporarily unavailable. Please try again in a few seconds.',
  },
  INTERNAL: {
    status: 500,
    uk: 'Сталася внутрішня помилка. Спробуйте пізніше.',
    en: 'An internal error occurred. Please try again later.',
  },
} as const satisfies Record<string, { status: number; uk: string; en: string }>;

export type ProblemCode = keyof typeof problemCatalog;

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export class DomainError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  readonly detailUk: string;

  constructor(code: ProblemCode, options: { detail?: string; extensions?: Record<string, unknown> } = {}) {
    const entry = problemCatalog[code];
    super(options.detail ?? entry.uk);
    this.name = `${code}Error`;
    this.code = code;
    this.status = entry.status;
    this.detailUk = options.detail ?? entry.uk;
    this.extensions = options.extensions ?? {};
  }
}

export const problemType = (code: ProblemCode) => `https://e-zapys.hsc.gov.ua/problems/${code.toLowerCase()}`;

export function toProblem(error: DomainError, lang: 'uk' | 'en' = 'uk', instance?: string): ProblemDetails {
  const entry = problemCatalog[error.code];
  return {
    type: problemType(error.code),
    title: lang === 'en' ? entry.en : entry.uk,
    status: error.status,
    code: error.code,
    detail: problemDetail(error, lang),
    ...(instance ? { instance } : {}),
    ...error.extensions,
  };
}

/** Wraps a database failure with the name of the operation that failed (STYLE: absorb 4). */
export class StoreError extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Database operation failed: ${operation}`, { cause });
    this.name = 'StoreError';
  }
}

export async function storeOp<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError || error instanceof StoreError) throw error;
    throw new StoreError(operation, error);
  }
}

/**
 * The detail in the asked language: a specific detail the rule gave (translated), else the
 * rule's numbers from its extensions, else the catalogue's message.
 */
function problemDetail(error: DomainError, lang: 'uk' | 'en'): string {
  const entry = problemCatalog[error.code];
  if (error.detailUk !== entry.uk) {
    return lang === 'en' ? (detailInEnglish(error.detailUk) ?? entry.en) : error.detailUk;
  }
  return ruleDetails[error.code]?.(error.extensions, lang) ?? (lang === 'en' ? entry.en : entry.uk);
}
