import { useState } from 'react';
import type { auditEntryView } from '../../src/audit/audit-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { currentLang, t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { addDays, formatDateTime, kyivDay } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { roleName } from './center.js';
import { downloadCsv } from './charts.js';

type AuditRow = Answer<typeof auditEntryView>;

/** Action codes as a person reads them; an unknown code is shown as it is. */
export const ACTIONS: Record<string, { uk: string; en: string }> = {
  'capacity.absence_added': { uk: 'Позначено відсутність працівника', en: 'Staff absence recorded' },
  'capacity.absence_removed': { uk: 'Скасовано відсутність працівника', en: 'Staff absence removed' },
  'capacity.center_norms_set': { uk: 'Змінено норми центру', en: 'Center norms changed' },
  'capacity.center_updated': {
    uk: 'Змінено години роботи або частку онлайн',
    en: 'Hours or online share changed',
  },
  'capacity.desk_added': { uk: 'Додано робоче місце', en: 'Desk added' },
  'capacity.desk_updated': { uk: 'Змінено робоче місце', en: 'Desk changed' },
  'capacity.holiday_added': { uk: 'Додано вихідний', en: 'Holiday added' },
  'capacity.holiday_removed': { uk: 'Прибрано вихідний', en: 'Holiday removed' },
  'capacity.national_norms_set': { uk: 'Змінено національні норми', en: 'National norms changed' },
  'capacity.shift_added': { uk: 'Додано зміну до графіка', en: 'Shift added' },
  'capacity.shift_removed': { uk: 'Прибрано зміну з графіка', en: 'Shift removed' },
  'capacity.staff_activated': { uk: 'Працівника активовано', en: 'Staff member activated' },
  'capacity.staff_added': { uk: 'Додано працівника', en: 'Staff member added' },
  'capacity.staff_deactivated': { uk: 'Працівника деактивовано', en: 'Staff member deactivated' },
  'capacity.conflict_resolved': { uk: 'Конфлікт запису вирішено', en: 'Conflict resolved' },
  'capacity.conflict_offer_sent': { uk: 'Запропоновано інший час', en: 'Another time offered' },
  'capacity.conflict_offer_accepted': {
    uk: 'Особа прийняла запропонований час',
    en: 'Offered time accepted',
  },
  'capacity.conflict_cancelled': { uk: 'Запис скасовано з повідомленням', en: 'Cancelled with notice' },
  'catalog.exam_cars_set': {
    uk: 'Змінено категорії іспиту та автомобілі центру',
    en: 'Exam categories and cars of the center changed',
  },
  'capacity.generated': { uk: 'Місця перераховано', en: 'Places regenerated' },
  'alert.started': { uk: 'Оголошено повітряну тривогу', en: 'Air-raid alert started' },
  'alert.ended': { uk: 'Відбій тривоги', en: 'All clear' },
  'device.activation_issued': { uk: 'Видано код активації пристрою', en: 'Device activation code issued' },
  'device.issued': { uk: 'Пристрій підключено', en: 'Device enrolled' },
  'device.revoked': { uk: 'Пристрій відключено', en: 'Device revoked' },
  'feedback.given': { uk: 'Залишено відгук', en: 'Feedback given' },
  login: { uk: 'Вхід', en: 'Sign-in' },
  'login.refused': { uk: 'Вхід відхилено', en: 'Sign-in refused' },
  logout: { uk: 'Вихід', en: 'Sign-out' },
  'lottery.drawn': { uk: 'Проведено жеребкування', en: 'Lottery drawn' },
  'lottery.entered': { uk: 'Заявка на жеребкування', en: 'Lottery entry' },
  'outbox.retried': { uk: 'Лист надіслано повторно', en: 'Letter retried' },
  'person.block_lifted': { uk: 'Блокування знято', en: 'Block lifted' },
  'person.blocked': { uk: 'Особу заблоковано за неявки', en: 'Person blocked for no-shows' },
  'pii.viewed': { uk: 'Переглянуто персональні дані', en: 'Personal data viewed' },
  'registration.booked': { uk: 'Запис створено', en: 'Registration booked' },
  'registration.cancelled': { uk: 'Запис скасовано', en: 'Registration cancelled' },
  'registration.checked_in': { uk: 'Прибуття відмічено на терміналі', en: 'Arrival checked in' },
  'registration.moved': { uk: 'Запис перенесено', en: 'Registration moved' },
  'registration.called': { uk: 'Викликано до вікна', en: 'Called to the desk' },
  'registration.recalled': { uk: 'Викликано повторно', en: 'Recalled' },
  'registration.parked': { uk: 'Талон відкладено', en: 'Ticket parked' },
  'registration.unparked': { uk: 'Талон повернуто до черги', en: 'Ticket returned to the queue' },
  'registration.transferred': { uk: 'Перенаправлено до іншої послуги', en: 'Transferred to another service' },
  'registration.served': { uk: 'Обслуговано', en: 'Served' },
  'registration.no_show': { uk: 'Не з’явився', en: 'No-show' },
  'registration.refused_mismatch': { uk: 'Відмова: дані не збігаються', en: 'Refused: data mismatch' },
  'settings.martial_law': { uk: 'Змінено воєнний стан', en: 'Martial law changed' },
  'policy.changed': { uk: 'Змінено загальнодержавне правило', en: 'National policy value changed' },
  'policy.reset': { uk: 'Правило повернуто до конфігурації', en: 'National policy value restored' },
  'waitlist.joined': { uk: 'Стали в лист очікування', en: 'Joined the waitlist' },
  'waitlist.left': { uk: 'Вийшли з листа очікування', en: 'Left the waitlist' },
  'waitlist.offered': { uk: 'Запропоновано місце з листа очікування', en: 'Waitlist place offered' },
  'waitlist.declined': { uk: 'Відмова від запропонованого місця', en: 'Waitlist offer declined' },
  'demo.seeded': { uk: 'Демо-дані створено', en: 'Demo data seeded' },
};

