import QRCode from 'qrcode';
import { useState } from 'react';
import type { deviceActivation, deviceIssued, deviceView } from '../../src/identity/identity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatDateTime, formatTime } from '../shared/time.js';
import { ErrorNote, useLoad } from '../shared/ui.js';
import { useSave } from './save.js';
import { DataTable } from './table.js';

const enc = encodeURIComponent;

type Device = Answer<typeof deviceView>;

type Activation = Answer<typeof deviceActivation>;

/** What the head reads to the device: the short code, its QR (a link carrying it), the key. */
interface Issued {
  label: string;
  kind: Device['kind'];
  code: string;
  expiresAt: string;
  url: string;
  qr: string | null;
  token?: string;
}

async function issuedView(
  label: string,
  kind: Device['kind'],
  a: Pick<Activation, 'activationCode' | 'activationExpiresAt'> & { token?: string },
): Promise<Issued> {
  // The kiosk's and the board's setup screens read ?activate= (typed, scanned by a kiosk's camera,
  // or opened as a link on the device).
  const page = kind === 'terminal' ? 'kiosk' : 'board';
  const url = `${window.location.origin}/${page}/?activate=${a.activationCode}`;
  const qr = await QRCode.toDataURL(url, { margin: 1, width: 240 }).catch(() => null);
  return { label, kind, code: a.activationCode, expiresAt: a.activationExpiresAt, url, qr, token: a.token };
}

const kindName = (kind: Device['kind']) =>
  kind === 'terminal' ? t('admin.terminalKiosk') : t('admin.displayBoard');

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
  const [issued, setIssued] = useState<Issued | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const issue = async (e: React.FormEvent) => {
    e.preventDefault();
    setIssued(null);
    let answer = { token: '', activationCode: '', activationExpiresAt: '' };
    const ok = await save.run(async () => {
      answer = await api.post<Answer<typeof deviceIssued>>(base, { kind, label: label.trim() });
    }, t('admin.keyIssued'));
    if (ok) {
      setIssued(await issuedView(label.trim(), kind, answer));
      setLabel('');
      devices.reload();
    }
  };
  const renew = async (d: Device) => {
    let answer = { activationCode: '', activationExpiresAt: '' };
    const ok = await save.run(async () => {
      answer = await api.post<Activation>(`/api/v1/devices/${enc(d.id)}/activation`);
    }, t('admin.newActivationCode'));
    if (ok) setIssued(await issuedView(d.label, d.kind, answer));
  };

  return (
    <>
      {save.view}
      {issued ? (
        <section className="card notice notice-warn" aria-labelledby="issued-title">
          <h2 id="issued-title">
            {t('admin.deviceKey')} «{issued.label}»
          </h2>
          <h3>{t('admin.activationCodeTitle')}</h3>
          <p
            data-testid="activation-code"
            style={{
              fontSize: '2.6rem',
              fontWeight: 800,
              letterSpacing: '0.12em',
              fontFamily: 'monospace',
              margin: '0.2rem 0',
            }}
          >
            {issued.code.slice(0, 4)}-{issued.code.slice(4)}
          </p>
          <p>
            {issued.kind === 'terminal'
              ? t('admin.activationCodeHelp', { until: formatTime(new Date(issued.expiresAt)) })
              : t('admin.activationCodeHelpBoard', { until: formatTime(new Date(issued.expiresAt)) })}
          </p>
          {issued.qr ? (
            <p>
              <img
                src={issued.qr}
                width={240}
                height={240}
                alt={
                  issued.kind === 'terminal'
                    ? t('admin.activationQrAlt', { code: issued.code })
                    : t('admin.activationQrAltBoard', { code: issued.code })
                }
              />
              <br />
              <span className="muted" data-testid="activation-link">
                {t('admin.activationLink')}: {issued.url}
              </span>
            </p>
          ) : null}
          {issued.token ? (
            <details>
              <summary>{t('admin.keyForScripts')}</summary>
              <p>{t('admin.typeKeyIntoDevices')}</p>
              <p>
                <code className="device-key" data-testid="device-key">
                  {issued.token}
                </code>
              </p>
              <button
                type="button"
                className="button secondary"
                onClick={() => void navigator.clipboard?.writeText(issued.token ?? '')}
              >
                {t('admin.copy')}
              </button>
            </details>
          ) : null}
        </section>
      ) : null}
      <section className="card">
        <h2>{t('admin.centersDevices')}</h2>
        <p>{t('admin.kioskRegistersVisitorsOnly')}</p>
        <ErrorNote error={devices.error} onRetry={devices.reload} />
        {devices.data && !devices.data.length ? <p className="muted">{t('admin.keysIssuedYet')}</p> : null}
        {devices.data?.length ? (
          <DataTable
            caption={t('admin.deviceKeys')}
            rows={devices.data}
            rowKey={(d) => d.id}
            columns={[
              { header: t('admin.name'), cell: (d) => d.label },
              { header: t('admin.kind'), cell: (d) => kindName(d.kind) },
              { header: t('admin.issued'), cell: (d) => formatDateTime(new Date(d.createdAt)) },
              {
                header: t('admin.lastUsed'),
                cell: (d) => (d.lastUsedAt ? formatDateTime(new Date(d.lastUsedAt)) : '—'),
              },
              {
                header: t('admin.activationCodeTitle'),
                cell: (d) =>
                  d.revokedAt ? (
                    '—'
                  ) : (
                    <button type="button" className="link-button" onClick={() => void renew(d)}>
                      {t('admin.newActivationCode')}
                    </button>
                  ),
              },
              {
                header: t('admin.state'),
                cell: (d) =>
                  d.revokedAt ? (
                    t('admin.revoked')
                  ) : confirming === d.id ? (
                    <span className="row">
                      <button
                        type="button"
                        className="button danger"
                        onClick={() =>
                          void save
                            .run(
                              () => api.post(`/api/v1/devices/${enc(d.id)}/revoke`),
                              t('admin.keyRevokedDeviceSigned'),
                            )
                            .then(() => {
                              setConfirming(null);
                              devices.reload();
                            })
                        }
                      >
                        {t('admin.yesRevoke')}
                      </button>
                      <button type="button" className="link-button" onClick={() => setConfirming(null)}>
                        {t('admin.no')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="link-button" onClick={() => setConfirming(d.id)}>
                      {t('admin.activeRevoke')}
                    </button>
                  ),
              },
            ]}
          />
        ) : null}
        <form className="row" onSubmit={issue}>
          <div>
            <label htmlFor="dev-kind">{t('admin.deviceKind')}</label>
            <select id="dev-kind" value={kind} onChange={(e) => setKind(e.target.value as Device['kind'])}>
              <option value="terminal">{kindName('terminal')}</option>
              <option value="board">{kindName('board')}</option>
            </select>
          </div>
          <div>
            <label htmlFor="dev-label">{t('admin.nameWhereStands')}</label>
            <input
              id="dev-label"
              value={label}
              maxLength={100}
              onChange={(e) => setLabel(e.target.value)}
              required
            />
          </div>
          <button type="submit" className="button" disabled={save.busy || !label.trim()}>
            {t('admin.issueKey')}
          </button>
        </form>
      </section>
    </>
  );
}
