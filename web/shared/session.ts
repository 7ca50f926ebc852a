import { useCallback, useEffect, useState } from 'react';
import type { sessionView } from '../../src/identity/identity-api-schema.js';
import { type Answer, ApiError, api } from './api.js';

/** GET /auth/session, as the server's response schema declares it. */
export type SessionInfo = Answer<typeof sessionView>;

/** Who is signed in on this browser (staff, device or citizen), or `authenticated: false`. */
export async function currentSession(): Promise<SessionInfo> {
  try {
    return await api.get<SessionInfo>('/auth/session');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 401))
      return { authenticated: false };
    throw error;
  }
}

/** The current session, loaded on mount (null until then); `reload` after a sign-in or out. */
export function useSession(): { session: SessionInfo | null; reload: () => void } {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const reload = useCallback(() => {
    currentSession().then(setSession, () => setSession({ authenticated: false }));
  }, []);
  useEffect(reload, [reload]);
  return { session, reload };
}

/** Whether the demo shortcut exists: an empty body is refused as invalid (400), absent is 404. */
export async function demoAvailable(): Promise<boolean> {
  try {
    await api.post('/dev/session', {});
    return true;
  } catch (error) {
    return error instanceof ApiError && error.status === 400;
  }
}

export async function demoLogin(body: Record<string, unknown>): Promise<void> {
  await api.post('/dev/session', body);
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } catch {
    // The cookie is cleared by the server; a failure here leaves nothing to undo.
  }
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}
