/**
 * Regional air-raid alerts from outside (SPEC 3.7). The adapter answers which regions are under
 * an alert now; the poll job maps them onto centers (`centers.alert_region`, else `region`).
 */
export interface AlertsFeed {
  activeRegions(): Promise<Set<string>>;
}

interface AlertsInUaAnswer {
  alerts?: Array<{
    location_title?: string;
    location_type?: string;
    location_oblast?: string;
    alert_type?: string;
    started_at?: string;
    finished_at?: string | null;
  }>;
}

/**
 * The public Ukrainian alerts API format (alerts.in.ua `GET /v1/alerts/active.json`, bearer
 * token): `{alerts: [{location_title, location_type, alert_type, started_at, finished_at}]}`.
 * Only air-raid alerts count; an oblast-level or city-level alert makes its title active (and
 * a hromada/raion alert makes its oblast active too, since a center serves the whole area).
 */
export function createAlertsInUaFeed(options: {
  url: string;
  token?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}): AlertsFeed {
  const doFetch = options.fetchImpl ?? fetch;
  return {
    async activeRegions() {
      const res = await doFetch(options.url, {
        headers: {
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`alerts feed answered ${res.status}`);
      const body = (await res.json()) as AlertsInUaAnswer;
      const regions = new Set<string>();
      for (const a of body.alerts ?? []) {
        if (a.finished_at) continue;
        if (a.alert_type && a.alert_type !== 'air_raid') continue;
        if (a.location_title) regions.add(a.location_title.trim());
        if (a.location_oblast) regions.add(a.location_oblast.trim());
      }
      return regions;
    },
  };
}
