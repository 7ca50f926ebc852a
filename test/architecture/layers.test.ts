import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layout's promises, checked over the source text (ARCHITECTURE.md): no import cycle between
 * the folders of src/, no folder reaching for the composition root, and SQL only in *-store.ts.
 * Imports are read with the TypeScript compiler's own pre-processor, type-only ones included:
 * a type cycle is still a cycle for the reader.
 */
const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC);
const rel = (path: string) => relative(SRC, path).replaceAll('\\', '/');
/** A file's folder under src/ ("booking"), or the root file itself ("context.ts"). */
const unitOf = (path: string) => {
  const r = rel(path);
  return r.includes('/') ? (r.split('/')[0] as string) : r;
};

function importsOf(path: string): string[] {
  const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(path), name.replace(/\.js$/, '.ts')));
}

const edges = new Map<string, Set<string>>();
const fileImports = new Map<string, string[]>();
for (const file of files) {
  const targets = importsOf(file);
  fileImports.set(rel(file), targets.map(rel));
  for (const target of targets) {
    const from = unitOf(file);
    const to = unitOf(target);
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)?.add(to);
  }
}

const isFolder = (unit: string) => !unit.endsWith('.ts');

/** Folder-level cycles (each reported once, as the path that closes it). */
function folderCycles(): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (unit: string) => {
    state.set(unit, 'open');
    stack.push(unit);
    for (const next of edges.get(unit) ?? []) {
      if (!isFolder(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(unit, 'done');
  };
  for (const unit of edges.keys()) if (isFolder(unit) && !state.has(unit)) visit(unit);
  return cycles;
}

describe('architecture: the layout holds', () => {
  it('the graph is read (guards the test itself)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.get('booking')?.has('platform')).toBe(true);
  });

  it('no import cycle between the folders of src/', () => {
    expect(folderCycles()).toEqual([]);
  });

  it('no folder imports the composition root (context.ts)', () => {
    // Each route plugin and bundled provider takes a narrow deps object; app.ts wires them.
    const offenders = [...fileImports]
      .filter(([file, targets]) => file.includes('/') && targets.includes('context.ts'))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('SQL only in *-store.ts: no query builder or sql`` anywhere else', () => {
    // Ratchet: files of the registration core and the login flows that still hold queries.
    const pending = new Set<string>(PENDING_SQL);
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql(<[^>]*>)?`/;
    const offenders = files
      .map(rel)
      .filter((r) => !r.endsWith('-store.ts') && !r.startsWith('platform/') && !pending.has(r))
      .filter((r) => query.test(readFileSync(join(SRC, r), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/** Files that still hold SQL outside a store, each owned by work in progress elsewhere. */
const PENDING_SQL: string[] = [];
