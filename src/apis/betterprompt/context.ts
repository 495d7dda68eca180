/**
 * BetterPrompt checks' shared view of the target: pages, walks, and the reference listing, which is
 * checked before it is trusted and pinned to a stable window so runs created during the suite do not move it.
 */
import { type AuditNote, notJson } from '../../shared/audit';
import { BaseContext } from '../../shared/context';
import { json } from '../../shared/expect';
import type { Exchange, Query } from '../../shared/http';
import { Blocked, brief, expectThat, Inconclusive, Skip, Violation, type ViolationDetail } from '../../shared/rule';
import { firstDuplicate } from '../../shared/sequence';
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { auditAgainstReference, auditRunsAnswer, RunsSeen } from './audit';

/** The minimum every relation needs from a row; full shape is BP-ROW-SCHEMA's business. */
export interface RowView {
  runId: string;
  createdAt: string;
  /** createdAt in ms (NaN when unreadable: BP-ROW-CREATED-AT reports it, time rules are blocked). */
  ms: number;
  runStatus: unknown;
  raw: Record<string, unknown>;
}

export interface Page {
  ex: Exchange;
  rows: RowView[];
  hasMore: boolean;
  query: Query;
}

export interface Walk {
  rows: RowView[];
  pages: Page[];
  /** A page said hasMore false; otherwise the walk stopped at the row cap. */
  complete: boolean;
}

/**
 * The listing the relations compare against. `rows` holds only runs created before `anchor` (whole
 * seconds): runs created while the suite runs are newer, so they never enter a comparison.
 */
export interface Reference extends Walk {
  /** Exclusive upper bound (unix seconds) of the stable window; undefined when createdAt is unreadable. */
  anchor: number | undefined;
  /** Runs walked at or after the anchor (created during the run, or in its first second). */
  head: RowView[];
}

export const PATH = '/runs';
export const MAX_LIMIT = 50;
/** A run's createdAt second within this many seconds of our clock means the account is live: its second may still grow. */
const LIVE_SKEW_S = 120;
/** Owner rules of defects found while building the reference; the rules that need the listing are blocked by them. */
export type ListingOwner =
  | 'BP-WALK-FORWARD'
  | 'BP-ORDER-NEWEST-FIRST'
  | 'BP-HASMORE'
  | 'BP-UNTIL-EXCLUSIVE'
  | 'BP-ROW-CREATED-AT'
  | 'BP-ROW-STATUS'
  | 'BP-DETERMINISTIC'
  | 'BP-STATUS-FILTER'
  | 'BP-SINCE-INCLUSIVE'
  | 'BP-CURSOR-BEFORE'
  | 'BP-WALK-BACKWARD'
  | 'BP-HASMORE-FULL';
/** Findings that concern one parameter or field: only the rules that use it are blocked. */
const PARAMETER_OWNERS: readonly ListingOwner[] = [
  'BP-UNTIL-EXCLUSIVE',
  'BP-ROW-STATUS',
  'BP-STATUS-FILTER',
  'BP-SINCE-INCLUSIVE',
  'BP-CURSOR-BEFORE',
  'BP-WALK-BACKWARD',
  'BP-HASMORE-FULL',
];
const BACKWARD_OWNERS: readonly ListingOwner[] = ['BP-CURSOR-BEFORE', 'BP-WALK-BACKWARD'];
/** Findings after which the reference predicts no page exactly (the audit then compares nothing with it). */
const TRUST_OWNERS: readonly ListingOwner[] = [
  'BP-WALK-FORWARD',
  'BP-ORDER-NEWEST-FIRST',
  'BP-HASMORE',
  'BP-ROW-CREATED-AT',
  'BP-DETERMINISTIC',
  'BP-UNTIL-EXCLUSIVE',
];
/** Owners whose statement covers the whole listing: their verdict says how much of it the run walked. */
const WHOLE_LISTING_OWNERS: readonly ListingOwner[] = [
  'BP-WALK-FORWARD',
  'BP-HASMORE',
  'BP-ORDER-NEWEST-FIRST',
  'BP-HASMORE-FULL',
];
/** Walks under the deep profile reach this many runs: a large account end to end. */
export const DEEP_ROWS = 20_000;

