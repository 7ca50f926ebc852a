import '../shared/base.css';
import './portal.css';
import { Component, lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, api, type Me } from '../shared/api.js';
import { initLang, t, useLang } from '../shared/i18n.js';
import { ErrorNote, Loading, Shell } from '../shared/ui.js';
import { Landing } from './landing.js';
import { LoginPage } from './login.js';
import { FeedbackOwn, MyRegistrations } from './my.js';
import { link, type Navigate } from './nav.js';

// The booking flow (calendar, proof-of-work, QR code) loads only when a person starts booking,
// keeping the first load of `/` small.
const BookingFlow = lazy(() => import('./book.js'));

/** Offline, booking cannot work: say so instead of a blank page. */
function OfflineBooking({ navigate }: { navigate: Navigate }) {
  return (
    <section className="notice notice-warn" aria-labelledby="offline-book">
      <h1 className="notice-title" id="offline-book">
        {t('portal.offlineBookTitle')}
      </h1>
      <p>{t('portal.offlineBookText')}</p>
      <a className="button secondary" href="/my" onClick={link(navigate, '/my')}>
        {t('portal.myRegistrations2')}
      </a>
    </section>
  );
}

/** The booking code is loaded on demand: if that fails (no network), show the offline page. */
class LoadBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function usePath(): [string, Navigate] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname + window.location.search) window.history.pushState(null, '', to);
    setPath(new URL(to, window.location.origin).pathname);
    window.scrollTo(0, 0);
    // Move focus to the new page's content for screen-reader and keyboard users.
    requestAnimationFrame(() => document.getElementById('main')?.focus());
  }, []);
  return [path, navigate];
}

function App() {
  useLang();
  const [path, navigate] = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [meError, setMeError] = useState<unknown>(null);
  const [savedCopy, setOffline] = useState(false);
  const online = useOnline();
  const offline = savedCopy || !online;

  const loadMe = useCallback(async () => {
    try {
      const res = await fetch('/api/v1/me', {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      setOffline(res.headers.get('x-ez-offline') === '1');
      if (res.status === 401) return setMe(null);
      if (!res.ok) throw new ApiError(res.status, undefined, undefined);
      setMe((await res.json()) as Me);
    } catch (error) {
      setMeError(error);
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void loadMe();
  }, [loadMe]);

  const logout = async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      // Signing out locally still clears the device even if the server call fails.
    }
    navigator.serviceWorker?.controller?.postMessage('logout');
    setMe(null);
    navigate('/');
  };

  const actions =
    me === undefined ? null : me ? (
      <>
        <a href="/my" onClick={link(navigate, '/my')}>
          {t('portal.myRegistrations2')}
        </a>
        <span className="who">
          {me.firstName} {me.lastName}
        </span>
        <button type="button" className="link-button" onClick={logout}>
          {t('portal.signOut')}
        </button>
      </>
    ) : (
      <a href="/login" onClick={link(navigate, '/login')}>
        {t('portal.sign2')}
      </a>
    );

  let page: React.ReactNode;
  if (me === undefined) page = <Loading />;
  else if (path === '/login')
    page = (
      <LoginPage
        onLoggedIn={async () => {
          await loadMe();
          navigate('/my');
        }}
      />
    );
  else if (path.startsWith('/book')) {
    page = offline ? (
      <OfflineBooking navigate={navigate} />
    ) : me ? (
      <LoadBoundary fallback={<OfflineBooking navigate={navigate} />}>
        <Suspense fallback={<Loading label={t('portal.openingBooking')} />}>
          <BookingFlow me={me} navigate={navigate} onBooked={loadMe} />
        </Suspense>
      </LoadBoundary>
    ) : (
      <LoginPage
        onLoggedIn={async () => {
          await loadMe();
        }}
        reason={t('portal.signEIdentificationBook')}
      />
    );
  } else if (path.startsWith('/my/feedback/')) {
    page = me ? (
      <FeedbackOwn id={decodeURIComponent(path.slice('/my/feedback/'.length))} navigate={navigate} />
    ) : (
      <LoginPage onLoggedIn={loadMe} />
    );
  } else if (path === '/my' || (path === '/' && me)) {
    page = me ? (
      <MyRegistrations me={me} navigate={navigate} offline={offline} onChanged={loadMe} />
    ) : (
      <LoginPage
        onLoggedIn={async () => {
          await loadMe();
        }}
      />
    );
  } else page = <Landing navigate={navigate} />;

  return (
    <Shell title="Е-Запис" subtitle={t('portal.miaServiceCenters')} actions={actions}>
      {savedCopy ? (
        <div className="notice notice-warn" role="status">
          <p className="notice-title">{t('portal.youOffline')}</p>
          <p>{t('portal.showingSavedCopyRegistrations')}</p>
        </div>
      ) : null}
      {meError && !offline ? <ErrorNote error={meError} onRetry={loadMe} /> : null}
      {page}
    </Shell>
  );
}

initLang();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
