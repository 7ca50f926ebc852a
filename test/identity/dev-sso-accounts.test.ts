import { describe, expect, it } from 'vitest';
import { type DemoStaffAccount, groupAccounts } from '../../src/identity/staff-oidc/dev-oidc-provider.js';

const account = (fullName: string, role: string, centerId: string | null, centerName: string | null) =>
  ({ email: `${fullName.split(' ')[0]}@x`, fullName, role, centerId, centerName }) satisfies DemoStaffAccount;

const accounts = [
  account('Ярошенко Ігор', 'administrator', 'c2', 'ТСЦ МВС № 4641 (Львів)'),
  account('Бондар Олег', 'examiner', 'c1', 'ТСЦ МВС № 8041 (Київ)'),
  account('Антоненко Ліна', 'administrator', 'c1', 'ТСЦ МВС № 8041 (Київ)'),
  account('Коваль Марія', 'center_head', 'c1', 'ТСЦ МВС № 8041 (Київ)'),
  account('Гордієнко Валентина', 'national_admin', null, null),
];

describe('the demo staff SSO login page lists accounts by center, sorted and searchable', () => {
  it('the national admin comes first, then centers by name; in each the head, then operators by name', () => {
    const groups = groupAccounts(accounts, '');
    expect(groups.map((g) => g.name)).toEqual([
      'ГСЦ МВС — національний рівень',
      'ТСЦ МВС № 4641 (Львів)',
      'ТСЦ МВС № 8041 (Київ)',
    ]);
    expect(groups[2]?.accounts.map((a) => a.fullName)).toEqual([
      'Коваль Марія',
      'Антоненко Ліна',
      'Бондар Олег',
    ]);
  });

  it('a search matches name, center or role, in any case', () => {
    expect(groupAccounts(accounts, 'КИЇВ').flatMap((g) => g.accounts.map((a) => a.fullName))).toHaveLength(3);
    expect(groupAccounts(accounts, 'начальник').flatMap((g) => g.accounts.map((a) => a.fullName))).toEqual([
      'Коваль Марія',
    ]);
    expect(groupAccounts(accounts, 'ГСЦ')[0]?.accounts[0]?.role).toBe('national_admin');
    expect(groupAccounts(accounts, 'нікого такого')).toEqual([]);
  });
});