export class BpContext extends BaseContext {
  protected readonly path = PATH;
  /** Owner rule → the defect the reference build found (reported once, by that rule). */
  readonly findings = new Map<ListingOwner, ViolationDetail>();
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

  protected override auditResponse(ex: Exchange): AuditNote[] {
    return auditRunsAnswer(ex, this.runsSeen);
  }

  protected override async auditAgainstRun(pending: readonly Exchange[]): Promise<Exchange[]> {
    for (const note of this.runsSeen.sightings.leaks('run')) this.auditFinding(note);
    const ref = this.built;
    if (!ref) return [...pending];
    // a reference a defect made untrustworthy predicts nothing; its owner reports the defect
    if (TRUST_OWNERS.some((o) => this.findings.has(o))) return [];
    for (const ex of pending) {
      const note = auditAgainstReference(ex, ref);
      if (note) this.auditFinding(note);
    }
    return [];
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
    const pages: Page[] = [];
    const rows: RowView[] = [];
    const ids = new Set<string>();
    let q: Query = { ...query, limit };
    for (;;) {
      const page = await this.page(q, opts);
      pages.push(page);
      for (const r of page.rows) {
        // a repeat means the walk loops; stop here and let the walk rules report the duplicate
        if (ids.has(r.runId)) return { rows: [...rows, r], pages, complete: false };
        ids.add(r.runId);
        rows.push(r);
      }
      const last = page.rows.at(-1);
      if (!page.hasMore || !last) return { rows, pages, complete: !page.hasMore };
      if (rows.length >= maxRows) return { rows, pages, complete: false };
      q = { ...query, limit, startingAfter: last.runId };
    }
  }

