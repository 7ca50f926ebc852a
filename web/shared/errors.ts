import { pick } from './i18n.js';

const L = (uk: string, en: string) => pick({ uk, en });

/**
 * What a person reads when the API refuses: plain language and what to do next, never a code
 * (SPEC §5). The server's own detail is shown beneath when it adds something specific.
 */
export function explain(code: string | undefined, status: number): { message: string; next: string } {
  switch (code) {
    case 'VALIDATION':
      return {
        message: L('Деякі дані заповнено неправильно.', 'Some of the data is not filled in correctly.'),
        next: L(
          'Перевірте поля, позначені нижче, і спробуйте ще раз.',
          'Check the fields below and try again.',
        ),
      };
    case 'UNAUTHENTICATED':
      return {
        message: L('Ви ще не увійшли або сеанс завершився.', 'You are not signed in or your session ended.'),
        next: L(
          'Увійдіть через електронну ідентифікацію і повторіть дію.',
          'Sign in with e-identification and try again.',
        ),
      };
    case 'FORBIDDEN':
      return {
        message: L('У вас немає права на цю дію.', 'You are not allowed to do this.'),
        next: L(
          'Увійдіть під обліковим записом з потрібними правами.',
          'Sign in with an account that has the right role.',
        ),
      };
    case 'NOT_FOUND':
      return {
        message: L('Такого запису або сторінки не знайдено.', 'We could not find this.'),
        next: L(
          'Поверніться на головну сторінку і почніть знову.',
          'Go back to the start page and try again.',
        ),
      };
    case 'SLOT_TAKEN':
      return {
        message: L('Цей час щойно зайняли.', 'This time was just taken.'),
        next: L('Оберіть інший час або інший день.', 'Choose another time or another day.'),
      };
    case 'LIMIT_REACHED':
      return {
        message: L(
          'За вказаними даними Заявника перевищено ліміт записів.',
          'You have reached your registration limit.',
        ),
        next: L(
          'Ліміт діє в межах календарного місяця; скасовані записи теж враховуються. Оберіть дату наступного місяця.',
          'The limit is per calendar month and cancelled registrations count too. Choose a date next month.',
        ),
      };
    case 'BLOCKED':
      return {
        message: L(
          'Реєстрацію тимчасово заблоковано через неявки на прийом.',
          'Registration is blocked because of missed visits.',
        ),
        next: L(
          'Дату завершення блокування показано у розділі «Мої записи». Зняти його може лише керівник сервісного центру під час особистого візиту.',
          'The end date is shown in “My registrations”. Only the head of the service center can lift it, in person.',
        ),
      };
    case 'CANCEL_TOO_LATE':
      return {
        message: L(
          'Скасувати запис уже не можна: до візиту менше 2 годин.',
          'It is too late to cancel: less than 2 hours are left.',
        ),
        next: L(
          'Якщо не встигаєте, просто не приходьте або зателефонуйте до центру.',
          'If you cannot come, contact the center.',
        ),
      };
    case 'PRIORITY_TERMINAL_ONLY':
      return {
        message: L(
          'Пріоритетна реєстрація можлива лише на терміналі в сервісному центрі.',
          'Priority registration is only possible at the terminal in the center.',
        ),
        next: L(
          'Прийдіть до центру з документом, що підтверджує категорію.',
          'Come to the center with the document proving your category.',
        ),
      };
    case 'SERVICE_PAUSED':
      return {
        message: L('Обслуговування призупинено: повітряна тривога.', 'Service is paused: air-raid alert.'),
        next: L(
          'Пройдіть до укриття. Після відбою виклик продовжиться з того самого місця.',
          'Go to the shelter. After the all-clear, calling resumes where it stopped.',
        ),
      };
    case 'ANTIBOT_REQUIRED':
      return {
        message: L(
          'Не вдалося автоматично підтвердити, що ви — людина.',
          'We could not confirm automatically that you are a person.',
        ),
        next: L('Оновіть сторінку і спробуйте ще раз.', 'Reload the page and try again.'),
      };
    case 'RATE_LIMITED':
      return {
        message: L('Забагато спроб за короткий час.', 'Too many attempts in a short time.'),
        next: L('Зачекайте хвилину і спробуйте знову.', 'Wait a minute and try again.'),
      };
    case 'OUT_OF_HORIZON':
      return {
        message: L('На цю дату онлайн-запис недоступний.', 'Online booking is not available for this date.'),
        next: L(
          'Оберіть день від завтра до 21-го дня включно.',
          'Choose a day from tomorrow up to 21 days ahead.',
        ),
      };
    case 'EXAM_RETRY_TOO_SOON':
      return {
        message: L(
          'Повторно записатися на іспит можна через 10 днів після попереднього запису.',
          'An exam can be re-booked 10 days after the previous one.',
        ),
        next: L('Оберіть дату пізніше.', 'Choose a later date.'),
      };
    case 'INVALID_STATE':
    case 'CONFLICT':
      return {
        message: L(
          'Цю дію вже не можна виконати: стан запису змінився.',
          'This can no longer be done: the registration has changed.',
        ),
        next: L('Оновіть сторінку, щоб побачити актуальний стан.', 'Reload to see the current state.'),
      };
    case 'OFFLINE':
      return {
        message: L('Немає з’єднання з інтернетом.', 'You are offline.'),
        next: L('Перевірте з’єднання і спробуйте ще раз.', 'Check your connection and try again.'),
      };
    default:
      return status >= 500 || status === 0
        ? {
            message: L('Сервіс тимчасово не відповідає.', 'The service is not responding right now.'),
            next: L('Спробуйте ще раз за кілька хвилин.', 'Please try again in a few minutes.'),
          }
        : {
            message: L('Не вдалося виконати дію.', 'The action could not be completed.'),
            next: L('Спробуйте ще раз.', 'Please try again.'),
          };
  }
}
