import { ApiError, api, isMissing } from './api.js';
import type { Challenge } from './pow-worker.js';

/**
 * Fetches a proof-of-work challenge and solves it in a Web Worker (SPEC 3.9). Returns the payload
 * for the booking's `altcha` field, or undefined when the server does not ask for one.
 */
export async function solveAntibot(): Promise<string | undefined> {
  let challenge: Challenge;
  try {
    challenge = await api.get<Challenge>('/api/v1/antibot/challenge');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<string>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ ok: boolean; payload?: string }>) =>
        event.data.ok && event.data.payload
          ? resolve(event.data.payload)
          : reject(new ApiError(403, 'ANTIBOT_REQUIRED', undefined));
      worker.onerror = () => reject(new ApiError(403, 'ANTIBOT_REQUIRED', undefined));
      worker.postMessage(challenge);
    });
  } finally {
    worker.terminate();
  }
}
