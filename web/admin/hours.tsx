import { useEffect, useState } from 'react';
import type { centerSettings, centerSettingsUpdated } from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { weekdays } from './names.js';
import { useSave } from './save.js';
import { TimeInput } from './time-input.js';

type Settings = Answer<typeof centerSettings>;
type Hours = Settings['workingHours'];

const enc = encodeURIComponent;
const FIELDS = ['open', 'close', 'breakFrom', 'breakTo'] as const;

/** A center's opening hours per weekday and its online/terminal split; saving regenerates capacity. */
export function HoursForm({ centerId }: { centerId: string }) {
  const url = `/api/v1/admin/centers/${enc(centerId)}`;
  const center = useLoad(() => api.get<Settings>(url), [url]);
  const [hours, setHours] = useState<Hours>({});
  const [share, setShare] = useState(70);
  const save = useSave();

  useEffect(() => {
    if (center.data) {
      setHours(center.data.workingHours);
      setShare(Math.round(center.data.onlineShare * 100));
    }
  }, [center.data]);

  const setDay = (d: string, k: (typeof FIELDS)[number], v: string) =>
    setHours((h) => ({ ...h, [d]: { ...(h[d] ?? { open: '09:00', close: '18:00' }), [k]: v || undefined } }));
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
                api.put<Answer<typeof centerSettingsUpdated>>(url, {
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
                    {FIELDS.map((k) => (
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
    </>
  );
}
