import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * src/registration/ is the one writer of `registrations.status`: a change of the lifecycle made
 * anywhere else would go around the transition table and its guards. This reads every source
 * file and fails on an UPDATE of registrations that sets `status`, or an INSERT of one, outside
 * src/registration/.
 */
const root = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Statements writing registrations (up to the end of the statement) and how each sets `status`. */
const writes: Array<[RegExp, RegExp]> = [
  [/UPDATE\s+registrations\b[\s\S]*?(?:;|`)/gi, /\bSET\b(?:(?!\bWHERE\b)[\s\S])*?\bstatus\s*=/i],
  [/INSERT\s+INTO\s+registrations\b[\s\S]*?(?:;|`)/gi, /^[^)]*\bstatus\b/i],
  [
    /\.updateTable\(\s*['"]registrations\b[\s\S]*?(?:;|\n\s*\n)/g,
    /\.set\(\s*(?:\{[^}]*\bstatus\b|['"]status['"])/,
  ],
  [/\.insertInto\(\s*['"]registrations['"]\s*\)[\s\S]*?(?:;|\n\s*\n)/g, /\.values\([\s\S]*?\bstatus\b/],
];

function statusWritesIn(text: string): string[] {
  return writes.flatMap(([statement, status]) =>
    [...text.matchAll(statement)].map((m) => m[0]).filter((w) => status.test(w)),
  );
}

describe('the registration core owns every write of registrations.status', () => {
  it('no file outside src/registration/ writes registrations.status', () => {
    const offenders = sources(root)
      .filter((path) => !relative(root, path).startsWith('registration'))
      .flatMap((path) =>
        statusWritesIn(readFileSync(path, 'utf8')).map((w) => `${relative(root, path)}: ${w.slice(0, 80)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the check recognises the forms a status write takes (so it can fail)', () => {
    expect(
      statusWritesIn("db.updateTable('registrations').set({ status: 'no_show' }).where('id', '=', id);"),
    ).toHaveLength(1);
    expect(
      statusWritesIn("sql`UPDATE registrations SET status = 'called', desk_id = $1 WHERE id = $2`"),
    ).toHaveLength(1);
    expect(
      statusWritesIn("sql`UPDATE registrations r SET call_at = r.call_at + 1 WHERE r.status = 'booked'`"),
    ).toHaveLength(0);
    expect(statusWritesIn("sql`INSERT INTO registrations (id, status) VALUES ($1, 'booked')`")).toHaveLength(
      1,
    );
    expect(
      statusWritesIn(
        "db.updateTable('registrations').set({ parked_at: null }).where('status', 'in', ['booked']);",
      ),
    ).toHaveLength(0);
  });
});
