/** The catalogues' own invariants the types cannot state: unique IDs, distinct faults, declared gaps, generated files current. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    for (const m of modules)
      for (const r of m.rules) expect(r.id).toMatch(m.name === 'betterprompt' ? /^BP-[A-Z0-9-]+$/ : /^RT-[A-Z0-9-]+$/);
  });

  // (`faults: Record<RuleId, Fault>` already makes a rule without a fault a compile error; these are what types miss)
  it('every rule names its doc reference and expectation in words, not a placeholder', () => {
    for (const m of modules)
      for (const r of m.rules) {
        expect(r.doc.trim().length, r.id).toBeGreaterThan(5);
        expect(r.summary.trim().length, r.id).toBeGreaterThan(10);
      }
  });

  it('no two rules share a fault knob, so each self-test proves its own rule', () => {
    for (const m of modules) {
      const knobs = m.rules.map((r) => m.faults[r.id]?.knob);
      expect(new Set(knobs).size, m.name).toBe(knobs.length);
    }
  });

  it('gap IDs are unique and carry the API prefix', () => {
    const gaps = modules.flatMap((m) => m.gaps.map((g) => g.id));
    expect(new Set(gaps).size).toBe(gaps.length);
    for (const m of modules)
      for (const g of m.gaps) expect(g.id).toMatch(m.name === 'betterprompt' ? /^BP-GAP-/ : /^RT-GAP-/);
  });

  it('every gap a rule records (ctx.observe) is declared in its API’s gaps, or the report would drop the observation', () => {
    for (const m of modules) {
      const declared = new Set(m.gaps.map((g) => g.id));
      const dir = join('src', 'apis', m.name);
      // recursive: a catalogue may sit in a rules/ folder, one file per doc section
      const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
        (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
      );
      const calls = sources.flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/\.observe\(\s*([^,]*),/g)].map((x) => (x[1] ?? '').trim()),
      );
      expect(calls.length, m.name).toBeGreaterThan(0);
      for (const arg of calls) {
        // a literal ID, so this test sees every gap a rule can record
        expect(arg, `${m.name}: observe(${arg}, …)`).toMatch(/^'[A-Z0-9-]+'$/);
        expect([...declared], `${m.name}: observe(${arg}, …)`).toContain(arg.slice(1, -1));
      }
    }
  });

  it('the JSON copies of the schemas are current (regenerate with npm run schemas)', () => {
    const files = schemaFiles();
    expect([...files.keys()].sort()).toEqual([
      'schemas/betterprompt/error.json',
      'schemas/betterprompt/list-runs.json',
      'schemas/runtype/list-prompts.json',
    ]);
    for (const [path, text] of files) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });

  it('RULES.md is current (regenerate with npm run rules)', () => {
    expect(readFileSync('RULES.md', 'utf8')).toBe(renderRulesDoc(modules));
  });
});
