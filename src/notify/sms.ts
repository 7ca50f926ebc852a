/**
 * SMS (SPEC 3.10: a planned channel, off by default) behind a small provider interface, with
 * one real adapter: a JSON HTTP gateway with a bearer token. Any non-2xx answer is a failure,
 * so the outbox retries it like a failed email.
 */
export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
}

export function httpSmsGateway(options: { url: string; token?: string; timeoutMs?: number }): SmsProvider {
  return {
    async send(to, text) {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!res.ok) {
        const body = (await res.text().catch(() => '')).slice(0, 200);
        throw new Error(`SMS gateway answered ${res.status}${body ? `: ${body}` : ''}`);
      }
    },
  };
}
