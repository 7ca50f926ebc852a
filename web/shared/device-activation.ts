import { useCallback, useEffect, useState } from 'react';
import { api, type Center } from './api.js';
import { demoAvailable, demoLogin, queryParam } from './session.js';

/**
 * Activating a kiosk or a board (the setup screens of both): the center head's console shows an
 * 8-character code and a QR of a link carrying it (`/kiosk/?activate=CODE`, `/board/?activate=CODE`);
 * the device takes the code typed, scanned, or from the link it was opened with, and exchanges it
 * for a device session (single use, 10 minutes). The page then names its center in `?center=`.
 */

export type DeviceRole = 'terminal' | 'board';

/** The activation code inside a scanned or opened link (…/?activate=CODE), or typed as is. */
export function activationCodeOf(value: string): string {
  try {
    return new URL(value).searchParams.get('activate') ?? value;
  } catch {
    return value;
  }
}

/** The page's address after activation: no code left in it, the device's center named. */
function rememberCenter(centerId: string) {
  const url = new URL(window.location.href);
  url.searchParams.delete('activate');
  url.searchParams.set('center', centerId);
  window.history.replaceState(null, '', url);
}

/**
 * The setup screen's state: the code as typed (prefilled from `?activate=`), the last error, and
 * `activate`, which is also run once on mount when the page was opened with a code in its link.
 * `demo` activates as a device of a chosen center through the demo shortcut; `demoCenters` lists
 * them when the server offers that shortcut (null otherwise).
 */
export function useDeviceActivation(role: DeviceRole, onReady: () => void) {
  const [code, setCode] = useState(queryParam('activate') ?? '');
  const [error, setError] = useState<unknown>(null);
  const activate = useCallback(
    (typed: string) => {
      api
        .post<{ centerId: string }>('/api/v1/devices/session', { code: activationCodeOf(typed).trim() })
        .then((r) => {
          rememberCenter(r.centerId);
          onReady();
        }, setError);
    },
    [onReady],
  );
  useEffect(() => {
    const fromLink = queryParam('activate');
    if (fromLink) activate(fromLink);
  }, [activate]);
  const demo = useCallback(
    async (centerId: string) => {
      try {
        await demoLogin({ role, centerId });
        rememberCenter(centerId);
        onReady();
      } catch (e) {
        setError(e);
      }
    },
    [role, onReady],
  );
  // The demo shortcut, where the server offers it: activate as a device of a chosen center.
  const [demoCenters, setDemoCenters] = useState<Center[] | null>(null);
  useEffect(() => {
    void demoAvailable().then((on) => {
      if (on) api.get<Center[]>('/api/v1/centers').then(setDemoCenters, setError);
    });
  }, []);
  return { code, setCode, error, activate, demo, demoCenters };
}
