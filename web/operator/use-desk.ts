import { useCallback, useEffect, useRef, useState } from 'react';
import type { deskQueueItem, deskStateView, deskTicketView } from '../../src/hall/desk-api-schema.js';
import { type Answer, api } from '../shared/api.js';

/** The desk, a called ticket and a waiting one, exactly as the response schemas declare them. */
export type DeskState = Answer<typeof deskStateView>;
export type DeskTicket = Answer<typeof deskTicketView>;
export type QueueItem = Answer<typeof deskQueueItem>;

/** A safety net only: the event stream is what keeps the desk current. */
const SAFETY_POLL_MS = 60_000;
/** Several events in a burst (a call, then capacity) cost one read. */
const COALESCE_MS = 250;

/**
 * The desk as the server keeps it (SPEC 3.6): read on load, then again whenever the center's
 * event stream says something moved (a call anywhere, a desk finishing or parking, the kiosk, an
 * alert, a `resync` after the stream was away) and on a slow safety poll. Nothing about the
 * desk lives in the tab, so a reload or another browser shows the same visitor.
 */
export function useDesk(centerId: string, deskId: string | null) {
  const [state, setState] = useState<DeskState | null>(null);
  const [queue, setQueue] = useState<QueueItem[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [live, setLive] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(async () => {
    if (!deskId) return;
    const id = encodeURIComponent(deskId);
    const [s, q] = await Promise.allSettled([
      api.get<DeskState>(`/api/v1/desks/${id}`),
      api.get<QueueItem[]>(`/api/v1/desks/${id}/queue`),
    ]);
    if (s.status === 'fulfilled') {
      setState(s.value);
      setLoadError(null);
    } else setLoadError(s.reason);
    setQueue(q.status === 'fulfilled' ? q.value : null);
  }, [deskId]);

  const soon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), COALESCE_MS);
  }, [refresh]);

  useEffect(() => {
    setState(null);
    setQueue(null);
    if (!deskId) return;
    void refresh();
    const poll = setInterval(() => void refresh(), SAFETY_POLL_MS);
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const open = () => {
      es = new EventSource(`/api/v1/centers/${encodeURIComponent(centerId)}/board/events`);
      es.onopen = () => {
        setLive(true);
        // Events sent while the stream was away are lost: read the desk again.
        if (wasDown) soon();
        wasDown = false;
      };
      es.onerror = () => {
        setLive(false);
        wasDown = true;
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, 5000);
        }
      };
      for (const type of ['called', 'desk', 'alert', 'capacity', 'resync']) es.addEventListener(type, soon);
    };
    open();
    return () => {
      clearInterval(poll);
      clearTimeout(retry);
      clearTimeout(timer.current);
      es?.close();
    };
  }, [centerId, deskId, refresh, soon]);

  return { state, queue, loadError, live, refresh };
}
