/** `--shard i/n`: the shards of a run partition its rules, the same way every time. */
import { describe, expect, it } from 'vitest';
import { apis } from './apis';
import { shardRules } from './run';
import type { ApiModule, ApiName } from './shared/api';

const real = Object.values(apis).filter((m): m is ApiModule => m !== undefined);

/** A module named `name` with `n` rules `NAME-R0` … (only names and rules matter to sharding). */
function standIn(name: ApiName, n: number): ApiModule {
  return {
    ...(real[0] as ApiModule),
    name,
    rules: Array.from({ length: n }, (_, i) => ({
      id: `${name.toUpperCase()}-R${i}`,
      doc: '',
      basis: 'documented' as const,
      summary: '',
      check: async () => {},
    })),
  };
}

/** The registered modules, plus a stand-in for any API not implemented yet, so the test always spans two APIs. */
function modules(): ApiModule[] {
  const names = new Set(real.map((m) => m.name));
  return [...real, ...(['betterprompt', 'runtype'] as const).filter((n) => !names.has(n)).map((n) => standIn(n, 7))];
}

/** Shard i of n as plain arrays, for exact comparison. */
function slice(
  mods: readonly ApiModule[],
  index: number,
  count: number,
  only?: ReadonlySet<string>,
): Record<string, string[]> {
  return Object.fromEntries([...shardRules(mods, { index, count }, only)].map(([api, ids]) => [api, [...ids]]));
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

  // CI shards run in separate processes, often on different commits of the runner: the slices are pinned, so a
  // change to the scheme (which would leave rules unchecked between old and new shards) shows up here
  it('is stable: round-robin in catalogue order, counting on across APIs; pinned for a small catalogue', () => {
    const two = [standIn('betterprompt', 5), standIn('runtype', 4)];
    expect(slice(two, 1, 3)).toEqual({ betterprompt: ['BETTERPROMPT-R0', 'BETTERPROMPT-R3'], runtype: ['RUNTYPE-R1'] });
    expect(slice(two, 2, 3)).toEqual({ betterprompt: ['BETTERPROMPT-R1', 'BETTERPROMPT-R4'], runtype: ['RUNTYPE-R2'] });
    expect(slice(two, 3, 3)).toEqual({ betterprompt: ['BETTERPROMPT-R2'], runtype: ['RUNTYPE-R0', 'RUNTYPE-R3'] });
    // a --rule selection is dealt out on its own, so n shards of a selection stay even
    const only = new Set(['BETTERPROMPT-R1', 'BETTERPROMPT-R2', 'RUNTYPE-R0']);
    expect(slice(two, 1, 3, only)).toEqual({ betterprompt: ['BETTERPROMPT-R1'], runtype: [] });
    expect(slice(two, 3, 3, only)).toEqual({ betterprompt: [], runtype: ['RUNTYPE-R0'] });
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
