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

export interface Center {
  id: string;
  code: string;
  name: string;
  region: string;
  address: string;
  latitude?: number | null;
  longitude?: number | null;
}

export interface Service {
  id: string;
  code: string;
  name: string;
  group: string;
  groupName?: string;
  isExam?: boolean;
  documents?: string[] | string | null;
  price?: string | number | null;
}

export interface Slot {
  id: number;
  startsAt: string;
  endsAt: string;
  free: number;
}

export interface Me {
  id: string;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  email?: string | null;
  rnokpp?: string;
  passport?: string;
  limits: {
    month?: string;
    online: { used: number; limit: number };
    terminal: { used: number; limit: number };
  };
  blockedUntil: string | null;
}

export interface MyBooking {
  id: string;
  number: number | null;
  centerId: string;
  centerName: string;
  centerAddress: string;
  serviceId: string;
  serviceName: string;
  channel: 'online' | 'terminal';
  status: string;
  startsAt: string;
  callAt?: string;
  priority?: string | null;
  cancelUntil: string | null;
  decidesAt?: string;
  feedback?: unknown;
}

export function documentsOf(service: Service): string[] {
  const d = service.documents;
  if (!d) return [];
  if (Array.isArray(d)) return d;
  try {
    const parsed = JSON.parse(d) as unknown;
    return Array.isArray(parsed) ? (parsed as string[]) : [String(d)];
  } catch {
    return [d];
  }
}
