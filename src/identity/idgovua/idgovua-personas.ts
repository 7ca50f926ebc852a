import { edrpouControlDigit, rnokppControlDigit } from '../identifiers.js';
import type { IdGovUaUser } from './idgovua-client.js';

/** The provider's sign-in methods (`auth_type`), as the emulator names them. */
export const AUTH_METHODS: Record<string, string> = {
  dig_sign: 'Файловий ключ / токен (КЕП)',
  bank_id: 'BankID НБУ',
  diia_id: 'Дія.Підпис',
  diia_oauth: 'Дія (QR-код)',
};

/** Test personas of the bundled ID.GOV.UA emulator (demo mode and tests only). */
export interface Persona {
  id: string;
  label: string;
  note: string;
  /** How the persona signs in, when the service offers that method. */
  authType: string;
  user: IdGovUaUser;
  /** Seeded as blocked for no-shows when the persona logs in (SPEC 3.4). */
  blockedDays?: number;
}

const rnokpp = (first9: string) => `${first9}${rnokppControlDigit(first9)}`;
const edrpou = (first7: string) => `${first7}${edrpouControlDigit(`${first7}0`)}`;

export const personas: Persona[] = [
  {
    id: 'individual',
    label: 'Шевченко Тарас Григорович',
    note: 'Фізична особа, вхід через BankID',
    authType: 'bank_id',
    user: {
      lastname: 'Шевченко',
      givenname: 'Тарас Григорович',
      drfocode: rnokpp('304815620'),
      email: 'taras.shevchenko@example.com',
      phone: '+380671234567',
      unzr: '19890309-01234',
      issuer: 'BankID НБУ',
      subjectcn: 'Шевченко Тарас Григорович',
    },
  },
  {
    id: 'passport',
    label: 'Гнатюк Марія Іванівна',
    note: 'Без РНОКПП (відмова з релігійних переконань), паспорт-книжечка',
    authType: 'diia_id',
    user: {
      lastname: 'Гнатюк',
      givenname: 'Марія',
      middlename: 'Іванівна',
      // The provider puts the passport of a person without РНОКПП where the РНОКПП would be.
      drfocode: 'КВ123456',
      email: 'maria.hnatiuk@example.com',
      phone: '+380501112233',
      issuer: 'Дія.Підпис',
      subjectcn: 'Гнатюк Марія Іванівна',
    },
  },
  {
    id: 'legal',
    label: 'Коваленко Олег Петрович (ТОВ «Автолюкс-Київ»)',
    note: 'Представник юридичної особи з ЄДРПОУ',
    authType: 'dig_sign',
    user: {
      lastname: 'Коваленко',
      givenname: 'Олег',
      middlename: 'Петрович',
      drfocode: rnokpp('298765431'),
      edrpoucode: edrpou('3285596'),
      o: 'ТОВ «Автолюкс-Київ»',
      title: 'Директор',
      email: 'o.kovalenko@avtolux.example.com',
      phone: '+380442223344',
      issuer: 'КНЕДП ДПС',
      subjectcn: 'Коваленко Олег Петрович',
    },
  },
  {
    id: 'blocked',
    label: 'Бондар Ірина Сергіївна',
    note: 'Заблокована через 4 неявки (блокування діє ще 20 днів)',
    blockedDays: 20,
    authType: 'diia_oauth',
    user: {
      lastname: 'Бондар',
      givenname: 'Ірина',
      middlename: 'Сергіївна',
      drfocode: rnokpp('312345678'),
      email: 'iryna.bondar@example.com',
      phone: '+380931234567',
      issuer: 'Дія.Підпис',
      subjectcn: 'Бондар Ірина Сергіївна',
    },
  },
  {
    id: 'soldier',
    label: 'Мельник Андрій Васильович',
    note: 'Військовослужбовець ЗСУ (пріоритет — лише через термінал у центрі)',
    authType: 'bank_id',
    user: {
      lastname: 'Мельник',
      givenname: 'Андрій',
      middlename: 'Васильович',
      drfocode: rnokpp('335566778'),
      email: 'a.melnyk@example.com',
      phone: '+380661234567',
      title: 'Військовослужбовець',
      issuer: 'BankID НБУ',
      subjectcn: 'Мельник Андрій Васильович',
    },
  },
  {
    id: 'idcard',
    label: 'Ткаченко Олена Миколаївна',
    note: 'Без РНОКПП, паспорт у формі ID-картки, вхід через Дію (QR-код)',
    authType: 'diia_oauth',
    user: {
      lastname: 'Ткаченко',
      givenname: 'Олена',
      middlename: 'Миколаївна',
      drfocode: '004512378',
      email: 'olena.tkachenko@example.com',
      phone: '+380971112233',
      issuer: 'Дія',
      subjectcn: 'Ткаченко Олена Миколаївна',
    },
  },
];
