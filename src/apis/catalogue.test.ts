/** The catalogues' own invariants: stable unique IDs, traceable, one distinct fault each, RULES.md current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiModule } from '../shared/api';
import { apis } from './index';
import { renderRulesDoc } from './rules-doc';
import { schemaFiles } from './schema-files';

const modules = Object.values(apis).filter((m): m is ApiModule => m !== undefined);

describe('rule catalogues', () => {
  it('IDs are unique across APIs and carry the API prefix', () => {
    const all = modules.flatMap((m) => m.rules.map((r) => r.id));
    expect(new Set(all).size).toBe(all.length);
    for (const m of modules) for (const r of m.rules) expect(r.id).toMatch(m.name === 'betterprompt' ? /^BP-[A-Z0-9-]+$/ : /^RT-[A-Z0-9-]+$/);
  });

  it('every rule names its doc reference, basis and expectation', () => {
    for (const m of modules)
      for (const r of m.rules) {
        expect(r.doc.length, r.id).toBeGreaterThan(5);
        expect(['documented', 'inferred'], r.id).toContain(r.basis);
        expect(r.summary.length, r.id).toBeGreaterThan(10);
      }
  });

  it('every rule has its own fault, and no two rules share a knob', () => {
    for (const m of modules) {
      const faults = m.faults as Record<string, { knob: string } | undefined>;
      const knobs = m.rules.map((r) => faults[r.id]?.knob);
      expect(knobs.every(Boolean)).toBe(true);
      expect(new Set(knobs).size).toBe(knobs.length);
      expect(Object.keys(faults).sort()).toEqual(m.rules.map((r) => r.id).sort());
    }
  });

  it('gap IDs are unique', () => {
    const gaps = modules.flatMap((m) => m.gaps.map((g) => g.id));
    expect(new Set(gaps).size).toBe(gaps.length);
  });

  it('the JSON copies of the schemas are current (regenerate with npm run schemas)', () => {
    const files = schemaFiles();
    expect([...files.keys()].sort()).toEqual(['schemas/betterprompt/error.json', 'schemas/betterprompt/list-runs.json', 'schemas/runtype/list-prompts.json']);
    for (const [path, text] of files) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });

  it('RULES.md is current (regenerate with npm run rules)', () => {
    expect(readFileSync('RULES.md', 'utf8')).toBe(renderRulesDoc(modules));
  });
});
