/**
 * The import graph of src/: no module imports itself through others, and src/shared (the base every layer
 * builds on) imports no layer above it. A plain walk over the import lines, so a new cycle fails here, named.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/** Cycles allowed, each named with its reason: none (the audit and the rules' vocabulary read the pager, not the context). */
const KNOWN_CYCLES: readonly string[] = [];

/** What src/shared may not import: every layer built on it. */
const ABOVE_SHARED = [
  'src/apis/',
  'src/runner/',
  'src/selftest/',
  'src/gate/',
  'src/pact/',
  'src/reporters/',
  'src/clients/',
  'src/run.ts',
  'src/cli.ts',
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

// `import … from '…'`, `export … from '…'` (over several lines too), `import '…'` and `import('…')`
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')].find(
    (p) => p.startsWith(SRC) && existsSync(p) && statSync(p).isFile(),
  );
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

/** Each file of src/ and the files of src/ it imports (types included: a type cycle is a layering knot too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      const target = spec === undefined ? undefined : resolveImport(file, spec);
      if (target) deps.add(rel(target));
    }
    graph.set(rel(file), [...deps]);
  }
  return graph;
}

/** The cycles a depth-first search meets (at least one through every knot), each from its smallest file. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') {
        const loop = stack.slice(stack.indexOf(d));
        const start = loop.indexOf([...loop].sort()[0] as string);
        const canonical = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...canonical, canonical[0]].join(' -> '));
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return [...found].sort();
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('finds a cycle where there is one (the search itself works)', () => {
    const loop = new Map([
      ['src/b.ts', ['src/c.ts']],
      ['src/c.ts', ['src/a.ts']],
      ['src/a.ts', ['src/b.ts', 'src/d.ts']],
    ]);
    expect(cycles(loop)).toEqual(['src/a.ts -> src/b.ts -> src/c.ts -> src/a.ts']);
  });

  it('sees the imports it is meant to judge (the walk itself works)', () => {
    expect(graph.get('src/cli.ts')).toContain('src/run.ts');
    expect(graph.get('src/run.ts')).toContain('src/runner/session.ts');
    expect(graph.get('src/apis/betterprompt/audit.ts')).toContain('src/apis/betterprompt/pager.ts');
  });

  it('has no import cycle but the named exceptions', () => {
    expect(cycles(graph).filter((c) => !KNOWN_CYCLES.includes(c))).toEqual([]);
  });

  it('src/shared imports no layer above it (apis, runner, run.ts, …); tests beside it may use a real API as a fixture', () => {
    const up = [...graph]
      .filter(([f]) => f.startsWith('src/shared/') && !f.endsWith('.test.ts'))
      .flatMap(([f, deps]) => deps.filter((d) => ABOVE_SHARED.some((a) => d.startsWith(a))).map((d) => `${f} -> ${d}`));
    expect(up).toEqual([]);
  });

  it('the pact broker modules do not import each other both ways', () => {
    expect(graph.get('src/pact/broker-cli.ts')).not.toContain('src/pact/broker.ts');
  });
});
