/**
 * The shape the Runtype reject tables share (RT-LIMIT-MAX, RT-LIMIT-INVALID, RT-ERROR-CONTEXT, RT-CURSOR-GARBAGE):
 * read what every case shares once, send a fixed table every run, then drawn cases, and judge each answer alike.
 */
import type fc from 'fast-check';
import { checkProperty } from '../../../shared/property';
import { type Basis, defineRule, type Rule } from '../../../shared/rule';
import type { RtContext } from '../context';

/** A reject-table rule: one judge for the table's cases and the drawn ones. */
export interface RejectSpec<Id extends string, Shared, Case> {
  readonly id: Id;
  readonly doc: string;
  readonly basis: Basis;
  readonly summary: string;
  /** Reads what every case shares (an issued cursor, filters to send beside); runs once, before any case. */
  readonly setup: (ctx: RtContext) => Promise<Shared>;
  /** The fixed cases every run sends, in order. */
  readonly table?: (shared: Shared, ctx: RtContext) => readonly Case[];
  /** Cases drawn beyond the table, and how many. */
  readonly drawn?: { readonly cases: (shared: Shared) => fc.Arbitrary<Case>; readonly maxRuns: number };
  /** Sends one case and judges its answer: the code that decides the rule. */
  readonly judge: (ctx: RtContext, c: Case, shared: Shared) => Promise<void>;
}

/** A rule that sends its table, then its drawn cases, through one judge. */
export function defineRejectRule<const Id extends string, Shared, Case>(
  spec: RejectSpec<Id, Shared, Case>,
): Rule<Id, RtContext> {
  const { id, doc, basis, summary, setup, table, drawn, judge } = spec;
  return defineRule({
    id,
    doc,
    basis,
    summary,
    check: async (ctx: RtContext) => {
      const shared = await setup(ctx);
      for (const c of table?.(shared, ctx) ?? []) await judge(ctx, c, shared);
      if (drawn)
        await checkProperty(ctx, drawn.cases(shared), (c) => judge(ctx, c, shared), { maxRuns: drawn.maxRuns });
    },
  });
}
