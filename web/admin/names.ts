import { api, type Service } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useLoad } from '../shared/ui.js';

/** Names the console shows for server codes: staff roles, service groups, weekdays. */

export function roleName(role: string): string {
  switch (role) {
    case 'administrator':
      return t('admin.administrator');
    case 'examiner':
      return t('admin.examiner');
    case 'center_head':
      return t('admin.centerHead');
    case 'national_admin':
      return t('admin.nationalAdmin');
    default:
      return role;
  }
}

/** The service groups of the public catalogue as [id, name] pairs, in catalogue order. */
export function useGroupList(): Array<[string, string]> {
  const services = useLoad(() => api.get<Service[]>('/api/v1/services'));
  return [...new Map((services.data ?? []).map((s) => [s.group, s.groupName])).entries()];
}

/** Service-group names by id (from the public catalogue). */
export function useGroupNames() {
  const map = new Map(useGroupList());
  return (id: string) => map.get(id) ?? id;
}

/** ISO weekdays 1 … 7, short ("Пн") and long ("Понеділок"). */
export const shortDays = () => t('admin.monTueWedThu').split(' ');
export const weekdays = () => [
  t('admin.monday'),
  t('admin.tuesday'),
  t('admin.wednesday'),
  t('admin.thursday'),
  t('admin.friday'),
  t('admin.saturday'),
  t('admin.sunday'),
];
