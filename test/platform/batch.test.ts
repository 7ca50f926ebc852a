import { describe, expect, it } from 'vitest';
import { batchLoader, perExecutor } from '../../src/platform/batch.js';

describe('batchLoader (concurrent lookups → one query)', () => {
  it('coalesces the lookups made in the same turn into one call, answering each in order', async () => {
    const calls: string[][] = [];
    const load = batchLoader(async (keys: readonly string[]) => {
      calls.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    const answers = await Promise.all(['a', 'b', 'a', 'c'].map((k) => load(k)));
    expect(answers).toEqual(['A', 'B', 'A', 'C']);
    expect(calls).toEqual([['a', 'b', 'a', 'c']]);
  });

  it('sends a lone lookup at once, and later lookups in a new batch (nothing cached)', async () => {
    let version = 0;
    const calls: number[] = [];
    const load = batchLoader(async (keys: readonly string[]) => {
      calls.push(keys.length);
      return keys.map(() => version);
    });
    expect(await load('x')).toBe(0);
    version = 1;
    expect(await load('x')).toBe(1);
    expect(calls).toEqual([1, 1]);
  });

  it('splits a large turn into batches of at most maxBatchSize', async () => {
    const sizes: number[] = [];
    const load = batchLoader(
      async (keys: readonly number[]) => {
        sizes.push(keys.length);
        return keys.map((k) => k * 2);
      },
      { maxBatchSize: 4 },
    );
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => load(i)));
    expect(answers).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('fails every lookup of a batch whose query failed, and recovers for the next batch', async () => {
    let fail = true;
    const load = batchLoader(async (keys: readonly string[]) => {
      if (fail) throw new Error('database unavailable');
      return keys;
    });
    const results = await Promise.allSettled([load('a'), load('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await load('c')).toBe('c');
  });

  it('keeps one loader per executor', async () => {
    const seen: string[] = [];
    const byDb = perExecutor((db: { name: string }) =>
      batchLoader(async (keys: readonly string[]) => {
        seen.push(`${db.name}:${keys.join(',')}`);
        return keys;
      }),
    );
    const a = { name: 'a' };
    const b = { name: 'b' };
    await Promise.all([byDb(a, '1'), byDb(b, '2'), byDb(a, '3')]);
    expect(seen.sort()).toEqual(['a:1,3', 'b:2']);
  });
});
