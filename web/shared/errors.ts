import { clientProblems, isProblemCode, problemCatalog } from '../../src/platform/problem-catalogue.js';
import { pick } from './i18n.js';

/**
 * What a person reads when the API refuses: plain language and what to do next, never a code
 * (SPEC §5). The words are the server's own catalogue (src/platform/problem-catalogue.ts), so the
 * screen and the API never disagree; the server's specific detail is shown beneath it.
 */
export function explain(code: string | undefined, status: number): { message: string; next: string } {
  const entry = isProblemCode(code)
    ? problemCatalog[code]
    : code === 'OFFLINE'
      ? clientProblems.OFFLINE
      : status >= 500 || status === 0
        ? clientProblems.UNAVAILABLE
        : clientProblems.FAILED;
  return { message: pick(entry), next: pick(entry.next) };
}
