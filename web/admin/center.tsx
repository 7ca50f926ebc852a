import { useEffect, useState } from 'react';
import { api } from '../shared/api.js';
import { L } from '../shared/i18n.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { DataTable } from './table.js';

const enc = encodeURIComponent;
type Hours = Record<string, { open: string; close: string; breakFrom?: string; breakTo?: string }>;

const shortDays = () => L('Пн Вт Ср Чт Пт Сб Нд', 'Mon Tue Wed Thu Fri Sat Sun').split(' ');

export function roleName(role: string): string {
  switch (role) {
    case 'administrator':
      return L('Адміністратор', 'Administrator');
    case 'examiner':
      return L('Екзаменатор', 'Examiner');
    case 'center_head':
      return L('Керівник центру', 'Center head');
    case 'national_admin':
      return L('Адміністратор ГСЦ', 'National admin');
    default:
      return role;
  }
}

/** Service-group names by id (from the public catalogue). */
export function useGroupNames() {
  const services = useLoad(() => api.get<Array<{ group: string; groupName?: string }>>('/api/v1/services'));
  const map = new Map((services.data ?? []).map((s) => [s.group, s.groupName ?? s.group]));
  return (id: string) => map.get(id) ?? id;
}

const weekdays = () => [
  L('Понеділок', 'Monday'),
  L('Вівторок', 'Tuesday'),
  L('Середа', 'Wednesday'),
  L('Четвер', 'Thursday'),
  L('П’ятниця', 'Friday'),
  L('Субота', 'Saturday'),
  L('Неділя', 'Sunday'),
];

/** Saves with a button and shows what the change did (the API answers with the regeneration). */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = (await fn()) as { conflicts?: unknown[] } | null;
      const n = Array.isArray(r?.conflicts) ? r.conflicts.length : 0;
      setDone(
        n
          ? `${message} ${L('Увага: конфліктів із записами —', 'Warning: conflicts with registrations —')} ${n}.`
          : message,
      );
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <>
      {done ? (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </>
  );
  return { run, busy, view };
}

