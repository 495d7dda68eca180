/**
 * BetterPrompt checks' shared view of the target: pages, walks, and the reference listing (src/shared/reference),
 * checked before it is trusted and pinned to a stable window so runs created during the suite do not move it.
 * How a page is read and how the walk is cross-checked is the pager's (pager.ts).
 */
import type { AuditNote } from '../../shared/audit';
import { json } from '../../shared/expect';
import type { RunSettings } from '../../shared/context';
import type { Exchange, HttpClient, Query } from '../../shared/http';
import { type DriftProbe, RowsViolation } from '../../shared/reference/drift';
import { ReferenceContext } from '../../shared/reference/reference';
import { walkPages } from '../../shared/reference/walk';
import { Blocked, Violation } from '../../shared/rule';
import { auditAgainstReference, auditRunsAnswer, RunsSeen } from './audit';
import {
  BACKWARD_OWNERS,
  crossCheckReference,
  DEEP_ROWS,
  EXACT_OWNERS,
  forwardPager,
  type ListingOwner,
  MAX_LIMIT,
  PATH,
  type Page,
  type Reference,
  type RowView,
  readPage,
  second,
  splitAtAnchor,
  type SeenPage,
  uses,
  type Walk,
  WHOLE_LISTING_OWNERS,
} from './pager';

export class BpContext extends ReferenceContext<Reference, ListingOwner, SeenPage> {
  protected readonly path = PATH;
  protected readonly rowNoun = 'runs';

  constructor(
    http: HttpClient,
    settings: RunSettings,
    /**
     * The walks whose every page the page rules inspect (compare.ts's everyWalk), handed in by the module so
     * the rules' vocabulary builds on this context and this context does not import it back.
     */
    private readonly walks: (ctx: BpContext, ref: Reference) => Promise<SeenPage[]>,
  ) {
    super(http, settings);
  }
  /** Without a declared use, a rule is blocked by every finding about the listing as a whole. */
  protected readonly trustOwners = uses();
  /** Statuses re-read during the run (runs move queued → running → finished): runId → latest status. */
  private readonly statusNow = new Map<string, unknown>();
  /** Statuses as the reference walk saw them, so a row read from any page is judged by what the suite expected. */
  private readonly statusThen = new Map<string, unknown>();

  /** The page size the suite's own probes use: 50, unless the target refuses the documented maximum. */
  pageMax = MAX_LIMIT;

  /** Each account's runs as every answer so far listed them: the audit's memory. */
  private readonly runsSeen = new RunsSeen();
  /** The reference once built and validated (the audit compares answers with it). */
  private built: Reference | undefined;

  /**
   * Runs change status while the suite runs: a difference confined to runs whose membership depends on their status
   * is settled by re-reading those statuses; any other difference stands. Re-judging the answer already read
   * against the statuses just re-read costs no request (the HTTP cache holds it).
   */
  protected readonly drift: DriftProbe<undefined> = {
    before: async () => undefined,
    changes: async (_before, failure) => {
      if (!(failure instanceof RowsViolation) || !failure.concerned.length) return undefined;
      const moved = await this.refreshStatus(failure.concerned as readonly RowView[]);
      return moved.map((m) => `${m} during the run (re-read)`);
    },
    rejudge: true,
  };

  protected override auditResponse(ex: Exchange): AuditNote[] {
    return auditRunsAnswer(ex, this.runsSeen);
  }

  protected override async auditAgainstRun(pending: readonly Exchange[]): Promise<Exchange[]> {
    for (const note of this.runsSeen.sightings.leaks('run')) this.auditFinding(note);
    const ref = this.built;
    if (!ref) return [...pending];
    // a reference a defect made untrustworthy predicts nothing; its owner reports the defect
    if (EXACT_OWNERS.some((o) => this.findings.has(o))) return [];
    for (const ex of pending) {
      const note = auditAgainstReference(ex, ref);
      if (note) this.auditFinding(note);
    }
    return [];
  }

