import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SERVICE } from './fixtures.js';

/** An inject response whose `json()` has the shape the route answers with. */
export interface TypedResponse<T> extends Omit<LightMyRequestResponse, 'json'> {
  json(): T;
}

/** RFC 9457 problem details, as every error answers. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

/** POST /api/v1/bookings: 201 booked, 202 entered into the release lottery. */
export interface BookingAnswer {
  id: string;
  number: number;
  status: string;
  centerId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  cancelUntil: string;
  personId: string;
  [more: string]: unknown;
}

export interface BookRequest {
  slotId: number | undefined;
  serviceId?: string;
  legalEntity?: { edrpou: string; name?: string };
  priority?: unknown;
  altcha?: string;
}

export interface RequestOptions {
  cookie: string;
  idempotencyKey?: string;
  /** The client's TCP address, for tests of per-address limits. */
  remoteAddress?: string;
  headers?: Record<string, string>;
}

/**
 * Typed requests over `app.inject`, one helper per API call the tests repeat, so a test says what
 * it does (`client.book(...)`) and a change of the call's shape is made once.
 */
export function testClient(app: FastifyInstance) {
  const headersOf = (o: RequestOptions) => ({
    cookie: o.cookie,
    ...(o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {}),
    ...o.headers,
  });
  return {
    /** Books online: the service defaults to vehicle registration. */
    async book(options: RequestOptions, body: BookRequest): Promise<TypedResponse<BookingAnswer & Problem>> {
      const { slotId, serviceId = SERVICE.vehicle, ...extra } = body;
      return (await app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: headersOf(options),
        ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
        payload: { slotId, serviceId, ...extra },
      })) as TypedResponse<BookingAnswer & Problem>;
    },
    async cancel(options: RequestOptions, id: string): Promise<TypedResponse<BookingAnswer & Problem>> {
      return (await app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${id}/cancel`,
        headers: headersOf(options),
      })) as TypedResponse<BookingAnswer & Problem>;
    },
  };
}

export type TestClient = ReturnType<typeof testClient>;
