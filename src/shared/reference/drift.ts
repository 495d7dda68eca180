/**
 * Settling drift, once for every API: a comparison against the reference that fails is re-tried on a fresh
 * reading. Data seen to change in between is drift (noted, compared again); a failure with no evidence of change
 * gets one fresh re-try and then stands; only a listing that changed before every attempt is inconclusive.
 * Drift never excuses a fault: a failure drift cannot explain is reported at once.
 */
import { Inconclusive, Violation, type ViolationDetail } from '../rule';

/** Attempts a comparison gets while the listing keeps changing under it. */
export const SETTLE_ATTEMPTS = 4;

/**
 * A violation of a self-evident invariant, or one seen while the data provably held still: drift cannot explain
 * it, so it is reported without re-reading.
 */
export class SteadyViolation extends Violation {}

/** A difference confined to some rows (those in one reading but not the other): the rows a re-read can settle. */
export class RowsViolation<Row> extends Violation {
  constructor(
    detail: ViolationDetail,
    readonly concerned: readonly Row[],
  ) {
    super(detail);
  }
}

/**
 * A difference whose own readings show the data changed (a row that joined the listing during the comparison and
 * matches it): evidence of change for the probe, so the comparison is tried again rather than standing.
 */
export class ChangedViolation extends Violation {
  constructor(
    detail: ViolationDetail,
    readonly evidence: string,
  ) {
    super(detail);
  }
}

/** How one API tells a change of its data from a fault: its evidence of change. */
export interface DriftProbe<Snapshot> {
  /** Evidence taken before each attempt (Runtype: the listing as read now); may be nothing. */
  before(): Promise<Snapshot>;
  /**
   * After a failed attempt: how the data changed since `before` (notes for the verdict), [] when no change was
   * seen, or undefined when no change could explain this failure (it then stands). Later reads must be fresh.
   */
  changes(before: Snapshot, failure: Violation): Promise<string[] | undefined>;
  /** After a change, re-judge the answer already read before reading again (it costs no request). */
  readonly rejudge: boolean;
}

/** Runs `compare` until it passes, a failure stands, or the data changed before every attempt (Inconclusive). */
export async function settle<S>(
  compare: (fresh: boolean) => Promise<void>,
  probe: DriftProbe<S>,
  noteDrift: (what: string) => void,
): Promise<void> {
  let last: Violation | undefined;
  // the one fresh re-try a failure without evidence of change gets: a change may lie beyond the part read
  let quiet = false;
  let fresh = false;
  const attempt = async (fresh: boolean): Promise<Violation | undefined> => {
    try {
      await compare(fresh);
      return undefined;
    } catch (e) {
      if (!(e instanceof Violation) || e instanceof SteadyViolation) throw e;
      return e;
    }
  };
  for (let k = 0; k < SETTLE_ATTEMPTS; k++) {
    const before = await probe.before();
    last = await attempt(fresh);
    if (!last) {
      if (quiet) noteDrift('a comparison that failed passed on a fresh reading (data changed beyond the part read)');
      return;
    }
    const changes = await probe.changes(before, last);
    if (changes === undefined) throw last;
    fresh = true;
    if (!changes.length) {
      if (quiet) throw last;
      quiet = true;
      continue;
    }
    for (const c of changes) noteDrift(c);
    if (probe.rejudge && k < SETTLE_ATTEMPTS - 1 && !(await attempt(false))) return;
  }
  throw new Inconclusive(
    `the data changed during each of ${SETTLE_ATTEMPTS} attempts; last difference: ${last?.message ?? ''}`,
  );
}
