import type { Logger } from 'pino';

/**
 * Periodic background jobs. Each run is safe on any number of instances at once (the jobs claim
 * their work with conditional SQL or SKIP LOCKED), so every instance may run every job.
 */
export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export function startJobs(jobs: Job[], logger?: Logger): () => Promise<void> {
  const running = new Map<string, Promise<unknown>>();
  const timers = jobs.map((job) =>
    setInterval(() => {
      if (running.has(job.name)) return; // never overlap a job with itself
      const run = job
        .run()
        .catch((err: unknown) => logger?.error({ err, job: job.name }, 'job failed'))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }, job.everyMs),
  );
  for (const t of timers) t.unref();
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled(running.values());
  };
}
