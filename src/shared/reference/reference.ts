/**
 * The checked reference listing, in one vocabulary for every API: walked once at the largest page size,
 * cross-checked by the API's own oracle, each defect found a finding of the one rule that owns it. Relations
 * compare against it only while it is trusted; each API supplies an adapter (its pager) for what truly differs.
 *
 * - `reference()` the checked listing; `walked()` the same walk before the cross-check
 * - `trusted(owners)` the reference, or Blocked by the owners that found a defect in it
 * - `listing(minRows, why, owners)` trusted, and holding enough rows for the rule, else Skip
 * - `reportFinding(owner)` the owner rule's check: the defect the build found for it
 * - `settled(compare)` a comparison re-tried on a fresh reading while the data drifts (see drift.ts)
 * - `forEveryPage(judge)` every page of every walk the API's page rules inspect
 */
import { BaseContext } from '../context';
import { Blocked, Skip, Violation, type ViolationDetail } from '../rule';
import { type DriftProbe, settle } from './drift';

export abstract class ReferenceContext<Ref, Owner extends string, Seen> extends BaseContext {
  /** Owner rule → the defect the reference build found (the first one per owner; reported once, by that rule). */
  readonly findings = new Map<Owner, ViolationDetail>();
  /** Owners whose finding makes the reference no basis for exact expectations: what {@link trusted} checks. */
  protected abstract readonly trustOwners: readonly Owner[];
  /** The API's evidence of change, for {@link settled}. */
  protected abstract readonly drift: DriftProbe<unknown>;
  /** What a row is called in messages: runs, prompts. */
  protected abstract readonly rowNoun: string;

  /** The listing walked and cross-checked, once per run (per drift epoch where the API re-reads it). */
  abstract reference(): Promise<Ref>;
  /** The same walk before the cross-check: for rules that judge each page or row on its own, and for drift. */
  abstract walked(): Promise<unknown>;
  /** Rows the reference holds, for {@link listing}'s skip. */
  protected abstract rowCount(ref: Ref): number;
  /** The pages {@link forEveryPage} judges: every page of every walk, walked once. */
  protected abstract everyPage(): Promise<readonly Seen[]>;
  /** What an owner's verdict says of how much of the listing it covered (whole-listing statements). */
  protected coverageFor(_owner: Owner): string | undefined {
    return undefined;
  }

  /** Records a defect under its owner; the first one found per owner stands. */
  protected addFinding(owner: Owner, detail: ViolationDetail): void {
    if (!this.findings.has(owner)) this.findings.set(owner, detail);
  }

  /** The reference, or Blocked when a finding of one of `owners` makes it no basis for the rule (`why`). */
  async trusted(owners: readonly Owner[] = this.trustOwners, why?: string): Promise<Ref> {
    const ref = await this.reference();
    this.expectTrusted(owners, why);
    return ref;
  }

  /** Throws Blocked when one of `owners` found a defect; the owner reports it, the caller (`why`) is blocked. */
  expectTrusted(owners: readonly Owner[], why?: string): void {
    const by = owners.filter((o) => this.findings.has(o));
    if (by.length)
      throw new Blocked(
        by,
        `the reference listing is not trustworthy (${by.map((o) => `${o}: ${this.findings.get(o)?.actual}`).join('; ')})${why ? `; ${why}` : ''}`,
      );
  }

  /** The trusted reference for a rule that compares against it; Skip when the target holds fewer than `minRows`. */
  async listing(minRows: number, why: string, owners: readonly Owner[] = this.trustOwners): Promise<Ref> {
    const ref = await this.trusted(owners, `${why} compares against it`);
    const n = this.rowCount(ref);
    if (n < minRows) throw new Skip(`target lists ${n} ${this.rowNoun}; ${why} needs ${minRows}`);
    return ref;
  }

  /** The owner rule's check: fails with the defect the reference build found for `owner`, if any. */
  async reportFinding(owner: Owner): Promise<void> {
    await this.reference();
    const note = this.coverageFor(owner);
    if (note !== undefined) this.noteCoverage(note);
    const f = this.findings.get(owner);
    if (f) throw new Violation(f);
  }

  /**
   * Runs a comparison that rests on the reference; a failure is re-tried on a fresh reading (`fresh`), data seen
   * to change is drift (noted), a failure nothing explains stands (see drift.ts).
   */
  settled(compare: (fresh: boolean) => Promise<void>): Promise<void> {
    return settle(compare, this.drift, (what) => this.noteDrift(what));
  }

  /** Checks `judge` on every page of every walk: the first page it faults (returns a detail, or throws) fails. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a judge returns the detail of a fault, or throws it (expectThat)
  async forEveryPage(judge: (page: Seen) => ViolationDetail | undefined | void): Promise<void> {
    for (const p of await this.everyPage()) {
      const bad = judge(p);
      if (bad) throw new Violation(bad);
    }
  }
}
