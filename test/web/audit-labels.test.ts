import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../web/admin/audit-log.js';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * The audit log screen reads actions as words ("Запропоновано інший час"), never as codes: every
 * action the server writes (an `action:` literal, or the code handed to the capacity `change()` and
 * the desk's `trail()` helpers) has a Ukrainian and English label.
 */
describe('audit log labels', () => {
  it('every audited action the server writes has a label on the audit screen', () => {
    const written = new Set<string>();
    const patterns = [
      /action: '([a-z_]+(?:\.[a-z_]+)?)'/g,
      /\bchange\([^,()]+,\s*[^,()]+,\s*'([a-z_]+\.[a-z_]+)'/g,
      /\btrail\(\s*trx,\s*[a-z]+,\s*'([a-z_]+\.[a-z_]+)'/g,
    ];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const m of text.matchAll(pattern)) written.add(m[1] as string);
    }
    // The desk writes `registration.${outcome}` for the three outcomes.
    for (const outcome of ['served', 'no_show', 'refused_mismatch']) written.add(`registration.${outcome}`);
    expect(written.size).toBeGreaterThan(30);
    const missing = [...written].filter((a) => !ACTIONS[a] && a !== 'display').sort();
    expect(missing).toEqual([]);
  });
});