  protected rowCount(ref: Reference): number {
    return ref.rows.length;
  }

  /** Every page of every walk (compare.ts), less backward pages known to be wrong: their owner reports those once. */
  protected async everyPage(): Promise<SeenPage[]> {
    const pages = await this.walks(this, await this.reference());
    return pages.filter((p) => p.direction !== 'backward' || this.backwardUsable);
  }

  protected override coverageFor(owner: ListingOwner): string | undefined {
    return WHOLE_LISTING_OWNERS.includes(owner) ? this.listingCoverage() : undefined;
  }

  /** A 200 page read leniently: shape deviations are other rules' findings, but rows need id and time. */
  async page(query: Query, opts: { fresh?: boolean } = {}): Promise<Page> {
    if (this.pageMax < MAX_LIMIT && Number(query.limit) === MAX_LIMIT)
      throw new Blocked(
        ['BP-LIMIT-MAX'],
        'the target refuses limit=50, the documented maximum; this check pages at it',
      );
    const ex = await this.get(query, opts);
    return readPage(ex, query);
  }

  /** Forward walk by `startingAfter` (last row's runId) until hasMore is false or `maxRows`. */
  async walk(
    query: Query,
    limit: number,
    maxRows = this.settings.walkMaxRows,
    opts: { fresh?: boolean } = {},
  ): Promise<Walk> {
    const first = await this.page({ ...query, limit }, opts);
    const w = await walkPages(
      forwardPager((q) => this.page(q, opts), query, limit),
      first,
      { maxRows },
    );
    // a repeat means the walk loops; it stops there, the repeat last, and the walk rules report the duplicate
    return { rows: w.repeated ? [...w.rows, w.repeated] : w.rows, pages: w.pages, complete: w.complete };
  }

  /** The unfiltered listing at the largest page size, validated and cross-checked once per run. */
  reference(): Promise<Reference> {
    return this.memo('reference', async () => {
      const ref = await this.walked();
      try {
        await crossCheckReference(this, ref, (owner, detail) => this.addFinding(owner, detail));
      } catch (e) {
        // a cross-check probe the target refused (a 4xx/5xx for until, status or since): the rules for those
        // parameters report it; the walk itself stays usable
        if (!(e instanceof Violation)) throw e;
      }
      // say whether the tie rules had ties to work on: without them a tie bug cannot show
      const ties = ref.rows.filter(
        (r, i) => ref.rows[i - 1]?.createdAt === r.createdAt || ref.rows[i + 1]?.createdAt === r.createdAt,
      ).length;
      this.observe(
        'BP-GAP-TIE-ORDER',
        `${ties} of the ${ref.rows.length} runs walked share an exact createdAt with a neighbour${ref.complete ? '' : ' (walk capped)'}`,
      );
      this.built = ref;
      return ref;
    });
  }

  /** The same walk before validation: for the rules that judge each page or row on its own (shape, field types). */
  walked(): Promise<Reference> {
    return this.memo('walked', async () => {
      const ref = splitAtAnchor(await this.walkAtMax());
      this.walkedRef = ref;
      for (const r of [...ref.head, ...ref.rows]) this.statusThen.set(r.runId, r.runStatus);
      const head = ref.rows[0] ?? ref.head[0];
      if (ref.anchor !== undefined && head)
        this.observe(
          'BP-GAP-CREATION-CLOCK',
          `newest run ${Math.max(0, Math.floor(Date.now() / 1000) - second(head))} s before the suite clock → comparisons use runs created before ${new Date(ref.anchor * 1000).toISOString()} (${ref.head.length} newer runs left out)`,
        );
      return ref;
    });
  }

  /** The reference walk at limit 50; if the target refuses 50 (BP-LIMIT-MAX reports it), at 25, so other rules keep running. */
  private async walkAtMax(): Promise<Walk> {
    const first = await this.get({ limit: MAX_LIMIT });
    if (first.status === 400 || first.status === 422) this.pageMax = 25;
    return this.walk({}, this.pageMax, this.walkCap());
  }

