import { useEffect, useState } from 'react';
import type {
  adminDeskView,
  previewDayView,
  shiftView,
  staffView,
} from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { DataTable } from './table.js';
import { TimeInput } from './time-input.js';

const enc = encodeURIComponent;
type Hours = Record<string, { open: string; close: string; breakFrom?: string; breakTo?: string }>;

const shortDays = () => t('admin.monTueWedThu').split(' ');

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

/** Service-group names by id (from the public catalogue). */
export function useGroupNames() {
  const services = useLoad(() => api.get<Array<{ group: string; groupName?: string }>>('/api/v1/services'));
  const map = new Map((services.data ?? []).map((s) => [s.group, s.groupName ?? s.group]));
  return (id: string) => map.get(id) ?? id;
}

const weekdays = () => [
  t('admin.monday'),
  t('admin.tuesday'),
  t('admin.wednesday'),
  t('admin.thursday'),
  t('admin.friday'),
  t('admin.saturday'),
  t('admin.sunday'),
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
      setDone(n ? `${message} ${t('admin.warningConflictsRegistrations')} ${n}.` : message);
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
  // What the holiday would hit, before it is added: the day's registrations per pool.
  const holidayDay = useLoad(
    () =>
      /^\d{4}-\d{2}-\d{2}$/.test(hDay)
        ? api.get<Answer<typeof previewDayView>[]>(
            `/api/v1/admin/centers/${enc(centerId)}/capacity?from=${hDay}&to=${hDay}`,
          )
        : Promise.resolve(null),
    [centerId, hDay],
  );
  const hit = (pool: 'online' | 'terminal') =>
    (holidayDay.data?.[0]?.groups ?? []).reduce((n, g) => n + g[pool].booked, 0);

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
              t('admin.savedCapacityRegenerated'),
            );
          }}
        >
          <h2>{t('admin.workingHours')}</h2>
          <table className="hours">
            <caption className="sr-only">{t('admin.workingHoursWeekday')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.day')}</th>
                <th scope="col">{t('admin.open')}</th>
                <th scope="col">{t('admin.opens')}</th>
                <th scope="col">{t('admin.closes')}</th>
                <th scope="col">{t('admin.breakFrom')}</th>
                <th scope="col">{t('admin.break')}</th>
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
                        aria-label={`${name}: ${t('admin.open2')}`}
                        checked={Boolean(h)}
                        onChange={(e) => toggleDay(d, e.target.checked)}
                      />
                    </td>
                    {(['open', 'close', 'breakFrom', 'breakTo'] as const).map((k) => (
                      <td key={k}>
                        <TimeInput
                          label={`${name}: ${k}`}
                          disabled={!h}
                          value={h?.[k] ?? ''}
                          onChange={(v) => setDay(d, k, v)}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>{t('admin.splitOnlineTerminal')}</h2>
          <label htmlFor="share">
            {t('admin.onlineShare')}: {share}% / {t('admin.terminal')} {100 - share}%
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
              {t('admin.saveRegenerateCapacity')}
            </button>
          </p>
          {save.view}
        </form>
      ) : null}
      <section className="card">
        <h2>{t('admin.holidays')}</h2>
        <ErrorNote error={holidays.error} onRetry={holidays.reload} />
        <ul className="plain">
          {holidays.data?.map((h) => (
            <li key={h.id} className="row">
              <span>
                {h.day} — {h.name}{' '}
                {h.centerId === null ? <span className="badge">{t('admin.national')}</span> : null}
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
                        t('admin.holidayRemoved'),
                      )
                      .then(holidays.reload)
                  }
                >
                  {t('admin.remove')}
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
                t('admin.holidayAdded'),
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
            <label htmlFor="h-day">{t('admin.date')}</label>
            <input id="h-day" type="date" value={hDay} onChange={(e) => setHDay(e.target.value)} required />
          </div>
          <div>
            <label htmlFor="h-name">{t('admin.name')}</label>
            <input id="h-name" value={hName} onChange={(e) => setHName(e.target.value)} required />
          </div>
          <button type="submit" className="button" disabled={saveHol.busy}>
            {t('admin.addHoliday')}
          </button>
        </form>
        {hDay && holidayDay.data ? (
          <p className="small" data-testid="holiday-impact">
            {hit('online') + hit('terminal') > 0
              ? t('admin.holidayImpact', {
                  booked: hit('online') + hit('terminal'),
                  online: hit('online'),
                  terminal: hit('terminal'),
                })
              : t('admin.holidayImpactNone')}
          </p>
        ) : null}
        {saveHol.view}
      </section>
    </>
  );
}

type Desk = Answer<typeof adminDeskView>;
type Staff = Answer<typeof staffView>;
type Shift = Answer<typeof shiftView>;

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
    validFrom: '',
    starts: '',
    ends: '',
  });
  // A new shift starts on the server's today unless the head picks another day.
  const today = useServerTime()?.today;
  useEffect(() => {
    if (today) setShift((s) => (s.validFrom ? s : { ...s, validFrom: today }));
  }, [today]);
  const [deskNo, setDeskNo] = useState('');
  const [deskGroups, setDeskGroups] = useState<string[]>([]);
  const groupList = [...new Map((groups.data ?? []).map((s) => [s.group, s.groupName ?? s.group])).entries()];
  const staffName = (id: string) => {
    const s = staff.data?.find((x) => x.id === id);
    return s ? s.fullName : id;
  };
  const deskNumber = (id: string) => desks.data?.find((d) => d.id === id)?.number ?? id;

  return (
    <>
      {save.view}
      <section className="card">
        <h2>{t('admin.desks')}</h2>
        <ErrorNote error={desks.error} onRetry={desks.reload} />
        <DataTable
          caption={t('admin.desks2')}
          rows={desks.data}
          rowKey={(d) => d.id}
          columns={[
            { header: t('admin.desk'), cell: (d) => d.number },
            {
              header: t('admin.serviceGroups'),
              cell: (d) => d.groupIds.map((g) => groupList.find(([id]) => id === g)?.[1] ?? g).join(', '),
            },
            {
              header: t('admin.state'),
              cell: (d) => (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void save
                      .run(
                        () => api.put(`${base}/desks/${enc(d.id)}`, { active: d.active === false }),
                        t('admin.saved'),
                      )
                      .then(desks.reload)
                  }
                >
                  {d.active === false ? t('admin.offTurn') : t('admin.turnOff')}
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
                t('admin.deskAdded'),
              )
              .then(desks.reload);
          }}
        >
          <div>
            <label htmlFor="d-no">{t('admin.deskNumber')}</label>
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
            <legend>{t('admin.serviceGroups')}</legend>
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
            {t('admin.addDesk')}
          </button>
        </form>
      </section>
      <section className="card">
        <h2>{t('admin.staff')}</h2>
        <ErrorNote error={staff.error} onRetry={staff.reload} />
        <DataTable
          caption={t('admin.staff')}
          rows={staff.data}
          rowKey={(m) => m.id}
          columns={[
            { header: t('admin.name2'), cell: (m) => m.fullName },
            { header: t('admin.role'), cell: (m) => roleName(m.role) },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t('admin.roster')}</h2>
        <ErrorNote error={roster.error} onRetry={roster.reload} />
        <DataTable
          caption={t('admin.roster2')}
          rows={roster.data}
          rowKey={(r) => String(r.id)}
          columns={[
            { header: t('admin.staff2'), cell: (r) => staffName(r.staffId) },
            { header: t('admin.desk'), cell: (r) => deskNumber(r.deskId) },
            { header: t('admin.days'), cell: (r) => r.weekdays.map((w) => shortDays()[w - 1]).join(', ') },
            {
              header: t('admin.period'),
              cell: (r) => `${r.validFrom} — ${r.validTo ?? '…'} ${r.starts ? `${r.starts}–${r.ends}` : ''}`,
            },
            {
              header: t('admin.actions'),
              hideHeader: true,
              cell: (r) => (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void save
                      .run(() => api.del(`${base}/roster/${r.id}`), t('admin.shiftRemoved'))
                      .then(roster.reload)
                  }
                >
                  {t('admin.remove')}
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
                () =>
                  api.post(`${base}/roster`, {
                    staffId: shift.staffId,
                    deskId: shift.deskId,
                    weekdays: shift.weekdays,
                    validFrom: shift.validFrom,
                    starts: shift.starts || null,
                    ends: shift.ends || null,
                  }),
                t('admin.shiftAddedCapacityRegenerated'),
              )
              .then(roster.reload);
          }}
        >
          <div>
            <label htmlFor="r-staff">{t('admin.staff2')}</label>
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
                    {s.fullName}
                  </option>
                ))}
            </select>
          </div>
          <div>
            <label htmlFor="r-desk">{t('admin.desk')}</label>
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
            <label htmlFor="r-from">{t('admin.from2')}</label>
            <input
              id="r-from"
              type="date"
              value={shift.validFrom}
              onChange={(e) => setShift({ ...shift, validFrom: e.target.value })}
              required
            />
          </div>
          <fieldset className="weekdays">
            <legend>{t('admin.shiftWeekdays')}</legend>
            {shortDays().map((name, i) => {
              const wd = i + 1;
              return (
                <label key={wd} className="check">
                  <input
                    type="checkbox"
                    checked={shift.weekdays.includes(wd)}
                    onChange={(e) =>
                      setShift({
                        ...shift,
                        weekdays: e.target.checked
                          ? [...shift.weekdays, wd].sort((a, b) => a - b)
                          : shift.weekdays.filter((x) => x !== wd),
                      })
                    }
                  />{' '}
                  {name}
                </label>
              );
            })}
          </fieldset>
          <div>
            <label htmlFor="r-starts">{t('admin.shiftStarts')}</label>
            <TimeInput
              id="r-starts"
              label={t('admin.shiftStarts')}
              value={shift.starts}
              onChange={(v) => setShift({ ...shift, starts: v })}
            />
          </div>
          <div>
            <label htmlFor="r-ends">{t('admin.shiftEnds')}</label>
            <TimeInput
              id="r-ends"
              label={t('admin.shiftEnds')}
              value={shift.ends}
              onChange={(v) => setShift({ ...shift, ends: v })}
            />
          </div>
          <button type="submit" className="button" disabled={save.busy || shift.weekdays.length === 0}>
            {t('admin.addShift')}
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
      <p>{t('admin.normHowManyOperations')}</p>
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
              t('admin.normsSavedCapacityRegenerated'),
            )
            .then(norms.reload);
        }}
      >
        <DataTable
          caption={t('admin.norms')}
          rows={norms.data}
          rowKey={key}
          columns={[
            { header: t('admin.serviceGroup'), cell: (n) => groupName(n.groupId) },
            { header: t('admin.role'), cell: (n) => roleName(n.role) },
            {
              header: t('admin.operationsDay'),
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
            {t('admin.saveNorms')}
          </button>
        </p>
      </form>
      {save.view}
    </section>
  );
}
