/** fast-check glue: seeded, bounded, shrinking, and turning a failure into a replayable Violation. */
import fc from 'fast-check';
import type { BaseContext } from './context';
import { BudgetExhausted } from './errors';
import { Violation } from './rule';

export interface PropertyOptions {
  /** Cap on cases for properties whose case costs several requests. */
  maxRuns?: number;
}

/**
 * Checks `predicate` for generated inputs. The predicate throws {@link Violation} on a deviation;
 * the shrunk input, seed and path are attached so the report can say how to replay it.
 */
export async function checkProperty<T>(
  ctx: BaseContext,
  arb: fc.Arbitrary<T>,
  predicate: (input: T) => Promise<void>,
  opts: PropertyOptions = {},
): Promise<void> {
  let exhausted: BudgetExhausted | undefined;
  const prop = fc.asyncProperty(arb, async (input) => {
    try {
      await predicate(input);
    } catch (e) {
      // out of budget is not a counterexample: treat as pass so shrinking keeps the last real failure
      if (e instanceof BudgetExhausted) {
        exhausted = e;
        return;
      }
      throw e;
    }
  });
  const { seed, runs, path } = ctx.settings;
  const details = await fc.check(prop, {
    seed,
    numRuns: Math.max(1, Math.min(runs, opts.maxRuns ?? runs)),
    ...(path ? { path } : {}),
    // a failing case costs requests on a live target: keep shrinking bounded
    endOnFailure: false,
    maxSkipsPerRun: 100,
  });
  if (details.failed) {
    const err = details.errorInstance;
    const shrunk = details.counterexample?.[0];
    if (err instanceof Violation) {
      throw new Violation({
        ...err.detail,
        counterexample: shrunk,
        shrinks: details.numShrinks,
        seed: details.seed,
        path: details.counterexamplePath ?? '',
      });
    }
    throw err instanceof Error ? err : new Error(String(err));
  }
  if (exhausted) throw exhausted;
}
