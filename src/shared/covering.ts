/**
 * Pairwise (strength-2) covering arrays: every value of every factor meets every value of every other
 * factor in at least one row, so a rule exercises parameter combinations with a request count that grows
 * with the number of values, not with their product. Greedy (AETG-style), deterministic for a seed.
 */
import { prng } from './server';

export type Factors = Readonly<Record<string, readonly unknown[]>>;
export type Row<F extends Factors> = { [K in keyof F]: F[K][number] };

export interface CoveringOptions<F extends Factors> {
  /** Varies which covering array is built (rows differ, coverage does not). @defaultValue 1 */
  seed?: number;
  /** Rows that may not be sent (e.g. two values that cannot go together); pairs only they could cover are dropped. */
  allowed?: (row: Row<F>) => boolean;
  /** Candidates tried per new row: more gives fewer rows. @defaultValue 30 */
  candidates?: number;
}

/** xs[i] where i is in range by construction (noUncheckedIndexedAccess cannot see it); out of range is a bug. */
function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`index ${i} of ${xs.length}: out of range (a covering-array bug)`);
  return x;
}

/** Rows covering every allowed pair of values of two different factors. */
export function pairwise<F extends Factors>(factors: F, opts: CoveringOptions<F> = {}): Row<F>[] {
  const names: (keyof F & string)[] = Object.keys(factors);
  const values = (n: keyof F & string): readonly unknown[] => factors[n] ?? [];
  const sizes = names.map((n) => values(n).length);
  if (sizes.some((s) => s === 0)) return [];
  const rand = prng(opts.seed ?? 1);
  const pick = (n: number) => Math.floor(rand() * n);
  const toRow = (idx: readonly number[]): Row<F> =>
    Object.fromEntries(names.map((n, i) => [n, values(n)[nth(idx, i)]])) as Row<F>;
  const allowed = (idx: readonly number[]) => !opts.allowed || opts.allowed(toRow(idx));
  const key = (a: number, va: number, b: number, vb: number) => `${a}:${va}|${b}:${vb}`;

  // every pair still to cover
  const uncovered = new Set<string>();
  for (let a = 0; a < names.length; a++)
    for (let b = a + 1; b < names.length; b++)
      for (let va = 0; va < nth(sizes, a); va++)
        for (let vb = 0; vb < nth(sizes, b); vb++) uncovered.add(key(a, va, b, vb));
  const gain = (idx: readonly number[]) => {
    let g = 0;
    for (let a = 0; a < idx.length; a++)
      for (let b = a + 1; b < idx.length; b++) if (uncovered.has(key(a, nth(idx, a), b, nth(idx, b)))) g++;
    return g;
  };

  const rows: number[][] = [];
  const tries = opts.candidates ?? 30;
  // a single factor has no pairs: each allowed value once
  if (names.length === 1)
    return values(nth(names, 0))
      .map((_, v) => [v])
      .filter(allowed)
      .map(toRow);
  // each round covers at least the first pair left, or drops it when no allowed row holds it: it ends
  while (uncovered.size > 0) {
    const target = uncovered.values().next().value as string;
    const [[a, va], [b, vb]] = target.split('|').map((p) => p.split(':').map(Number)) as [
      [number, number],
      [number, number],
    ];
    let best: number[] | undefined;
    let bestGain = 0;
    for (let t = 0; t < tries; t++) {
      // start from the target pair, fill the other factors greedily in random order
      const idx = sizes.map((s) => pick(s));
      idx[a] = va;
      idx[b] = vb;
      const order = names.map((_, i) => i).filter((i) => i !== a && i !== b);
      for (let i = order.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [order[i], order[j]] = [nth(order, j), nth(order, i)];
      }
      for (const f of order) {
        let bestV = nth(idx, f);
        let bestG = -1;
        for (let v = 0; v < nth(sizes, f); v++) {
          idx[f] = v;
          const g = allowed(idx) ? gain(idx) : -1;
          if (g > bestG) [bestG, bestV] = [g, v];
        }
        idx[f] = bestV;
      }
      if (!allowed(idx)) continue;
      const g = gain(idx);
      if (g > bestGain) [best, bestGain] = [[...idx], g];
    }
    if (!best) {
      uncovered.delete(target);
      continue;
    }
    for (let a = 0; a < best.length; a++)
      for (let b = a + 1; b < best.length; b++) uncovered.delete(key(a, nth(best, a), b, nth(best, b)));
    rows.push(best);
  }
  return rows.map(toRow);
}

/** Whether `rows` cover every allowed pair of `factors` (for tests and for rules that trim rows). */
export function uncoveredPairs<F extends Factors>(
  factors: F,
  rows: readonly Row<F>[],
  allowedPair: (a: string, va: unknown, b: string, vb: unknown) => boolean = () => true,
): string[] {
  const names = Object.keys(factors);
  const out: string[] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const a = nth(names, i);
      const b = nth(names, j);
      for (const va of nth(Object.values(factors), i))
        for (const vb of nth(Object.values(factors), j)) {
          if (!allowedPair(a, va, b, vb)) continue;
          if (!rows.some((r) => Object.is(r[a], va) && Object.is(r[b], vb)))
            out.push(`${a}=${JSON.stringify(va)} × ${b}=${JSON.stringify(vb)}`);
        }
    }
  return out;
}
