import type { z } from 'zod';
import type { meView, myBookingView, slotView } from '../../src/booking/booking-api-schema.js';
import type { centerView, serviceView } from '../../src/catalog/catalog-api-schema.js';

/**
 * The JSON of an answer: what a response schema's output becomes on the wire (a Date is an ISO
 * string). The web's types are derived from the server's schemas (the *-api-schema.ts files in
 * src/), so renaming a field in an answer breaks `npm run typecheck`, not a screen in production.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** The answer of a route whose response schema is `S`. */
export type Answer<S extends z.ZodType> = Wire<z.output<S>>;

/** A small client for the E-Запис API: JSON in and out, problem details turned into ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly detail: string | undefined,
    readonly fieldErrors: Array<{ field: string; message: string }> = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? code ?? `HTTP ${status}`);
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'OFFLINE', undefined);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      typeof p.code === 'string' ? p.code : undefined,
      typeof p.detail === 'string' ? p.detail : undefined,
      Array.isArray(p.errors) ? (p.errors as Array<{ field: string; message: string }>) : [],
      p,
    );
  }
  return { status: res.status, body: data as T };
}

export const api = {
  get: async <T>(path: string) => (await request<T>('GET', path)).body,
  post: async <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    (await request<T>('POST', path, body, headers)).body,
  put: async <T>(path: string, body: unknown = {}) => (await request<T>('PUT', path, body)).body,
  del: async <T>(path: string) => (await request<T>('DELETE', path)).body,
};

/** Whether an endpoint exists yet (404 with no code, or NOT_FOUND for the route itself). */
export function isMissing(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export type Center = Answer<typeof centerView>;
export type Service = Answer<typeof serviceView>;
export type Slot = Answer<typeof slotView>;

/** The citizen's profile (GET /api/v1/me). */
export type Me = Answer<typeof meView>;
/** One of "my registrations" (GET /api/v1/me/bookings). */
export type MyBooking = Answer<typeof myBookingView>;

/** The documents to bring for a service (an answer that carries none lists nothing). */
export function documentsOf(service: { documents?: readonly string[] | null }): string[] {
  return [...(service.documents ?? [])];
}
