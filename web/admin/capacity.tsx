import { useState } from 'react';
import type { previewDayView, regenerationView } from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { addDays, dayAsDate, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { ConflictsSection } from './conflicts.js';
import { DateField, RowForm } from './form.js';
import { useGroupNames } from './names.js';
import { OkNote } from './save.js';

const enc = encodeURIComponent;

type PreviewDay = Answer<typeof previewDayView>;

export function CapacitySection({ centerId }: { centerId: string }) {
  // The default period starts on the server's today, not the device's.
  const today = useServerTime()?.today;
  return today ? <Capacity centerId={centerId} today={today} /> : <Loading />;
}

function Capacity({ centerId, today }: { centerId: string; today: string }) {
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 13));
  const [range, setRange] = useState({ from: today, to: addDays(today, 13) });
  const base = `/api/v1/admin/centers/${enc(centerId)}`;
  const preview = useLoad(
    () => api.get<PreviewDay[]>(`${base}/capacity?from=${range.from}&to=${range.to}`),
    [centerId, range],
  );
  const groupName = useGroupNames();
  // Bumped after a regeneration: the conflicts section reloads with it.
  const [version, setVersion] = useState(0);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const regenerate = async () => {
    setBusy(true);
    setError(null);
    setMsg(null);
    try {
      const r = await api.post<Answer<typeof regenerationView>>(`${base}/capacity/regenerate`, range);
      const n = r.conflicts.length;
      setMsg(
        n
          ? `${t('admin.capacityRegeneratedNewConflicts')} ${n}. ${t('admin.peopleWillNotified')}`
          : t('admin.capacityRegeneratedAllRegistrations'),
      );
      preview.reload();
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section className="card">
        <h2>{t('admin.capacityPreview')}</h2>
        <RowForm
          onSubmit={() => {
            setRange({ from, to });
          }}
        >
          <DateField id="c-from" label={t('admin.from')} value={from} onChange={setFrom} required={false} />
          <DateField id="c-to" label={t('admin.to')} value={to} onChange={setTo} required={false} />
          <button type="submit" className="button secondary">
            {t('admin.show')}
          </button>
          <button type="button" className="button" onClick={regenerate} disabled={busy}>
            {t('admin.regeneratePeriod')}
          </button>
        </RowForm>
        <p className="muted small">{t('admin.regenerationNeverSilentlyDrops')}</p>
        <OkNote message={msg} />
        <ErrorNote error={error} />
        {preview.loading && !preview.data ? <Loading /> : null}
        <ErrorNote error={preview.error} onRetry={preview.reload} />
        {preview.data ? (
          <table>
            <caption className="sr-only">{t('admin.placesPerDayGroup')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.day')}</th>
                <th scope="col">{t('admin.group')}</th>
                <th scope="col">{t('admin.onlineBookedTotal')}</th>
                <th scope="col">{t('admin.terminalBookedTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.data.flatMap((d) =>
                d.groups.length === 0
                  ? [
                      <tr key={d.day}>
                        <td>{formatWeekdayLong(dayAsDate(d.day))}</td>
                        <td colSpan={3} className="muted">
                          {t('admin.closedRoster')}
                        </td>
                      </tr>,
                    ]
                  : d.groups.map((g, i) => (
                      <tr key={`${d.day}-${g.groupId}`}>
                        <td>{i === 0 ? formatWeekdayLong(dayAsDate(d.day)) : ''}</td>
                        <td>{groupName(g.groupId)}</td>
                        <td>
                          {g.online.booked} / {g.online.capacity}
                        </td>
                        <td>
                          {g.terminal.booked} / {g.terminal.capacity}
                        </td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
        ) : null}
      </section>
      <ConflictsSection centerId={centerId} version={version} />
    </>
  );
}
