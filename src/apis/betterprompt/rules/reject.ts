/**
 * The validation rules' one shape: a table of bad values (each beside a companion parameter, the same at every
 * seed), then a property drawing more of them, every request expected to be refused with one of `statuses`.
 */
import fc from 'fast-check';
import type { Exchange, Query } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { type Basis, defineRule, type Rule } from '../../../shared/rule';
import { companions, rejectTable } from '../compare';
import type { BpContext } from '../context';
import type { Reference } from '../pager';
import { expectRejected } from './shared';

type Bad = string | number;

export interface RejectSpec<Id extends string> {
  id: Id;
  doc: string;
  basis: Basis;
  summary: string;
  /** The parameters the bad values go in: each gets the table, the property draws one per case. */
  params: readonly [string, ...string[]];
  /** The fixed bad values, sent beside every companion (some are read from the listing, e.g. a truncated run ID). */
  table: readonly Bad[] | ((ref: Reference) => readonly Bad[]);
  /** More bad values for the property. */
  bad: (ref: Reference) => fc.Arbitrary<Bad>;
  /** The companion kind left out (a bad status is not sent beside a status filter). */
  without?: 'status' | 'time' | 'cursor';
  statuses: readonly number[];
  /** What makes the value invalid, for the expectation. */
  why: (value: Bad, param: string) => string;
  /** Valid values at the edge, sent first: the limit rules' documented bound is accepted. */
  accepted?: (ctx: BpContext) => Promise<void>;
  /** Each refusal the table met (the limit rules record which status the target chose). */
  seen?: (ctx: BpContext, ex: Exchange) => void;
}

/** A validation rule from its table: bad values × companions, then a capped property over `bad`. */
export function defineRejectRule<const Id extends string>(spec: RejectSpec<Id>): Rule<Id, BpContext> {
  return defineRule({
    id: spec.id,
    doc: spec.doc,
    basis: spec.basis,
    summary: spec.summary,
    check: async (ctx: BpContext) => {
      await spec.accepted?.(ctx);
      const ref = await ctx.reference();
      const withs = companions(ref, spec.without);
      const values = typeof spec.table === 'function' ? spec.table(ref) : spec.table;
      for (const param of spec.params)
        for (const ex of await rejectTable(ctx, param, values, withs, spec.statuses, (v) => spec.why(v, param)))
          spec.seen?.(ctx, ex);
      await checkProperty(
        ctx,
        badCases(spec.params, spec.bad(ref), withs),
        async (c) => {
          const [param, value, other] = c.length === 2 ? [spec.params[0], ...c] : c;
          await expectRejected(ctx, { ...other, [param]: value }, spec.statuses, spec.why(value, param));
        },
        { maxRuns: 6 },
      );
    },
  });
}

type BadCase = readonly [Bad, Query] | readonly [string, Bad, Query];

/**
 * (value, companion) for one parameter, (parameter, value, companion) for several: the shapes these rules
 * always drew, so a seed, a replay path and a printed counterexample mean what they meant before.
 */
function badCases(params: readonly [string, ...string[]], bad: fc.Arbitrary<Bad>, withs: readonly Query[]) {
  const other = fc.constantFrom(...withs);
  const arb: fc.Arbitrary<BadCase> =
    params.length === 1 ? fc.tuple(bad, other) : fc.tuple(fc.constantFrom(...params), bad, other);
  return arb;
}
