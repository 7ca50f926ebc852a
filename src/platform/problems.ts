/**
 * Domain errors and their RFC 9457 problem details. Each rule has its own error with a stable
 * `code` from the spec, an HTTP status and a Ukrainian message (English alongside). A domain
 * error is never re-wrapped into another code on the way out.
 */
import { type ProblemCode, problemCatalog } from './problem-catalogue.js';
import { detailInEnglish, ruleDetails } from './problem-messages.js';

export { type ProblemCode, problemCatalog } from './problem-catalogue.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export class DomainError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  readonly detailUk: string;

  constructor(code: ProblemCode, options: { detail?: string; extensions?: Record<string, unknown> } = {}) {
    const entry = problemCatalog[code];
    // A refusal (4xx) is an answer, not a fault: it is never logged with a stack, so none is
    // captured. At the release moment thousands a second are SLOT_TAKEN, and capturing their
    // stacks was 1.3 % of the server's time (#19). A 5xx keeps its stack for the log.
    const stackFrames = Error.stackTraceLimit;
    if (entry.status < 500) Error.stackTraceLimit = 0;
    super(options.detail ?? entry.uk);
    Error.stackTraceLimit = stackFrames;
    this.name = `${code}Error`;
    this.code = code;
    this.status = entry.status;
    this.detailUk = options.detail ?? entry.uk;
    this.extensions = options.extensions ?? {};
  }
}

export const problemType = (code: ProblemCode) => `https://e-zapys.hsc.gov.ua/problems/${code.toLowerCase()}`;

export function toProblem(error: DomainError, lang: 'uk' | 'en' = 'uk', instance?: string): ProblemDetails {
  const entry = problemCatalog[error.code];
  return {
    type: problemType(error.code),
    title: lang === 'en' ? entry.en : entry.uk,
    status: error.status,
    code: error.code,
    detail: problemDetail(error, lang),
    ...(instance ? { instance } : {}),
    ...error.extensions,
  };
}

/** Wraps a database failure with the name of the operation that failed (STYLE: absorb 4). */
export class StoreError extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Database operation failed: ${operation}`, { cause });
    this.name = 'StoreError';
  }
}

export async function storeOp<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError || error instanceof StoreError) throw error;
    throw new StoreError(operation, error);
  }
}

/**
 * The detail in the asked language: a specific detail the rule gave (translated), else the
 * rule's numbers from its extensions, else the catalogue's message.
 */
function problemDetail(error: DomainError, lang: 'uk' | 'en'): string {
  const entry = problemCatalog[error.code];
  if (error.detailUk !== entry.uk) {
    return lang === 'en' ? (detailInEnglish(error.detailUk) ?? entry.en) : error.detailUk;
  }
  return ruleDetails[error.code]?.(error.extensions, lang) ?? (lang === 'en' ? entry.en : entry.uk);
}
