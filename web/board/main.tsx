import '../shared/base.css';
import './board.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { boardSnapshot } from '../../src/hall/hall-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { currentSession, queryParam } from '../shared/session.js';
import { formatTime, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading } from '../shared/ui.js';
import { BoardSetup } from './setup.js';

type Snapshot = Answer<typeof boardSnapshot>;
type Call = Snapshot['current'][number];

/** Calls shown large at once; more desks calling together move the oldest to the recent list. */
const MAX_CURRENT = 6;
/** Recent calls listed: with the alert banner and the footer all of them stay on a 1080p screen. */
const MAX_RECENT = 6;

/** A short two-tone chime (Web Audio), before each announcement. */
function chime(ctx: AudioContext | null) {
  if (ctx?.state !== 'running') return;
  const t = ctx.currentTime;
  for (const [i, f] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    osc.type = 'sine';
    gain.gain.setValueAtTime(0.0001, t + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.4, t + i * 0.35 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.35 + 0.32);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t + i * 0.35);
    osc.stop(t + i * 0.35 + 0.34);
  }
}

export function announcementText(call: Call): string {
  return `Талон номер ${call.number}, вікно ${call.desk}`;
}

function speak(text: string) {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'uk-UA';
  u.rate = 0.9;
  const voice = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith('uk'));
  if (voice) u.voice = voice;
  synth.speak(u);
}

function freeCount(f: Snapshot['freeToday'] | undefined): number | null {
  return f ? f.total : null;
}

