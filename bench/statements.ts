import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Times every statement pg sends from now on, by its first words; `report` prints the sums. */
export function timeStatements() {
  const query = pg.Client.prototype.query;
  const spent = new Map<string, { ms: number; n: number }>();
  // biome-ignore lint/suspicious/noExplicitAny: a timing wrapper around pg's overloads
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    const c = args[0];
    const text = (typeof c === 'string' ? c : String(c?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 90);
    const t0 = performance.now();
    // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
    const result = (query as any).apply(this, args);
    const done = () => {
      const s = spent.get(text) ?? { ms: 0, n: 0 };
      s.ms += performance.now() - t0;
      s.n += 1;
      spent.set(text, s);
    };
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
  return {
    report() {
      pg.Client.prototype.query = query;
      for (const [text, s] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
        console.error(`${Math.round(s.ms).toString().padStart(7)} ms ${String(s.n).padStart(5)}×  ${text}`);
      }
    },
  };
}
