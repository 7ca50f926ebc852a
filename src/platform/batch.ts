import DataLoader from 'dataloader';

/**
 * Coalesces the lookups that concurrent requests make in the same turn of the event loop into
 * one query (the DataLoader pattern). At the release moment dozens of requests read their
 * session and their booking facts at once: one `= ANY($1)` query instead of dozens of round
 * trips. A lone request is not delayed: the batch is sent in the same turn (setImmediate),
 * right after the requests that arrived with it have asked.
 *
 * `load` answers one value per key, in order (a key may repeat in a batch). Nothing is cached
 * between batches: every request reads what the database holds now.
 */
export function batchLoader<K, V>(
  load: (keys: readonly K[]) => Promise<ReadonlyArray<V>>,
  options: { maxBatchSize?: number } = {},
): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>(load, {
    cache: false,
    maxBatchSize: options.maxBatchSize ?? 128,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
  return (key) => loader.load(key);
}

/** One batch loader per executor (the pool, or a test's database), made on first use. */
export function perExecutor<E extends object, K, V>(
  make: (executor: E) => (key: K) => Promise<V>,
): (executor: E, key: K) => Promise<V> {
  const loaders = new WeakMap<E, (key: K) => Promise<V>>();
  return (executor, key) => {
    let load = loaders.get(executor);
    if (!load) {
      load = make(executor);
      loaders.set(executor, load);
    }
    return load(key);
  };
}
