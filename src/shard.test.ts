/** `--shard i/n`: the shards of a run partition its rules, the same way every time. */
import { describe, expect, it } from 'vitest';
import { apis } from './apis';
import { shardRules } from './run';
import type { ApiModule, ApiName } from './shared/api';
import { parseArgs } from './shared/config';

/** The registered modules, plus a stand-in for any API not implemented yet, so the test always spans two APIs. */
function modules(): ApiModule[] {
  const real = Object.values(apis).filter((m): m is ApiModule => m !== undefined);
  const names = new Set(real.map((m) => m.name));
  const standIn = (name: ApiName, n: number): ApiModule => ({
    ...(real[0] as ApiModule),
    name,
    rules: Array.from({ length: n }, (_, i) => ({ id: `${name.toUpperCase()}-R${i}`, doc: '', basis: 'documented' as const, summary: '', check: async () => {} })),
  });
  return [...real, ...(['betterprompt', 'runtype'] as const).filter((n) => !names.has(n)).map((n) => standIn(n, 7))];
}

/** rule ID → shard indexes it landed in, over all n shards. */
function placements(mods: readonly ApiModule[], n: number, only?: ReadonlySet<string>): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (let i = 1; i <= n; i++)
    for (const [api, ids] of shardRules(mods, { index: i, count: n }, only))
      for (const id of ids) seen.set(`${api}:${id}`, [...(seen.get(`${api}:${id}`) ?? []), i]);
  return seen;
}

describe('shardRules', () => {
  const mods = modules();
  const all = mods.flatMap((m) => m.rules.map((r) => `${m.name}:${r.id}`));

  it('spans at least two APIs and a few dozen rules', () => {
    expect(new Set(mods.map((m) => m.name)).size).toBeGreaterThanOrEqual(2);
    expect(all.length).toBeGreaterThan(20);
  });

  for (let n = 1; n <= 5; n++) {
    it(`${n} shard(s): every rule of every API lands in exactly one shard, and shard sizes differ by at most one`, () => {
      const seen = placements(mods, n);
      expect([...seen.keys()].sort()).toEqual([...all].sort());
      for (const [, shards] of seen) expect(shards).toHaveLength(1);
      const sizes = Array.from({ length: n }, (_, i) => [...seen.values()].filter((s) => s[0] === i + 1).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    });
  }

  it('is stable: the same arguments give the same slices, however --api was typed', () => {
    const a = parseArgs(['--api', 'betterprompt,runtype', '--shard', '2/3'], {});
    const b = parseArgs(['--api', 'runtype,betterprompt', '--shard', '2/3'], {});
    const pick = (names: readonly ApiName[]) => mods.filter((m) => names.includes(m.name)).sort((x, y) => names.indexOf(x.name) - names.indexOf(y.name));
    const slice = (o: typeof a) => [...shardRules(pick(o.apis), o.shard, undefined)].map(([k, v]) => [k, [...v]]);
    expect(slice(a)).toEqual(slice(b));
    expect(slice(a)).toEqual(slice(a));
    expect(placements(mods, 4)).toEqual(placements(mods, 4));
  });

  it('partitions a --rule selection too, and no shard gets a rule outside it', () => {
    const only = new Set(all.filter((_, i) => i % 3 === 0).map((k) => k.split(':')[1] as string));
    for (let n = 1; n <= 5; n++) {
      const seen = placements(mods, n, only);
      expect(seen.size).toBe(only.size);
      for (const [key, shards] of seen) {
        expect(only.has(key.split(':')[1] as string)).toBe(true);
        expect(shards).toHaveLength(1);
      }
    }
  });
});
