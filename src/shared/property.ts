/** fast-check glue: seeded, bounded, shrinking, and turning a failure into a replayable Violation. */
import fc from 'fast-check';
import type { BaseContext } from './context';
import { BudgetExhausted } from './errors';
import { Violation } from './rule';

/** Requests a failure's shrinking may send on a live target (25 s at BetterPrompt's 4 req/s). */
export const SHRINK_REQUESTS = 100;

export interface PropertyOptions {
  /** Cap on cases for properties whose case costs several requests. */
  maxRuns?: number;
}

/**
 * The property could not be checked as asked: fast-check gave up after too many inputs rejected by `fc.pre`,
 * or was interrupted. The suite's own problem, never a finding about the target, so it is not a Violation.
 */
export class PropertyNotRun extends Error {
  override readonly name = 'PropertyNotRun';
  constructor(
    readonly kind: 'too-many-skips' | 'interrupted',
    message: string,
  ) {
    super(message);
  }
}

/** What fast-check's details say when no counterexample exists, by kind (as its RunDetailsFormatter tells them apart). */
export function notRunError(
  d: Pick<fc.RunDetails<unknown>, 'interrupted' | 'numRuns' | 'numSkips' | 'seed'>,
  asked: number,
): PropertyNotRun {
  if (d.interrupted)
    return new PropertyNotRun(
      'interrupted',
      `property interrupted after ${d.numRuns} of ${asked} cases (seed ${d.seed}); not checked, so not passed`,
    );
  return new PropertyNotRun(
    'too-many-skips',
    `property gave up: fc.pre rejected ${d.numSkips} generated inputs and only ${d.numRuns} of ${asked} cases ran (seed ${d.seed}); make the arbitrary produce valid inputs instead of discarding them`,
  );
}

/**
 * Checks `predicate` for generated inputs. The predicate throws {@link Violation} on a deviation;
 * the shrunk input, seed and path are attached so the report can say how to replay it.
 * Any other error the predicate throws (Skip, TransportError, …) is rethrown as it was, for the engine to map.
 */
export async function checkProperty<T>(
  ctx: BaseContext,
  arb: fc.Arbitrary<T>,
  predicate: (input: T) => Promise<void>,
  opts: PropertyOptions = {},
): Promise<void> {
  let exhausted: BudgetExhausted | undefined;
  // on a live (rate-limited) target shrinking is paid in requests: after SHRINK_REQUESTS the smaller candidates
  // are not tried (taken as passing), so one failure cannot spend the budget the rest of the run needs
  const live = ctx.http.options.rate !== undefined;
  let failedAt: number | undefined;
  let shrinkCut = false;
  const prop = fc.asyncProperty(arb, async (input) => {
    if (live && failedAt !== undefined && ctx.http.stats.sent - failedAt >= SHRINK_REQUESTS) {
      shrinkCut = true;
      return;
    }
    try {
      await predicate(input);
    } catch (e) {
      // out of budget is not a counterexample: treat as pass so shrinking keeps the last real failure
      if (e instanceof BudgetExhausted) {
        exhausted = e;
        return;
      }
      if (e instanceof Violation) failedAt ??= ctx.http.stats.sent;
      throw e;
    }
  });
  const { seed, runs, path } = ctx.settings;
  const numRuns = Math.max(1, Math.min(runs, opts.maxRuns ?? runs));
  // a failure shrinks (each step costs requests, bounded by the budget); a replay runs the shrunk case alone
  const details = await fc.check(prop, { seed, numRuns, ...(path ? { path, endOnFailure: true } : {}) });
  if (details.failed) {
    if (details.counterexamplePath === null) throw notRunError(details, numRuns);
    const err = details.errorInstance;
    if (err instanceof Violation) {
      const cut = shrinkCut ? ` (shrinking stopped after ${SHRINK_REQUESTS} requests: a smaller case may exist)` : '';
      throw new Violation({
        ...err.detail,
        actual: `${err.detail.actual}${cut}`,
        counterexample: details.counterexample?.[0],
        shrinks: details.numShrinks,
        seed: details.seed,
        path: details.counterexamplePath,
      });
    }
    throw err instanceof Error ? err : new Error(`the check threw a non-Error value: ${String(err)}`);
  }
  if (details.interrupted) throw notRunError(details, numRuns);
  if (exhausted) throw exhausted;
}
