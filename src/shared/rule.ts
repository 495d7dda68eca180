/**
 * The rule model. A rule is a small named unit: stable ID, doc reference (paraphrased),
 * whether the docs state it or we infer it, and a check that throws {@link Violation} or {@link Skip}.
 */
import type { Exchange } from './http';

export type Basis = 'documented' | 'inferred';

export interface Rule<Id extends string = string, Ctx = unknown> {
  readonly id: Id;
  /** Where the rule comes from, e.g. `GET /v1/runs › Query parameters`. Paraphrased, never pasted. */
  readonly doc: string;
  readonly basis: Basis;
  /** States the expectation: "a page holds at most `limit` rows". */
  readonly summary: string;
  /** Resolves when the target conforms; throws {@link Violation} or {@link Skip} otherwise. */
  readonly check: (ctx: Ctx) => Promise<void>;
}

/** Keeps the literal ID type so `faults: Record<RuleId, Fault>` can demand one fault per rule. */
export function defineRule<const Id extends string, Ctx>(rule: Rule<Id, Ctx>): Rule<Id, Ctx> {
  return rule;
}

/** What went wrong, in terms a person can act on. */
export interface ViolationDetail {
  expected: string;
  actual: string;
  /** The request that showed it, with its (redacted) answer. */
  exchange?: Exchange | undefined;
  /** Property-based failures: the shrunk input, how to replay it. */
  counterexample?: unknown;
  shrinks?: number;
  seed?: number;
  path?: string;
}

export class Violation extends Error {
  override readonly name = 'Violation';
  constructor(readonly detail: ViolationDetail) {
    super(`expected ${detail.expected}; got ${detail.actual}`);
  }
}

export class Skip extends Error {
  override readonly name = 'Skip';
}

/**
 * The rule could not conclude because another rule's fault broke what it compares against
 * (the reference listing, a field it reads). That rule reports the fault; this one says it was blocked.
 */
export class Blocked extends Error {
  override readonly name = 'Blocked';
  constructor(
    readonly by: readonly string[],
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Data changed during the run (rows added, statuses changed, rows edited) and a re-read could not settle
 * whether the difference was drift or a fault. Not a pass, not a failure: the run exits 2 if nothing failed.
 */
export class Inconclusive extends Error {
  override readonly name = 'Inconclusive';
}

/** Throws a {@link Violation} unless `cond`; keeps checks one line each. */
export function expectThat(cond: boolean, detail: () => ViolationDetail): asserts cond {
  if (!cond) throw new Violation(detail());
}

/** Shortens a value for a one-line report. */
export function brief(value: unknown, max = 160): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Something the docs leave open; the run records what the target was seen to do. */
export interface DocGap {
  readonly id: string;
  readonly doc: string;
  readonly summary: string;
  /** How the suite handles it (what it assumes, what it makes configurable). */
  readonly handling: string;
}