export function CenterSection({ centerId, national }: { centerId: string; national: boolean }) {
  const center = useLoad(
    () =>
      api.get<{ workingHours: Hours; onlineShare: number; name: string }>(
        `/api/v1/admin/centers/${enc(centerId)}`,
      ),
    [centerId],
  );
  const holidays = useLoad(
    () =>
      api.get<Array<{ id: number | string; day: string; name: string; centerId?: string | null }>>(
        `/api/v1/admin/centers/${enc(centerId)}/holidays`,
      ),
    [centerId],
  );
  const [hours, setHours] = useState<Hours>({});
  const [share, setShare] = useState(70);
  const [hDay, setHDay] = useState('');
  const [hName, setHName] = useState('');
  const save = useSave();
  const saveHol = useSave();

  useEffect(() => {
    if (center.data) {
      setHours(center.data.workingHours ?? {});
      setShare(Math.round((center.data.onlineShare ?? 0.7) * 100));
    }
  }, [center.data]);

  const setDay = (d: string, k: 'open' | 'close' | 'breakFrom' | 'breakTo', v: string) =>
    setHours((h) => {
      const cur = h[d] ?? { open: '09:00', close: '18:00' };
      const next = { ...cur, [k]: v || undefined };
      return { ...h, [d]: next };
    });
  const toggleDay = (d: string, on: boolean) =>
    setHours((h) => {
      const n = { ...h };
      if (on) n[d] = { open: '09:00', close: '18:00', breakFrom: '13:00', breakTo: '13:45' };
      else delete n[d];
      return n;
    });

  if (center.loading && !center.data) return <Loading />;
  return (
    <>
      <ErrorNote error={center.error} onRetry={center.reload} />
      {center.data ? (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run(
              () =>
                api.put(`/api/v1/admin/centers/${enc(centerId)}`, {
                  workingHours: hours,
                  onlineShare: share / 100,
                }),
              L('Збережено. Місця перераховано.', 'Saved. Capacity regenerated.'),
            );
          }}
        >
          <h2>{L('Години роботи', 'Working hours')}</h2>
          <table className="hours">
            <caption className="sr-only">
              {L('Години роботи по днях тижня', 'Working hours by weekday')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{L('День', 'Day')}</th>
                <th scope="col">{L('Працює', 'Open')}</th>
                <th scope="col">{L('Початок', 'Opens')}</th>
                <th scope="col">{L('Кінець', 'Closes')}</th>
                <th scope="col">{L('Перерва з', 'Break from')}</th>
                <th scope="col">{L('Перерва до', 'Break to')}</th>
              </tr>
            </thead>
            <tbody>
              {weekdays().map((name, i) => {
                const d = String(i + 1);
                const h = hours[d];
                return (
                  <tr key={d}>
                    <th scope="row">{name}</th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${name}: ${L('працює', 'open')}`}
                        checked={Boolean(h)}
                        onChange={(e) => toggleDay(d, e.target.checked)}
                      />
                    </td>
                    {(['open', 'close', 'breakFrom', 'breakTo'] as const).map((k) => (
                      <td key={k}>
                        <input
                          type="time"
                          aria-label={`${name}: ${k}`}
                          disabled={!h}
                          value={h?.[k] ?? ''}
                          onChange={(e) => setDay(d, k, e.target.value)}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>{L('Розподіл місць: онлайн / термінал', 'Split: online / terminal')}</h2>
          <label htmlFor="share">
            {L('Частка онлайн-запису', 'Online share')}: {share}% / {L('термінал', 'terminal')} {100 - share}%
          </label>
          <input
            id="share"
            type="range"
            min={0}
            max={100}
            step={5}
            value={share}
            onChange={(e) => setShare(Number(e.target.value))}
          />
          <p>
            <button type="submit" className="button" disabled={save.busy}>
              {L('Зберегти і перерахувати місця', 'Save and regenerate capacity')}
            </button>
          </p>
          {save.view}
        </form>
      ) : null}
      <section className="card">
        <h2>{L('Вихідні та святкові дні', 'Holidays')}</h2>
        <ErrorNote error={holidays.error} onRetry={holidays.reload} />
        <ul className="plain">
          {holidays.data?.map((h) => (
            <li key={h.id} className="row">
              <span>
                {h.day} — {h.name}{' '}
                {h.centerId === null ? (
                  <span className="badge">{L('загальнодержавний', 'national')}</span>
                ) : null}
              </span>
              {h.centerId !== null || national ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void saveHol
                      .run(
                        () =>
                          api.del(
                            h.centerId === null
                              ? `/api/v1/admin/holidays/${h.id}`
                              : `/api/v1/admin/centers/${enc(centerId)}/holidays/${h.id}`,
                          ),
                        L('Вихідний прибрано.', 'Holiday removed.'),
                      )
                      .then(holidays.reload)
                  }
                >
                  {L('Прибрати', 'Remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void saveHol
              .run(
                () => api.post(`/api/v1/admin/centers/${enc(centerId)}/holidays`, { day: hDay, name: hName }),
                L('Вихідний додано.', 'Holiday added.'),
              )
              .then((ok) => {
                if (ok) {
                  setHDay('');
                  setHName('');
                  holidays.reload();
                }
              });
          }}
        >
          <div>
            <label htmlFor="h-day">{L('Дата', 'Date')}</label>
            <input id="h-day" type="date" value={hDay} onChange={(e) => setHDay(e.target.value)} required />
          </div>
          <div>
            <label htmlFor="h-name">{L('Назва', 'Name')}</label>
            <input id="h-name" value={hName} onChange={(e) => setHName(e.target.value)} required />
          </div>
          <button type="submit" className="button" disabled={saveHol.busy}>
            {L('Додати вихідний', 'Add holiday')}
          </button>
        </form>
        {saveHol.view}
      </section>
    </>
  );
}

interface Desk {
  id: string;
  number: number;
  groupIds?: string[];
  groups?: string[];
  active?: boolean;
}
interface Staff {
  id: string;
  fullName?: string;
  full_name?: string;
  role: string;
  active?: boolean;
}
interface Shift {
  id: number;
  staffId: string;
  deskId: string;
  weekdays: number[];
  validFrom: string;
  validTo?: string | null;
  starts?: string | null;
  ends?: string | null;
}

export function StaffSection({ centerId }: { centerId: string }) {
  const base = `/api/v1/admin/centers/${enc(centerId)}`;
  const desks = useLoad(() => api.get<Desk[]>(`${base}/desks`), [centerId]);
  const staff = useLoad(() => api.get<Staff[]>(`${base}/staff`), [centerId]);
  const roster = useLoad(() => api.get<Shift[]>(`${base}/roster`), [centerId]);
  const groups = useLoad(() => api.get<Array<{ group: string; groupName?: string }>>('/api/v1/services'));
  const save = useSave();
  const [shift, setShift] = useState({
    staffId: '',
    deskId: '',
    weekdays: [1, 2, 3, 4, 5],
    validFrom: new Date().toISOString().slice(0, 10),
  });
  const [deskNo, setDeskNo] = useState('');
  const [deskGroups, setDeskGroups] = useState<string[]>([]);
  const groupList = [...new Map((groups.data ?? []).map((s) => [s.group, s.groupName ?? s.group])).entries()];
  const staffName = (id: string) => {
    const s = staff.data?.find((x) => x.id === id);
    return s ? (s.fullName ?? s.full_name ?? id) : id;
  };
  const deskNumber = (id: string) => desks.data?.find((d) => d.id === id)?.number ?? id;

  return (
    <>
      {save.view}
      <section className="card">
        <h2>{L('Робочі місця (вікна)', 'Desks')}</h2>
        <ErrorNote error={desks.error} onRetry={desks.reload} />
        <DataTable
          caption={L('Робочі місця', 'Desks')}
          rows={desks.data}
          rowKey={(d) => d.id}
          columns={[
            { header: L('Вікно', 'Desk'), cell: (d) => d.number },
            {
              header: L('Групи послуг', 'Service groups'),
              cell: (d) =>
                (d.groupIds ?? d.groups ?? [])
                  .map((g) => groupList.find(([id]) => id === g)?.[1] ?? g)
                  .join(', '),
            },
            {
              header: L('Стан', 'State'),
              cell: (d) => (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void save
                      .run(
                        () => api.put(`${base}/desks/${enc(d.id)}`, { active: d.active === false }),
                        L('Збережено.', 'Saved.'),
                      )
                      .then(desks.reload)
                  }
                >
                  {d.active === false
                    ? L('Вимкнене — увімкнути', 'Off — turn on')
                    : L('Працює — вимкнути', 'On — turn off')}
                </button>
              ),
            },
          ]}
        />
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void save
              .run(
                () => api.post(`${base}/desks`, { number: Number(deskNo), groupIds: deskGroups }),
                L('Вікно додано.', 'Desk added.'),
              )
              .then(desks.reload);
          }}
        >
          <div>
            <label htmlFor="d-no">{L('Номер вікна', 'Desk number')}</label>
            <input
              id="d-no"
              type="number"
              min={1}
              value={deskNo}
              onChange={(e) => setDeskNo(e.target.value)}
              required
            />
          </div>
          <fieldset className="inline-checks">
            <legend>{L('Групи послуг', 'Service groups')}</legend>
            {groupList.map(([g, n]) => (
              <label key={g}>
                <input
                  type="checkbox"
                  checked={deskGroups.includes(g)}
                  onChange={(e) =>
                    setDeskGroups((list) => (e.target.checked ? [...list, g] : list.filter((x) => x !== g)))
                  }
                />{' '}
                {n}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button" disabled={save.busy || !deskNo || !deskGroups.length}>
            {L('Додати вікно', 'Add desk')}
          </button>
        </form>
      </section>
      <section className="card">
        <h2>{L('Працівники', 'Staff')}</h2>
        <ErrorNote error={staff.error} onRetry={staff.reload} />
        <DataTable
          caption={L('Працівники', 'Staff')}
          rows={staff.data}
          rowKey={(m) => m.id}
          columns={[
            { header: L('ПІБ', 'Name'), cell: (m) => m.fullName ?? m.full_name },
            { header: L('Роль', 'Role'), cell: (m) => roleName(m.role) },
          ]}
        />
      </section>
      <section className="card">
        <h2>{L('Графік роботи', 'Roster')}</h2>
        <ErrorNote error={roster.error} onRetry={roster.reload} />
        <DataTable
          caption={L('Графік', 'Roster')}
          rows={roster.data}
          rowKey={(r) => String(r.id)}
          columns={[
            { header: L('Працівник', 'Staff'), cell: (r) => staffName(r.staffId) },
            { header: L('Вікно', 'Desk'), cell: (r) => deskNumber(r.deskId) },
            { header: L('Дні', 'Days'), cell: (r) => r.weekdays.map((w) => shortDays()[w - 1]).join(', ') },
            {
              header: L('Період', 'Period'),
              cell: (r) => `${r.validFrom} — ${r.validTo ?? '…'} ${r.starts ? `${r.starts}–${r.ends}` : ''}`,
            },
            {
              header: L('Дії', 'Actions'),
              hideHeader: true,
              cell: (r) => (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void save
                      .run(() => api.del(`${base}/roster/${r.id}`), L('Зміну прибрано.', 'Shift removed.'))
                      .then(roster.reload)
                  }
                >
                  {L('Прибрати', 'Remove')}
                </button>
              ),
            },
          ]}
        />
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void save
              .run(
                () => api.post(`${base}/roster`, shift),
                L('Зміну додано, місця перераховано.', 'Shift added, capacity regenerated.'),
              )
              .then(roster.reload);
          }}
        >
          <div>
            <label htmlFor="r-staff">{L('Працівник', 'Staff')}</label>
            <select
              id="r-staff"
              value={shift.staffId}
              onChange={(e) => setShift({ ...shift, staffId: e.target.value })}
              required
            >
              <option value="">—</option>
              {staff.data
                ?.filter((s) => s.role === 'administrator' || s.role === 'examiner')
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.fullName ?? s.full_name}
                  </option>
                ))}
            </select>
          </div>
          <div>
            <label htmlFor="r-desk">{L('Вікно', 'Desk')}</label>
            <select
              id="r-desk"
              value={shift.deskId}
              onChange={(e) => setShift({ ...shift, deskId: e.target.value })}
              required
            >
              <option value="">—</option>
              {desks.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.number}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="r-from">{L('З дати', 'From')}</label>
            <input
              id="r-from"
              type="date"
              value={shift.validFrom}
              onChange={(e) => setShift({ ...shift, validFrom: e.target.value })}
              required
            />
          </div>
          <button type="submit" className="button" disabled={save.busy}>
            {L('Додати зміну (пн–пт)', 'Add shift (Mon–Fri)')}
          </button>
        </form>
      </section>
    </>
  );
}

interface Norm {
  groupId: string;
  role: 'administrator' | 'examiner';
  perDay: number | null;
  source?: string;
  national?: number | null;
}

export function NormsSection({ centerId }: { centerId: string }) {
  const norms = useLoad(() => api.get<Norm[]>(`/api/v1/admin/centers/${enc(centerId)}/norms`), [centerId]);
  const groupName = useGroupNames();
  const [edit, setEdit] = useState<Record<string, string>>({});
  const save = useSave();
  const key = (n: Norm) => `${n.groupId}|${n.role}`;
  return (
    <section className="card">
      <p>
        {L(
          'Норма — скільки операцій працівник виконує за день (наприклад, адміністратор — до 20 реєстрацій ТЗ, екзаменатор — близько 15 практичних іспитів). Порожнє поле — національна норма.',
          'A norm is how many operations a staff member does a day (e.g. 20 vehicle registrations, 15 practical exams). Empty means the national norm.',
        )}
      </p>
      {norms.loading && !norms.data ? <Loading /> : null}
      <ErrorNote error={norms.error} onRetry={norms.reload} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body = (norms.data ?? []).map((n) => {
            const v = edit[key(n)];
            return {
              groupId: n.groupId,
              role: n.role,
              perDay: v === undefined ? n.perDay : v === '' ? null : Number(v),
            };
          });
          void save
            .run(
              () => api.put(`/api/v1/admin/centers/${enc(centerId)}/norms`, body),
              L('Норми збережено, місця перераховано.', 'Norms saved, capacity regenerated.'),
            )
            .then(norms.reload);
        }}
      >
        <DataTable
          caption={L('Норми', 'Norms')}
          rows={norms.data}
          rowKey={key}
          columns={[
            { header: L('Група послуг', 'Service group'), cell: (n) => groupName(n.groupId) },
            { header: L('Роль', 'Role'), cell: (n) => roleName(n.role) },
            {
              header: L('Операцій на день', 'Operations a day'),
              cell: (n) => (
                <input
                  type="number"
                  min={1}
                  max={500}
                  aria-label={`${groupName(n.groupId)}, ${roleName(n.role)}`}
                  placeholder={n.national ? String(n.national) : ''}
                  value={edit[key(n)] ?? (n.perDay === null ? '' : String(n.perDay))}
                  onChange={(e) => setEdit({ ...edit, [key(n)]: e.target.value })}
                />
              ),
            },
          ]}
        />
        <p>
          <button type="submit" className="button" disabled={save.busy || !norms.data?.length}>
            {L('Зберегти норми', 'Save norms')}
          </button>
        </p>
      </form>
      {save.view}
    </section>
  );
}