  /** The walk cap: the configured one, or in the deep profile enough for a large account end to end. */
  walkCap(): number {
    return this.settings.depth === 'deep' ? Math.max(this.settings.walkMaxRows, DEEP_ROWS) : this.settings.walkMaxRows;
  }

  /** The walked reference once built, for coverage notes (a rule reads it before it reports a finding). */
  private walkedRef: Reference | undefined;

  /**
   * What a rule over the whole listing covered, for its verdict: nothing when an ordinary run walked it all; the
   * cost when the deep profile did; otherwise how far the walk went, the runs `older` reached below it, what to run.
   */
  listingCoverage(older?: { runs: number; windows: number }): string | undefined {
    const ref = this.walkedRef;
    if (!ref) return undefined;
    const n = (ref.rows.length + ref.head.length).toLocaleString('en');
    const deep = this.settings.depth === 'deep';
    if (ref.complete) return deep ? `read ${n} of ${n} runs in ${ref.pages.length} requests` : undefined;
    const below = older?.runs
      ? ` and ${older.runs.toLocaleString('en')} older runs in ${older.windows} until windows`
      : '';
    const rest = deep
      ? `the deep profile stops at ${this.walkCap().toLocaleString('en')}`
      : 'run CONFORMANCE_DEPTH=deep for the rest';
    return `checked over the newest ${n} runs${below}; ${rest}`;
  }

  /** Throws {@link Blocked} when endingBefore pages are known to be wrong (the owner reports how), for checks that page backward. */
  needBackward(): void {
    this.expectTrusted(BACKWARD_OWNERS, 'endingBefore pages are wrong (see the owner); this check pages backward');
  }

  /** Whether endingBefore pages can be inspected (no backward defect found while building the reference). */
  get backwardUsable(): boolean {
    return !BACKWARD_OWNERS.some((o) => this.findings.has(o));
  }

  /** Throws {@link Blocked} when until windows cannot be trusted (the until rule owns that). */
  needUntil(): void {
    this.expectTrusted(['BP-UNTIL-EXCLUSIVE'], "until windows are this check's oracle");
  }

  /** The status a run has now, as far as the suite knows (re-reads override the reference). */
  statusOf(r: RowView): unknown {
    if (this.statusNow.has(r.runId)) return this.statusNow.get(r.runId);
    return this.statusThen.has(r.runId) ? this.statusThen.get(r.runId) : r.runStatus;
  }

  /**
   * Re-reads the current status of `rows` (fresh) and returns the runs whose status moved since the suite last
   * knew it. One `since/until` window spanning them all when it fits in a page (it refreshes every run between
   * them too), else one `since=s&until=s+1` window per second.
   */
  async refreshStatus(rows: readonly RowView[]): Promise<string[]> {
    const seconds = [...new Set(rows.map(second))].filter(Number.isFinite).sort((x, y) => x - y);
    const first = seconds[0];
    const last = seconds.at(-1);
    if (first === undefined || last === undefined) return [];
    const moved: string[] = [];
    const learn = (page: Page) => {
      for (const r of page.rows) {
        const before = this.statusOf(rows.find((x) => x.runId === r.runId) ?? r);
        if (before !== r.runStatus) moved.push(`run ${r.runId} ${json(before)} → ${json(r.runStatus)}`);
        this.statusNow.set(r.runId, r.runStatus);
      }
    };
    const span = await this.page({ since: first, until: last + 1, limit: this.pageMax }, { fresh: true });
    if (!span.hasMore) {
      learn(span);
      return moved;
    }
    for (const s of seconds.slice(0, 12))
      learn(await this.page({ since: s, until: s + 1, limit: this.pageMax }, { fresh: true }));
    return moved;
  }
}