function Board({ centerId }: { centerId: string }) {
  useLang();
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [connected, setConnected] = useState(false);
  // The wall clock shows the server's time: a TV's own clock is often wrong.
  const now = useServerTime()?.now;
  const [announcement, setAnnouncement] = useState('');
  const [flash, setFlash] = useState<string | null>(null);
  const [soundOn, setSoundOn] = useState(false);
  const audio = useRef<AudioContext | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSnap(await api.get<Snapshot>(`/api/v1/centers/${encodeURIComponent(centerId)}/board`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [centerId]);

  const announce = useCallback((call: Call) => {
    const text = announcementText(call);
    setAnnouncement(text);
    setFlash(`${call.number}-${call.calledAt}`);
    chime(audio.current);
    speak(text);
  }, []);

  useEffect(() => {
    void refresh();
    // Free places change as people register; a periodic refresh also covers a lost event.
    const poll = setInterval(() => void refresh(), 60_000);
    return () => clearInterval(poll);
  }, [refresh]);

  useEffect(() => {
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const open = () => {
      es = new EventSource(`/api/v1/centers/${encodeURIComponent(centerId)}/board/events`);
      es.onopen = () => {
        setConnected(true);
        // After a reconnect the events in between are lost: take a fresh snapshot.
        if (wasDown) void refresh();
        wasDown = false;
      };
      es.onerror = () => {
        setConnected(false);
        wasDown = true;
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, 5000);
        }
      };
      es.addEventListener('called', (e) => {
        const call = JSON.parse((e as MessageEvent<string>).data) as Call & { recall?: boolean };
        setSnap((s) => {
          if (!s) return s;
          const others = s.current.filter((c) => c.number !== call.number);
          const moved = s.current.filter((c) => c.desk === call.desk && c.number !== call.number);
          return {
            ...s,
            current: [call, ...others.filter((c) => c.desk !== call.desk)],
            recent: [...moved, ...s.recent].slice(0, 10),
          };
        });
        announce(call);
      });
      es.addEventListener('alert', (e) => {
        const a = JSON.parse((e as MessageEvent<string>).data) as Snapshot['alert'];
        setSnap((s) => (s ? { ...s, alert: a } : s));
        chime(audio.current);
      });
      es.addEventListener('capacity', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data || '{}') as {
          freeByService?: Snapshot['freeByService'];
        };
        // Older servers send no counts: then the snapshot is read again.
        const counts = data.freeByService;
        if (counts) setSnap((s) => (s ? { ...s, freeByService: counts } : s));
        else void refresh();
      });
      // The server's database listener was away: calls in between were lost, take a fresh snapshot.
      es.addEventListener('resync', () => void refresh());
    };
    open();
    return () => {
      clearTimeout(retry);
      es?.close();
    };
  }, [centerId, refresh, announce]);

  const enableSound = useCallback(() => {
    const Ctor =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    if (!audio.current) audio.current = new Ctor();
    const ctx = audio.current;
    void ctx.resume().then(() => setSoundOn(ctx.state === 'running'));
    setSoundOn(ctx.state === 'running');
  }, []);

  // A wall TV has nobody to press a button: where the browser allows sound without a gesture
  // (an installed app, or Chromium with --autoplay-policy=no-user-gesture-required) it starts by
  // itself; otherwise any touch or key on the board turns it on.
  useEffect(() => {
    enableSound();
    const onGesture = () => enableSound();
    window.addEventListener('pointerdown', onGesture);
    window.addEventListener('keydown', onGesture);
    return () => {
      window.removeEventListener('pointerdown', onGesture);
      window.removeEventListener('keydown', onGesture);
    };
  }, [enableSound]);

  if (!snap && !error) return <Loading />;
  const free = snap ? freeCount(snap.freeToday) : null;
  const current = (snap?.current ?? []).slice(0, MAX_CURRENT);
  const recent = [...(snap?.current ?? []).slice(MAX_CURRENT), ...(snap?.recent ?? [])].slice(0, MAX_RECENT);
  const perService = snap?.freeByService ?? [];

  return (
    <div className={`board ${snap?.alert.active ? 'alerting' : ''}`}>
      <header className="b-top">
        <div className="b-center">{snap?.center.name}</div>
        <div className="b-clock">
          <span className="b-time">{now ? formatTime(now) : ''}</span>
          <span className="b-date">{now ? formatWeekdayLong(now) : ''}</span>
        </div>
      </header>
      {snap?.alert.active ? (
        <div className="b-alert" role="alert">
          <strong>{t('board.airRaidAlert')}</strong>
          <span>{t('board.servicePausedGoNearest')}</span>
        </div>
      ) : null}
      <main id="main" className="b-main">
        <h1 className="sr-only">{t('board.queueBoard')}</h1>
        <section className="b-current" aria-labelledby="b-now">
          <h2 className="b-head" id="b-now">
            {t('board.nowCalled')}
          </h2>
          {current.length === 0 ? <p className="b-empty">{t('board.pleaseWaitCalled')}</p> : null}
          <ul className={`b-calls n-${Math.min(current.length, 4)}`} data-testid="current-calls">
            {current.map((c) => (
              <li
                key={`${c.number}-${c.desk}`}
                className={`b-call ${flash === `${c.number}-${c.calledAt}` ? 'flash' : ''} ${c.priority ? 'prio' : ''}`}
              >
                <span className="b-label">{t('board.ticket')}</span>
                <span className="b-number">{c.number}</span>
                <span className="b-arrow" aria-hidden="true">
                  →
                </span>
                <span className="b-label">{t('board.desk')}</span>
                <span className="b-desk">{c.desk}</span>
              </li>
            ))}
          </ul>
        </section>
        <aside className="b-side">
          <section aria-labelledby="b-recent" className="b-recent-box">
            <h2 id="b-recent">{t('board.recentlyCalled')}</h2>
            <ul className="b-recent" data-testid="recent-calls">
              {recent.map((c) => (
                <li key={`${c.number}-${c.calledAt}`}>
                  <span className="b-r-number">{c.number}</span>
                  <span>
                    {t('board.desk2')} {c.desk}
                  </span>
                  <span className="b-at">{c.calledAt ? formatTime(c.calledAt) : ''}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="b-free" className="b-free">
            <h2 id="b-free">
              {t('board.freePlacesToday')}
              <span className="b-free-n">{free ?? '—'}</span>
            </h2>
            {perService.length ? (
              <ul className="b-services" data-testid="free-by-service">
                {perService.map((f) => (
                  <li key={f.serviceId} className={f.free === 0 ? 'none' : ''}>
                    <span className="b-s-name">{f.name}</span>
                    <span className="b-s-free">{f.free}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        </aside>
      </main>
      <div className="sr-only" aria-live="assertive" data-testid="announcement">
        {announcement}
      </div>
      <footer className="b-foot">
        <span className={connected ? 'b-live' : 'b-offline'}>
          {connected ? t('board.live') : t('board.reconnecting')}
        </span>
        {soundOn ? (
          <span className="b-sound-on">{t('board.soundOn')}</span>
        ) : (
          <button type="button" className="b-sound" onClick={enableSound} data-testid="sound-off">
            {t('board.soundOffTap')}
          </button>
        )}
        {error ? <ErrorNote error={error} /> : null}
      </footer>
    </div>
  );
}

/**
 * A board shows the center its device session belongs to (activated by the head's code, see
 * setup.tsx) or, as a public page, the center named in `?center=`; with neither, and whenever the
 * page was opened with an activation link, the setup screen.
 */
function App() {
  useLang();
  const [centerId, setCenterId] = useState<string | null | undefined>(undefined);
  const check = useCallback(async () => {
    if (queryParam('activate')) return setCenterId(null);
    const named = queryParam('center');
    const s = await currentSession().catch(() => ({ authenticated: false }) as const);
    const own = s.authenticated && 'role' in s && s.role === 'board' && 'centerId' in s ? s.centerId : null;
    setCenterId(named ?? own ?? null);
  }, []);
  useEffect(() => {
    void check();
  }, [check]);
  // Stable, so the setup screen's activation from the link runs once.
  const onReady = useCallback(() => void check(), [check]);
  if (centerId === undefined) return <Loading />;
  if (centerId === null) return <BoardSetup onReady={onReady} />;
  return <Board centerId={centerId} />;
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
