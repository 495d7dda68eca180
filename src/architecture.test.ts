/** ARCHITECTURE.md names files; a file that moves or goes fails here, so the map stays true. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_NAMES } from './shared/api';

const doc = readFileSync('ARCHITECTURE.md', 'utf8');
// every backticked path into the repository's own folders; `<api>` stands for each API
const named = [...doc.matchAll(/`((?:src|schemas|suites|scripts)\/[^`\s]*)`/g)].map((m) => m[1] as string);
const paths = [
  ...new Set(named.flatMap((p) => (p.includes('<api>') ? API_NAMES.map((a) => p.replace('<api>', a)) : [p]))),
];

describe('ARCHITECTURE.md', () => {
  it('names the files of each layer (the check below has something to check)', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('every path it names exists', () => {
    expect(paths.filter((p) => !existsSync(p.replace(/\/$/, '')))).toEqual([]);
  });

  it('stays one screen long', () => {
    expect(doc.split('\n').length).toBeLessThanOrEqual(80);
  });
});
