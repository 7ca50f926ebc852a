import '../shared/base.css';
import './portal.css';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
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
  const [offline, setOffline] = useState(false);

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
    page = me ? (
      <Suspense fallback={<Loading label={t('portal.openingBooking')} />}>
        <BookingFlow me={me} navigate={navigate} onBooked={loadMe} />
      </Suspense>
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
      {offline ? (
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
