/**
 * A minimal browser for redirect-flow tests: follows redirects by hand and keeps cookies, so the
 * real login flows (our server → provider → our server) run exactly as a browser runs them.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every URL the browser was sent to, in order. */
  readonly visited: string[] = [];

  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) =>
          /^\s*max-age=0\s*$/i.test(a) ||
          (/^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '') < new Date()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One request, no redirect following. */
  async request(
    url: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    const target = new URL(url, this.base).href;
    this.visited.push(target);
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.keep(res);
    return res;
  }

  /** Follows redirects until a non-redirect answer or a URL `stop` accepts (returned unfetched). */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
    stop: (u: URL) => boolean = () => false,
  ): Promise<{ res?: Response; url: URL }> {
    let current = new URL(url, this.base);
    let res = await this.request(current.href, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current);
      if (stop(current)) return { url: current };
      res = await this.request(current.href);
    }
    throw new Error('too many redirects');
  }
}

/** The hidden inputs of the form whose inputs contain `marker` (a login page lists one per account). */
export function formFor(html: string, marker: string): { action: string; fields: Record<string, string> } {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((f) => f.includes(marker));
  if (!form) throw new Error(`no form with ${marker}`);
  const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1] as string] = (m[2] as string)
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}
