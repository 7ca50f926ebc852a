import { useEffect, useRef, useState } from 'react';
import type { checkInAnswer } from '../../src/hall/terminal-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { ErrorNote } from '../shared/ui.js';
import { OnScreenKeyboard } from './keyboard.js';

export type CheckedIn = Answer<typeof checkInAnswer>;

interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type DetectorClass = new (o: { formats: string[] }) => Detector;

/** The camera reads the QR where the browser has BarcodeDetector; elsewhere the form is the way. */
function detectorClass(): DetectorClass | null {
  const w = window as unknown as { BarcodeDetector?: DetectorClass };
  return typeof w.BarcodeDetector === 'function' ? w.BarcodeDetector : null;
}

/** Scans QR codes from the kiosk's camera until one `accept`s (or the component goes away). */
export function QrScanner({
  onCode,
  accept = (v) => v.startsWith('EZ1'),
  offText = t('kiosk.scannerUnavailable'),
}: {
  onCode: (code: string) => void;
  accept?: (value: string) => boolean;
  /** What to do instead when the device has no camera reader. */
  offText?: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  // The latest callbacks, without restarting the camera on every render.
  const handlers = useRef({ onCode, accept });
  handlers.current = { onCode, accept };
  const [state, setState] = useState<'starting' | 'on' | 'off'>('starting');
  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector || !navigator.mediaDevices?.getUserMedia) {
      setState('off');
      return;
    }
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const scan = async () => {
      if (stopped || !video.current) return;
      try {
        const found = await detector.detect(video.current);
        const code = found.find((f) => handlers.current.accept(f.rawValue))?.rawValue;
        if (code) return handlers.current.onCode(code);
      } catch {
        // A frame the detector could not read: try the next one.
      }
      timer = setTimeout(scan, 300);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } }).then(
      (s) => {
        stream = s;
        if (stopped || !video.current) {
          for (const tr of s.getTracks()) tr.stop();
          return;
        }
        video.current.srcObject = s;
        void video.current.play().catch(() => undefined);
        setState('on');
        void scan();
      },
      () => setState('off'),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const tr of stream?.getTracks() ?? []) tr.stop();
    };
  }, []);
  return (
    <div className="k-scan">
      <video ref={video} muted playsInline hidden={state !== 'on'} aria-label={t('kiosk.cameraView')} />
      <p className="k-note">{state === 'off' ? offText : t('kiosk.holdQrToCamera')}</p>
    </div>
  );
}

/**
 * Rule 13 at the kiosk, "У мене є запис": the QR of the confirmation or of "my registrations" is
 * read by the camera (or by a scanner that types it into the code field), or the visitor types
 * the ticket number and surname. The answer is the place in the queue and the desks.
 */
export function CheckIn({ centerId, onDone }: { centerId: string; onDone: (r: CheckedIn) => void }) {
  const [field, setField] = useState<'number' | 'lastName'>('number');
  const [number, setNumber] = useState('');
  const [lastName, setLastName] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async (body: object) => {
    setBusy(true);
    setError(null);
    try {
      onDone(
        await api.post<CheckedIn>(`/api/v1/centers/${encodeURIComponent(centerId)}/terminal/check-in`, body),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const onKey = (ch: string) => {
    if (field === 'number') setNumber((n) => (n + ch).replace(/\D/g, '').slice(0, 5));
    else setLastName((v) => v + (v.length > 0 && ch !== ' ' ? ch.toLowerCase() : ch));
  };
  const onBackspace = () =>
    field === 'number' ? setNumber((n) => n.slice(0, -1)) : setLastName((v) => v.slice(0, -1));
  return (
    <div className="k-checkin">
      <QrScanner onCode={(c) => void send({ code: c })} />
      <form
        className="k-code"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) void send({ code: code.trim() });
        }}
      >
        {/* A USB or built-in scanner "types" the QR's text here and presses Enter. */}
        <label htmlFor="f-code" className="k-hint">
          {t('kiosk.qrCode')}
        </label>
        <input
          id="f-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          className="k-code-input"
        />
      </form>
      <h2 className="k-or">{t('kiosk.orNumberAndSurname')}</h2>
      <form
        className="k-step"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (number && lastName.trim()) void send({ number: Number(number), lastName: lastName.trim() });
        }}
      >
        <div className="k-pair">
          <div className={`k-field ${field === 'number' ? 'active' : ''}`}>
            <label htmlFor="f-number">{t('kiosk.ticketNumber')}</label>
            <input
              id="f-number"
              value={number}
              inputMode="numeric"
              autoComplete="off"
              onFocus={() => setField('number')}
              onChange={(e) => setNumber(e.target.value.replace(/\D/g, '').slice(0, 5))}
            />
          </div>
          <div className={`k-field ${field === 'lastName' ? 'active' : ''}`}>
            <label htmlFor="f-surname">{t('kiosk.surname')}</label>
            <input
              id="f-surname"
              value={lastName}
              autoComplete="off"
              onFocus={() => setField('lastName')}
              onChange={(e) => setLastName(e.target.value)}
            />
          </div>
        </div>
        <OnScreenKeyboard
          onKey={onKey}
          onBackspace={onBackspace}
          latin={false}
          digits={field === 'number' || undefined}
        />
        <ErrorNote error={error} />
        <button
          type="submit"
          className="k-btn k-primary k-wide"
          disabled={busy || !number || !lastName.trim()}
        >
          {busy ? t('kiosk.checking') : t('kiosk.checkIn')}
        </button>
      </form>
    </div>
  );
}

/** What the visitor sees after checking in: number, people ahead, expected call and desks. */
export function CheckedInView({ result }: { result: CheckedIn }) {
  return (
    <>
      <p className="k-number" data-testid="checked-in-number">
        {result.number}
      </p>
      <p className="k-lead">{t('kiosk.arrivalRecorded')}</p>
      <p className="k-calltime">
        {t('kiosk.expectedCallTime')}: <strong>{formatTime(result.expectedCallAt)}</strong>
      </p>
      <p className="k-lead">{t('kiosk.peopleAheadNow', { count: result.position })}</p>
      {result.desks.length ? (
        <p className="k-lead" data-testid="desks">
          {t('kiosk.desksServing', { desks: result.desks.join(', ') })}
        </p>
      ) : null}
    </>
  );
}