  /** The unfiltered listing at the largest page size, validated and cross-checked once per run. */
  reference(): Promise<Reference> {
    return this.memo('reference', async () => {
      const ref = await this.walked();
      try {
        await this.validate(ref);
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

  /**
   * The reference for a rule that compares against it: blocked when its build found a defect that makes
   * it untrustworthy (the owner rule reports that defect), skipped when the target has too little data.
   */
  async listing(
    minRows: number,
    why: string,
    needs: { time?: boolean; status?: boolean; since?: boolean } = {},
  ): Promise<Reference> {
    const ref = await this.reference();
    const used = (o: ListingOwner) =>
      !PARAMETER_OWNERS.includes(o)
        ? needs.time !== false || o !== 'BP-ROW-CREATED-AT'
        : o === 'BP-ROW-STATUS' || o === 'BP-STATUS-FILTER' || o === 'BP-HASMORE-FULL'
          ? needs.status === true
          : o === 'BP-SINCE-INCLUSIVE'
            ? needs.since === true
            : false;
    const owners = [...this.findings.keys()].filter(used);
    if (owners.length)
      throw new Blocked(
        owners,
        `the reference listing is not trustworthy (${owners.join(', ')} found a defect); ${why} compares against it`,
      );
    if (ref.rows.length < minRows) throw new Skip(`target holds ${ref.rows.length} runs; ${why} needs ${minRows}`);
    return ref;
  }

  /** Throws the defect the reference build found for `owner`, if any: the owner rule reports it once. */
  reportFinding(owner: ListingOwner): void {
    const note = WHOLE_LISTING_OWNERS.includes(owner) ? this.listingCoverage() : undefined;
    if (note !== undefined) this.noteCoverage(note);
    const f = this.findings.get(owner);
    if (f) throw new Violation(f);
  }

  /** Throws {@link Blocked} when endingBefore pages are known to be wrong (the owner reports how), for checks that page backward. */
  needBackward(): void {
    const owners = BACKWARD_OWNERS.filter((o) => this.findings.has(o));
    if (owners.length)
      throw new Blocked(owners, 'endingBefore pages are wrong (see the owner); this check pages backward');
  }

  /** Whether endingBefore pages can be inspected (no backward defect found while building the reference). */
  get backwardUsable(): boolean {
    return !BACKWARD_OWNERS.some((o) => this.findings.has(o));
  }

  /** Throws {@link Blocked} when until windows cannot be trusted (the until rule owns that). */
  needUntil(): void {
    if (this.findings.has('BP-UNTIL-EXCLUSIVE'))
      throw new Blocked(
        ['BP-UNTIL-EXCLUSIVE'],
        'until windows return runs outside the window; this check uses them as its oracle',
      );
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

  /**
   * Runs `attempt` (which compares a listing with what the reference and the known statuses predict) and,
   * when it differs only in runs whose membership depends on their status, re-reads those statuses and
   * tries once more, fresh. A difference the re-read explains is drift (noted); one it does not is a fault.
   */
  async settle(attempt: (fresh: boolean) => Promise<{ diff?: ViolationDetail; concerned: RowView[] }>): Promise<void> {
    let result = await attempt(false);
    let fresh = false;
    for (let round = 0; result.diff; round++) {
      if (!result.concerned.length) throw new Violation(result.diff);
      const moved = await this.refreshStatus(result.concerned);
      // the statuses the comparison assumed are the current ones: the listing is wrong, not the data
      // (a cached answer may predate a change the suite already knows of: that one is asked again, fresh)
      if (!moved.length && fresh) throw new Violation(result.diff);
      for (const m of moved) this.noteDrift(`${m} during the run (re-read)`);
      if (round === 3)
        throw new Inconclusive(
          `run statuses kept changing while the filtered listing was compared (${moved.slice(0, 2).join('; ')})`,
        );
      // the answer already read, judged against the statuses just re-read, costs no request (the HTTP cache holds
      // it); only when it still differs is the listing read again
      if (moved.length && !(await attempt(false)).diff) return;
      result = await attempt(true);
      fresh = true;
    }
  }

  /** Validates the walked reference, recording each defect under its owner rule. */
  private async validate(ref: Reference): Promise<void> {
    const all = [...ref.head, ...ref.rows];
    const last = ref.pages.at(-1) as Page;
    const unreadable = all.find((r) => Number.isNaN(r.ms));
    if (unreadable) {
      this.findings.set('BP-ROW-CREATED-AT', {
        expected: 'createdAt an ISO 8601 date-time on every run',
        actual: `createdAt ${json(unreadable.raw.createdAt)} on run ${unreadable.runId}`,
        exchange: last.ex,
      });
    }
    const first = ref.pages[0];
    if (first && first.rows.length > 1) {
      // the same first page again: a tie order that changes between identical requests makes every comparison noise
      const again = await this.page(first.query, { fresh: true });
      const same = new Set(ids(first.rows));
      if (
        again.rows.length === first.rows.length &&
        again.rows.every((r) => same.has(r.runId)) &&
        ids(again.rows).join() !== ids(first.rows).join()
      ) {
        const k = again.rows.findIndex((r, i) => r.runId !== first.rows[i]?.runId);
        this.findings.set('BP-DETERMINISTIC', {
          expected: 'an identical request to list the same runs in the same order',
          actual: `position ${k} holds ${show(again.rows[k])} the second time, ${show(first.rows[k])} the first`,
          exchange: again.ex,
        });
        return;
      }
    }
    const badStatus = all.find((r) => !(runStatusValues as readonly unknown[]).includes(r.runStatus));
    if (badStatus)
      this.findings.set('BP-ROW-STATUS', {
        expected: `runStatus in ${runStatusValues.join('|')}`,
        actual: `runStatus ${json(badStatus.runStatus)} on run ${badStatus.runId}`,
        exchange: last.ex,
      });
    const dup = firstDuplicate(all.map((r) => r.runId));
    if (dup !== undefined) {
      const ex = ref.pages.find((p) => p.rows.some((r) => r.runId === dup))?.ex;
      this.findings.set('BP-WALK-FORWARD', {
        expected: 'each run once in the walk by startingAfter at limit 50',
        actual: `run ${dup} seen twice (createdAt ${all.find((r) => r.runId === dup)?.createdAt})`,
        exchange: last.ex === ex ? ex : last.ex,
      });
      return;
    }
    if (unreadable) return;
    const k = all.findIndex((r, i) => i > 0 && r.ms > (all[i - 1] as RowView).ms);
    if (k !== -1) {
      const ex = ref.pages.find((p) => p.rows.includes(all[k] as RowView))?.ex;
      this.findings.set('BP-ORDER-NEWEST-FIRST', {
        expected: 'createdAt non-increasing along the walk',
        actual: `position ${k} (${show(all[k])}) is newer than position ${k - 1} (${show(all[k - 1])})`,
        exchange: ex,
      });
      return;
    }
    await this.crossCheck(ref);
    await this.probeFilters(ref);
    await this.probeBackward(ref);
  }

  /**
   * One endingBefore page beside one startingAfter page at the same limit: a backward page that is not the
   * limit runs just newer than its cursor is a backward defect (the cursor row repeated: the backward walk's;
   * otherwise endingBefore's), unless forward pages break the limit the same way (BP-LIMIT-BOUND's).
   */
  private async probeBackward(ref: Reference): Promise<void> {
    const rows = ref.rows;
    const j = 12;
    const limit = 5;
    const cursor = rows[j];
    if (!cursor || !rows[0]) return;
    const back = await this.page({ endingBefore: cursor.runId, limit });
    const fwd = await this.page({ startingAfter: rows[0].runId, limit });
    const shown =
      back.rows.length > limit && fwd.rows.length > limit ? back.rows.slice(back.rows.length - limit) : back.rows;
    const want = rows.slice(j - limit, j);
    if (ids(shown).join() === ids(want).join()) return;
    const owner = shown.some((r) => r.runId === cursor.runId) ? 'BP-WALK-BACKWARD' : 'BP-CURSOR-BEFORE';
    this.findings.set(owner, {
      expected: `endingBefore ${cursor.runId} (${cursor.createdAt}) at limit ${limit}: the ${limit} runs just newer, newest first ${idsWithTimes(want, 5)}`,
      actual: `${owner === 'BP-WALK-BACKWARD' ? 'the cursor run itself is on the page, so a backward walk repeats a run per page; ' : ''}got ${idsWithTimes(back.rows, 6)}`,
      exchange: back.ex,
    });
  }

  /** One request per filter the comparisons lean on: a filter that does not filter is its own rule's finding. */
  private async probeFilters(ref: Reference): Promise<void> {
    const rows = ref.rows;
    const sample = rows.slice(0, MAX_LIMIT);
    const status = ['succeeded', 'failed', 'queued', 'running'].find(
      (s) => sample.some((r) => r.runStatus === s) && sample.some((r) => r.runStatus !== s),
    );
    if (status && !this.findings.has('BP-ROW-STATUS')) {
      const p = await this.page({ status, limit: this.pageMax });
      const bad = p.rows.find((r) => r.runStatus !== status);
      if (bad)
        this.findings.set('BP-STATUS-FILTER', {
          expected: `every row runStatus ${json(status)}`,
          actual: `run ${bad.runId} has runStatus ${json(bad.runStatus)}`,
          exchange: p.ex,
        });
      // a filtered page that is short yet says more follow: filtered listings cannot be compared page by page
      else if (p.hasMore && p.rows.length < this.pageMax)
        this.findings.set('BP-HASMORE-FULL', {
          expected: `${this.pageMax} rows on a page with hasMore true (status=${status})`,
          actual: `${p.rows.length} rows`,
          exchange: p.ex,
        });
    }
    // the first run of a second, so "at or after" and "after" differ on it
    const k = rows.findIndex(
      (r, i) => i > 0 && second(r) !== second(rows[i - 1] as RowView) && second(r) === second(rows[i + 1] ?? r),
    );
    const row = rows[k === -1 ? Math.min(rows.length - 1, 10) : k];
    if (!row) return;
    const since = second(row);
    const p = await this.page({ since, limit: this.pageMax });
    const early = p.rows.find((r) => second(r) < since);
    const included = p.rows.some((r) => r.runId === row.runId) || p.rows.length === this.pageMax;
    if (early || !included)
      this.findings.set('BP-SINCE-INCLUSIVE', {
        expected: `runs created at or after ${since}, run ${row.runId} (${row.createdAt}) among them`,
        actual: early ? `run ${early.runId} created ${early.createdAt}` : `run ${row.runId} absent`,
        exchange: p.ex,
      });
  }

  /**
   * The independent path: an `until` window selects rows without any cursor. At each page boundary the
   * window ending at the boundary's second must hold the same runs, second by second, as the walk.
   */
  private async crossCheck(ref: Reference): Promise<void> {
    const rows = ref.rows;
    const pos = new Map(rows.map((r, i) => [r.runId, i]));
    const all = ref.pages
      .slice(0, -1)
      .map((p) => p.rows.at(-1))
      .filter((r): r is RowView => r !== undefined && pos.has(r.runId));
    // at most 20 boundaries, spread evenly: the deep profile's longer walk costs no more cross-checks
    const step = Math.max(1, Math.ceil(all.length / 20));
    const boundaries = all.filter((_, i) => i % step === 0);
    for (const b of boundaries) {
      const until = second(b) + 1;
      const w = await this.page({ until, limit: this.pageMax });
      if (this.untilLeak(w, until)) return;
      const from = rows.findIndex((r) => second(r) === second(b));
      const gap = secondsDiffer(rows.slice(from), ref.complete, w);
      if (gap) {
        this.findings.set('BP-WALK-FORWARD', {
          expected: `the walk by startingAfter and the window until=${until} to hold the same runs for each second`,
          actual: `${gap}; the cursor after run ${b.runId} (${b.createdAt}) skipped or repeated runs`,
          exchange: w.ex,
        });
        return;
      }
    }
    const tail = rows.at(-1);
    if (!ref.complete || !tail) return;
    // the walk ended: nothing may be older than its last row's second
    const until = second(tail);
    const w = await this.page({ until, limit: 1 });
    if (this.untilLeak(w, until)) return;
    const older = w.rows[0];
    if (older && !pos.has(older.runId)) {
      ref.complete = false;
      this.findings.set('BP-HASMORE', {
        expected: `hasMore true on the walk's last page: until=${until} shows older runs`,
        actual: `the walk ended with hasMore false after ${rows.length} runs, but run ${older.runId} (${older.createdAt}) is older than its last run ${tail.runId} (${tail.createdAt})`,
        exchange: (ref.pages.at(-1) as Page).ex,
      });
    }
  }

  /** Records an until defect (runs at or after `until` in the window); the window is then not used as an oracle. */
  private untilLeak(w: Page, until: number): boolean {
    const bad = w.rows.find((r) => second(r) >= until);
    if (bad)
      this.findings.set('BP-UNTIL-EXCLUSIVE', {
        expected: `only runs created before ${until}`,
        actual: `run ${bad.runId} created ${bad.createdAt}`,
        exchange: w.ex,
      });
    return bad !== undefined;
  }
}

/** Splits a walk at the stable anchor: rows created in or after the anchor second are the head. */
function splitAtAnchor(walk: Walk): Reference {
  const newest = walk.rows[0];
  if (!newest || Number.isNaN(newest.ms) || walk.rows.some((r) => Number.isNaN(r.ms)))
    return { ...walk, anchor: undefined, head: [] };
  const nowS = Math.floor(Date.now() / 1000);
  // a recent newest second may still receive runs; an old one cannot, since new runs are created "now"
  const anchor = second(newest) >= nowS - LIVE_SKEW_S ? second(newest) : second(newest) + 1;
  const cut = walk.rows.findIndex((r) => second(r) < anchor);
  const at = cut === -1 ? walk.rows.length : cut;
  return { ...walk, rows: walk.rows.slice(at), head: walk.rows.slice(0, at), anchor };
}

/**
 * Compares a window (which starts at the first run of a second) with the walk's rows from that second on,
 * as sets per second (tie order is BP-DETERMINISTIC's business). Only seconds both cover fully are compared.
 */
function secondsDiffer(walked: readonly RowView[], walkComplete: boolean, w: Page): string | undefined {
  const bySecond = (rows: readonly RowView[]) => {
    const m = new Map<number, string[]>();
    for (const r of rows) m.set(second(r), [...(m.get(second(r)) ?? []), r.runId]);
    return m;
  };
  const a = bySecond(walked);
  const b = bySecond(w.rows);
  const lastA = walked.at(-1);
  const lastB = w.rows.at(-1);
  // a second cut by the window's page end or by the end of a capped walk is not fully seen by both
  const cut = (s: number) =>
    (w.hasMore && (!lastB || s <= second(lastB))) || (!walkComplete && (!lastA || s <= second(lastA)));
  for (const s of new Set([...a.keys(), ...b.keys()])) {
    if (cut(s)) continue;
    const mine = a.get(s) ?? [];
    const theirs = b.get(s) ?? [];
    const missing = theirs.find((id) => !mine.includes(id));
    if (missing) return `second ${s}: the window holds ${missing}, the walk does not`;
    const extra = mine.find((id) => !theirs.includes(id));
    if (extra) return `second ${s}: the walk holds ${extra}, the window does not`;
  }
  return undefined;
}

function show(r: RowView | undefined): string {
  return r ? `${r.runId} ${r.createdAt}` : 'none';
}

export function readPage(ex: Exchange, query: Query): Page {
  // a body that is not JSON is one finding (BP-RESP-JSON's, with where parsing stopped); every reader is blocked by it
  if (ex.status === 200 && !ex.isJson)
    throw new Blocked(['BP-RESP-JSON'], `a 200 page is not JSON (${notJson(ex)}); this check reads its runs`);
  expectThat(ex.status === 200, () => ({
    expected: '200 with a page of runs',
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
  const data = (ex.body as { data?: { rows?: unknown; hasMore?: unknown } } | undefined)?.data;
  // rows null on an empty page is BP-EMPTY-PAGE's finding; read it as no rows so other rules keep running
  if (data && data.rows === null) data.rows = [];
  expectThat(Array.isArray(data?.rows) && typeof data?.hasMore === 'boolean', () => ({
    expected: 'body.data.rows (array) and body.data.hasMore (boolean)',
    actual: brief(ex.text),
    exchange: ex,
  }));
  // lenient: a row-level defect (a field of the wrong type) is the owning field rule's finding, not every rule's
  const rows = (data.rows as unknown[]).map(rowView);
  return { ex, rows, hasMore: data.hasMore as boolean, query };
}

/** One row read leniently: what the relations need, with the raw object for the field rules. */
export function rowView(raw: unknown): RowView {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const createdAt = typeof r.createdAt === 'string' ? r.createdAt : '';
  return {
    runId: typeof r.runId === 'string' ? r.runId : json(r.runId),
    createdAt,
    ms: createdAt ? Date.parse(createdAt) : Number.NaN,
    runStatus: r.runStatus,
    raw: r,
  };
}

/** createdAt in whole unix seconds, the unit of since/until. */
export function second(row: RowView): number {
  return Math.floor(row.ms / 1000);
}

export function ids(rows: readonly RowView[]): string[] {
  return rows.map((r) => r.runId);
}

/** "id (createdAt)" for pagination messages: ties are the usual cause, so the time sits beside every id. */
export function idsWithTimes(rows: readonly RowView[], max = 6): string {
  const shown = rows.slice(0, max).map((r) => `${r.runId} (${r.createdAt})`);
  return `[${shown.join(', ')}${rows.length > max ? `, … ${rows.length - max} more` : ''}]`;
}
