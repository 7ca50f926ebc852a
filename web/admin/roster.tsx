import { useEffect, useState } from 'react';
import type {
  adminDeskView,
  deskAdded,
  deskUpdated,
  shiftAdded,
  shiftRemoved,
  shiftView,
  staffView,
} from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { useLoad } from '../shared/ui.js';
import { DateField, Field, RemoveButton, RowForm, StaffSelect } from './form.js';
import { roleName, shortDays, useGroupList } from './names.js';
import { conflictsOf, useSave } from './save.js';
import { TableCard } from './table.js';
import { TimeInput } from './time-input.js';

type Desk = Answer<typeof adminDeskView>;
type Staff = Answer<typeof staffView>;
type Shift = Answer<typeof shiftView>;
type Save = ReturnType<typeof useSave>;

const enc = encodeURIComponent;

/** Desks, staff and the roster of a center: the inputs capacity is generated from. */
export function StaffSection({ centerId }: { centerId: string }) {
  const base = `/api/v1/admin/centers/${enc(centerId)}`;
  const desks = useLoad(() => api.get<Desk[]>(`${base}/desks`), [base]);
  const staff = useLoad(() => api.get<Staff[]>(`${base}/staff`), [base]);
  const save = useSave();
  return (
    <>
      {save.view}
      <DesksCard base={base} desks={desks} save={save} />
      <TableCard
        title={t('admin.staff')}
        caption={t('admin.staff')}
        load={staff}
        rowKey={(m) => m.id}
        columns={[
          { header: t('admin.name2'), cell: (m) => m.fullName },
          { header: t('admin.role'), cell: (m) => roleName(m.role) },
        ]}
      />
      <RosterCard base={base} desks={desks.data} staff={staff.data} save={save} />
    </>
  );
}

function DesksCard({
  base,
  desks,
  save,
}: {
  base: string;
  desks: { data?: Desk[]; error?: unknown; reload: () => void };
  save: Save;
}) {
  const groupList = useGroupList();
  const [deskNo, setDeskNo] = useState('');
  const [deskGroups, setDeskGroups] = useState<string[]>([]);
  const toggle = (d: Desk) =>
    void save
      .run(
        () => api.put<Answer<typeof deskUpdated>>(`${base}/desks/${enc(d.id)}`, { active: !d.active }),
        t('admin.saved'),
      )
      .then(desks.reload);
  return (
    <TableCard
      title={t('admin.desks')}
      caption={t('admin.desks2')}
      load={desks}
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
            <button type="button" className="link-button" onClick={() => toggle(d)}>
              {d.active ? t('admin.turnOff') : t('admin.offTurn')}
            </button>
          ),
        },
      ]}
    >
      <RowForm
        onSubmit={() => {
          void save
            .run(
              () =>
                api.post<Answer<typeof deskAdded>>(`${base}/desks`, {
                  number: Number(deskNo),
                  groupIds: deskGroups,
                }),
              t('admin.deskAdded'),
            )
            .then(desks.reload);
        }}
      >
        <Field id="d-no" label={t('admin.deskNumber')}>
          <input
            id="d-no"
            type="number"
            min={1}
            value={deskNo}
            onChange={(e) => setDeskNo(e.target.value)}
            required
          />
        </Field>
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
      </RowForm>
    </TableCard>
  );
}

/**
 * Rule 8: a roster change is first made as a dry run (the server keeps nothing); when it would
 * leave registrations without a place, the head is told how many before confirming. A dry run
 * that fails (a refused change) goes on to the real request, which shows the refusal.
 */
async function confirmHits(dryRun: () => Promise<unknown>): Promise<boolean> {
  const n = await dryRun().then(conflictsOf, () => 0);
  return n === 0 || window.confirm(t('admin.rosterChangeHits', { count: n }));
}

function RosterCard({
  base,
  desks,
  staff,
  save,
}: {
  base: string;
  desks: Desk[] | undefined;
  staff: Staff[] | undefined;
  save: Save;
}) {
  const roster = useLoad(() => api.get<Shift[]>(`${base}/roster`), [base]);
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
  /** A roster change, told first how many registrations it would hit. */
  const change = async (dryRun: () => Promise<unknown>, make: () => Promise<unknown>, done: string) => {
    if (!(await confirmHits(dryRun))) return;
    await save.run(make, done);
    roster.reload();
  };
  const staffName = (id: string) => staff?.find((x) => x.id === id)?.fullName ?? id;
  const deskNumber = (id: string) => desks?.find((d) => d.id === id)?.number ?? id;
  const toggleWeekday = (wd: number, on: boolean) =>
    setShift({
      ...shift,
      weekdays: on ? [...shift.weekdays, wd].sort((a, b) => a - b) : shift.weekdays.filter((x) => x !== wd),
    });

  return (
    <TableCard
      title={t('admin.roster')}
      caption={t('admin.roster2')}
      load={roster}
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
            <RemoveButton
              onClick={() =>
                void change(
                  () => api.del<Answer<typeof shiftRemoved>>(`${base}/roster/${r.id}?dryRun=true`),
                  () => api.del<Answer<typeof shiftRemoved>>(`${base}/roster/${r.id}`),
                  t('admin.shiftRemoved'),
                )
              }
            />
          ),
        },
      ]}
    >
      <RowForm
        onSubmit={() => {
          const body = { ...shift, starts: shift.starts || null, ends: shift.ends || null };
          void change(
            () => api.post<Answer<typeof shiftAdded>>(`${base}/roster?dryRun=true`, body),
            () => api.post<Answer<typeof shiftAdded>>(`${base}/roster`, body),
            t('admin.shiftAddedCapacityRegenerated'),
          );
        }}
      >
        <StaffSelect
          id="r-staff"
          staff={staff}
          value={shift.staffId}
          onChange={(staffId) => setShift({ ...shift, staffId })}
        />
        <Field id="r-desk" label={t('admin.desk')}>
          <select
            id="r-desk"
            value={shift.deskId}
            onChange={(e) => setShift({ ...shift, deskId: e.target.value })}
            required
          >
            <option value="">—</option>
            {desks?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.number}
              </option>
            ))}
          </select>
        </Field>
        <DateField
          id="r-from"
          label={t('admin.from2')}
          value={shift.validFrom}
          onChange={(validFrom) => setShift({ ...shift, validFrom })}
        />
        <fieldset className="weekdays">
          <legend>{t('admin.shiftWeekdays')}</legend>
          {shortDays().map((name, i) => (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={shift.weekdays.includes(i + 1)}
                onChange={(e) => toggleWeekday(i + 1, e.target.checked)}
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
        {(['starts', 'ends'] as const).map((k) => (
          <Field key={k} id={`r-${k}`} label={k === 'starts' ? t('admin.shiftStarts') : t('admin.shiftEnds')}>
            <TimeInput
              id={`r-${k}`}
              label={k === 'starts' ? t('admin.shiftStarts') : t('admin.shiftEnds')}
              value={shift[k]}
              onChange={(v) => setShift({ ...shift, [k]: v })}
            />
          </Field>
        ))}
        <button type="submit" className="button" disabled={save.busy || shift.weekdays.length === 0}>
          {t('admin.addShift')}
        </button>
      </RowForm>
    </TableCard>
  );
}