const SUBJECTS: Record<string, { uk: string; en: string }> = {
  registration: { uk: 'Запис', en: 'Registration' },
  person: { uk: 'Особа', en: 'Person' },
  staff: { uk: 'Працівник', en: 'Staff member' },
  desk: { uk: 'Вікно', en: 'Desk' },
  holiday: { uk: 'Вихідний', en: 'Holiday' },
  center: { uk: 'Центр', en: 'Center' },
  device: { uk: 'Пристрій', en: 'Device' },
  shift: { uk: 'Зміна', en: 'Shift' },
  outbox: { uk: 'Лист', en: 'Letter' },
  policy: { uk: 'Правило', en: 'Policy value' },
};

const ACTORS: Record<string, { uk: string; en: string }> = {
  operator: { uk: 'оператор', en: 'operator' },
  terminal: { uk: 'термінал', en: 'kiosk' },
  board: { uk: 'табло', en: 'board' },
  citizen: { uk: 'громадянин', en: 'citizen' },
  system: { uk: 'система', en: 'system' },
  anonymous: { uk: 'анонім', en: 'anonymous' },
};

const lang = () => (currentLang() === 'en' ? 'en' : 'uk');
const actorLabel = (kind: string) => ACTORS[kind]?.[lang()] ?? roleName(kind);

/** The instant a Kyiv day starts (its offset is +02:00 in winter, +03:00 in summer). */
function kyivMidnight(day: string): Date {
  for (const off of ['+02:00', '+03:00']) {
    const at = new Date(`${day}T00:00:00${off}`);
    if (kyivDay(at) === day && kyivDay(new Date(at.getTime() - 1)) !== day) return at;
  }
  return new Date(`${day}T00:00:00Z`);
}
export const actionLabel = (code: string) => ACTIONS[code]?.[lang()] ?? code;
const subjectLabel = (kind: string | null) => (kind ? (SUBJECTS[kind]?.[lang()] ?? kind) : '');

/** Who did it: the staff member's name and position, or the kind of actor (kiosk, citizen, system). */
export function who(r: AuditRow): string {
  if (r.actorName) return `${r.actorName} (${actorLabel(r.actorStaffRole ?? r.actorKind)})`;
  return actorLabel(r.actorKind);
}

/** A short readable form of an identifier: a UUID shows its first 8 characters. */
const shortId = (id: string) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id);

