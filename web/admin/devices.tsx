import { useState } from 'react';
import { api } from '../shared/api.js';
import { L } from '../shared/i18n.js';
import { formatDateTime } from '../shared/time.js';
import { ErrorNote, useLoad } from '../shared/ui.js';
import { useSave } from './center.js';
import { DataTable } from './table.js';

const enc = encodeURIComponent;

interface Device {
  id: string;
  kind: 'terminal' | 'board';
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const kindName = (kind: Device['kind']) =>
  kind === 'terminal' ? L('Термінал (кіоск)', 'Terminal (kiosk)') : L('Табло', 'Display board');

/**
 * Keys of the center's kiosks and display boards: the head issues one per device (shown once,
 * typed into the device's setup screen) and revokes it when a device is lost or replaced.
 */
export function DevicesSection({ centerId }: { centerId: string }) {
  const base = `/api/v1/centers/${enc(centerId)}/devices`;
  const devices = useLoad(() => api.get<Device[]>(base), [centerId]);
  const save = useSave();
  const [kind, setKind] = useState<Device['kind']>('terminal');
  const [label, setLabel] = useState('');
  const [issued, setIssued] = useState<{ label: string; token: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const issue = async (e: React.FormEvent) => {
    e.preventDefault();
    setIssued(null);
    let token = '';
    const ok = await save.run(
      async () => {
        token = (await api.post<{ token: string }>(base, { kind, label: label.trim() })).token;
      },
      L('Ключ видано.', 'Key issued.'),
    );
    if (ok) {
      setIssued({ label: label.trim(), token });
      setLabel('');
      devices.reload();
    }
  };

  return (
    <>
      {save.view}
      {issued ? (
        <section className="card notice notice-warn" aria-labelledby="issued-title">
          <h2 id="issued-title">
            {L('Ключ пристрою', 'Device key')} «{issued.label}»
          </h2>
          <p>
            {L(
              'Введіть цей ключ на екрані налаштування пристрою. Він показується лише зараз: збережений ключ відновити неможливо, лише видати новий.',
              'Type this key into the device’s setup screen. It is shown only now: a lost key cannot be recovered, only replaced.',
            )}
          </p>
          <p>
            <code className="device-key" data-testid="device-key">
              {issued.token}
            </code>
          </p>
          <button
            type="button"
            className="button secondary"
            onClick={() => void navigator.clipboard?.writeText(issued.token)}
          >
            {L('Копіювати', 'Copy')}
          </button>
        </section>
      ) : null}
      <section className="card">
        <h2>{L('Пристрої центру', 'The center’s devices')}</h2>
        <p>
          {L(
            'Кіоск реєструє відвідувачів лише з ключем, виданим тут. Табло показує тільки номери талонів і вікна, тож працює й без ключа.',
            'A kiosk registers visitors only with a key issued here. The board shows only ticket numbers and desks, so it also works without one.',
          )}
        </p>
        <ErrorNote error={devices.error} onRetry={devices.reload} />
        {devices.data && !devices.data.length ? (
          <p className="muted">{L('Ще не видано жодного ключа.', 'No keys issued yet.')}</p>
        ) : null}
        {devices.data?.length ? (
          <DataTable
            caption={L('Ключі пристроїв', 'Device keys')}
            rows={devices.data}
            rowKey={(d) => d.id}
            columns={[
              { header: L('Назва', 'Name'), cell: (d) => d.label },
              { header: L('Вид', 'Kind'), cell: (d) => kindName(d.kind) },
              { header: L('Видано', 'Issued'), cell: (d) => formatDateTime(new Date(d.createdAt)) },
              {
                header: L('Востаннє використано', 'Last used'),
                cell: (d) => (d.lastUsedAt ? formatDateTime(new Date(d.lastUsedAt)) : '—'),
              },
              {
                header: L('Стан', 'State'),
                cell: (d) =>
                  d.revokedAt ? (
                    L('Відкликано', 'Revoked')
                  ) : confirming === d.id ? (
                    <span className="row">
                      <button
                        type="button"
                        className="button danger"
                        onClick={() =>
                          void save
                            .run(
                              () => api.post(`/api/v1/devices/${enc(d.id)}/revoke`),
                              L(
                                'Ключ відкликано: пристрій вийшов із системи.',
                                'Key revoked: the device is signed out.',
                              ),
                            )
                            .then(() => {
                              setConfirming(null);
                              devices.reload();
                            })
                        }
                      >
                        {L('Так, відкликати', 'Yes, revoke')}
                      </button>
                      <button type="button" className="link-button" onClick={() => setConfirming(null)}>
                        {L('Ні', 'No')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="link-button" onClick={() => setConfirming(d.id)}>
                      {L('Діє — відкликати', 'Active — revoke')}
                    </button>
                  ),
              },
            ]}
          />
        ) : null}
        <form className="row" onSubmit={issue}>
          <div>
            <label htmlFor="dev-kind">{L('Вид пристрою', 'Device kind')}</label>
            <select id="dev-kind" value={kind} onChange={(e) => setKind(e.target.value as Device['kind'])}>
              <option value="terminal">{kindName('terminal')}</option>
              <option value="board">{kindName('board')}</option>
            </select>
          </div>
          <div>
            <label htmlFor="dev-label">{L('Назва (де стоїть)', 'Name (where it stands)')}</label>
            <input
              id="dev-label"
              value={label}
              maxLength={100}
              onChange={(e) => setLabel(e.target.value)}
              required
            />
          </div>
          <button type="submit" className="button" disabled={save.busy || !label.trim()}>
            {L('Видати ключ', 'Issue a key')}
          </button>
        </form>
      </section>
    </>
  );
}
