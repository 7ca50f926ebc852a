import { type ReactNode, useEffect, useState } from 'react';
import { ApiError } from './api.js';
import { explain } from './errors.js';
import { setLang, t, useLang } from './i18n.js';

export function LangSwitch({ onChange }: { onChange?: () => void }) {
  const next = useLang() === 'uk' ? 'en' : 'uk';
  return (
    <button
      type="button"
      className="link-button lang-switch"
      lang={next}
      onClick={() => {
        setLang(next);
        onChange?.();
      }}
    >
      {next === 'en' ? 'English' : 'Українська'}
    </button>
  );
}

export function Shell({
  title,
  subtitle,
  actions,
  children,
}: {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        {t('shared.skipContent')}
      </a>
      <header className="top">
        <div className="top-inner">
          <a className="brand" href="/">
            <span className="brand-mark" aria-hidden="true">
              ЕЗ
            </span>
            <span>
              <span className="brand-name">{title}</span>
              {subtitle ? <span className="brand-sub">{subtitle}</span> : null}
            </span>
          </a>
          <nav className="top-actions" aria-label={t('shared.accountLanguage')}>
            {actions}
            <LangSwitch />
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** An API error as a person should read it: what happened and what to do next. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, undefined, undefined);
  const { message, next } = explain(e.code, e.status);
  // A specific detail from the server (not its catalogue title) is in the person's language and
  // carries the rule's own numbers from the Policy, so it leads; the plain-language line stands
  // in when the server said nothing more specific.
  const specific =
    e.detail && e.detail !== e.extra.title && e.detail !== message && e.code !== 'VALIDATION'
      ? e.detail
      : null;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{specific ?? message}</p>
      {e.fieldErrors.length > 0 ? (
        <ul>
          {e.fieldErrors.map((f) => (
            <li key={f.field + f.message}>{f.message}</li>
          ))}
        </ul>
      ) : null}
      <p>{next}</p>
      {onRetry ? (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('shared.tryAgain')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label ?? t('shared.loading')}
    </p>
  );
}

/** Runs a loader on mount (and when deps change); returns data, error, loading and a reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the loader's inputs in deps
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}