function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(
      ([k, v]) =>
        `${t(`admin.detail_${k}`, { defaultValue: k })}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
    )
    .join('; ');
}

/**
 * The audit log as people read it: named staff, Ukrainian actions, objects as links that filter
 * the log to that object, details as text; filters by person, action and period; CSV export.
 */
export function AuditLogSection({ centerId, national }: { centerId: string; national: boolean }) {
  const today = useServerTime()?.today;
  return today ? <AuditLog centerId={centerId} national={national} today={today} /> : <Loading />;
}

function AuditLog({ centerId, national, today }: { centerId: string; national: boolean; today: string }) {
  const [draft, setDraft] = useState({
    action: '',
    person: '',
    from: addDays(today, -6),
    to: today,
    subjectId: '',
  });
  const [filter, setFilter] = useState(draft);
  const [cursor, setCursor] = useState<string | null>(null);
  const log = useLoad(async () => {
    const q = new URLSearchParams({ limit: '200' });
    if (filter.action) q.set('action', filter.action);
    if (filter.subjectId) q.set('subjectId', filter.subjectId);
    // National actions (policy values, martial law) belong to no center: the national admin
    // sees them when filtering by them, whatever center is picked.
    const nationalAction = /^(policy|settings)\./.test(filter.action);
    if ((national || centerId) && !(national && nationalAction)) q.set('centerId', centerId);
    // The period's days are Kyiv days; the server compares instants.
    if (filter.from) q.set('from', kyivMidnight(filter.from).toISOString());
    if (filter.to) q.set('to', kyivMidnight(addDays(filter.to, 1)).toISOString());
    if (cursor) q.set('cursor', cursor);
    return api.get<{ items: AuditRow[]; nextCursor: string | null }>(`/api/v1/admin/audit?${q}`);
  }, [centerId, filter, cursor]);
  const person = filter.person.trim().toLowerCase();
  const rows = (log.data?.items ?? []).filter((r) => !person || who(r).toLowerCase().includes(person));
  const apply = (next: typeof draft) => {
    setCursor(null);
    setDraft(next);
    setFilter(next);
  };
  const exportCsv = () =>
    downloadCsv(
      `e-zapys-audit-${centerId}-${filter.from}-${filter.to}.csv`,
      [t('admin.time'), t('admin.who'), t('admin.action'), t('admin.subject'), t('admin.details'), 'IP'],
      rows.map((r) => [
        formatDateTime(r.at),
        who(r),
        actionLabel(r.action),
        `${subjectLabel(r.subjectKind)} ${r.subjectId ?? ''}`.trim(),
        detailText(r.details),
        r.ip,
      ]),
    );
  return (
    <section className="card">
      <form
        className="row"
        aria-label={t('admin.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <div>
          <label htmlFor="a-person">{t('admin.auditPerson')}</label>
          <input
            id="a-person"
            value={draft.person}
            onChange={(e) => setDraft({ ...draft, person: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="a-action">{t('admin.action')}</label>
          <select
            id="a-action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            <option value="">{t('admin.auditAnyAction')}</option>
            {Object.keys(ACTIONS)
              .sort((a, b) => actionLabel(a).localeCompare(actionLabel(b)))
              .map((code) => (
                <option key={code} value={code}>
                  {actionLabel(code)}
                </option>
              ))}
          </select>
        </div>
        <div>
          <label htmlFor="a-from">{t('admin.from')}</label>
          <input
            id="a-from"
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="a-to">{t('admin.to')}</label>
          <input
            id="a-to"
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <button type="submit" className="button secondary">
          {t('admin.filter')}
        </button>
        <button type="button" className="button secondary" onClick={exportCsv} disabled={!rows.length}>
          {t('admin.auditCsv')}
        </button>
      </form>
      {filter.subjectId ? (
        <p>
          {t('admin.auditOneObject')} <code>{shortId(filter.subjectId)}</code>{' '}
          <button type="button" className="link-button" onClick={() => apply({ ...filter, subjectId: '' })}>
            {t('admin.auditAllObjects')}
          </button>
        </p>
      ) : null}
      {log.loading && !log.data ? <Loading /> : null}
      <ErrorNote error={log.error} onRetry={log.reload} />
      {log.data ? (
        <table className="audit">
          <caption className="sr-only">{t('admin.auditLog')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.time')}</th>
              <th scope="col">{t('admin.who')}</th>
              <th scope="col">{t('admin.action')}</th>
              <th scope="col">{t('admin.subject')}</th>
              <th scope="col">{t('admin.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.at)}</td>
                <td data-testid="audit-who">{who(r)}</td>
                <td title={r.action}>{actionLabel(r.action)}</td>
                <td>
                  {r.subjectId ? (
                    <button
                      type="button"
                      className="link-button"
                      title={`${subjectLabel(r.subjectKind)} ${r.subjectId}`}
                      onClick={() => apply({ ...filter, subjectId: r.subjectId ?? '' })}
                    >
                      {subjectLabel(r.subjectKind)} {shortId(r.subjectId)}
                    </button>
                  ) : (
                    subjectLabel(r.subjectKind)
                  )}
                </td>
                <td className="details">{detailText(r.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.data && rows.length === 0 ? <p className="muted">{t('admin.auditEmpty')}</p> : null}
      {log.data?.nextCursor ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => setCursor(log.data?.nextCursor ?? null)}
        >
          {t('admin.olderEntries')}
        </button>
      ) : null}
    </section>
  );
}
