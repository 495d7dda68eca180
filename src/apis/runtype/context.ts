/**
 * Runtype checks' shared view of the target: pages, walks, how cursors are followed, every page read, and the
 * reference listing (src/shared/reference). How a page is read and how the walk is cross-checked is the pager's
 * (pager.ts).
 */
import type { AuditNote } from '../../shared/audit';
import type { RunSettings } from '../../shared/context';
import { pairwise } from '../../shared/covering';
import type { AuthMode, Exchange, HttpClient, Query } from '../../shared/http';
import { ChangedViolation, type DriftProbe } from '../../shared/reference/drift';
import { ReferenceContext } from '../../shared/reference/reference';
import { type WalkPager, walkPages } from '../../shared/reference/walk';
import { Blocked, brief } from '../../shared/rule';
import { sequenceDiff } from '../../shared/sequence';
import { auditAgainstReference, auditOrder, auditPromptsAnswer, PromptsSeen } from './audit';
import {
  type CursorMode,
  commonFilters,
  crossCheckReference,
  DEEP_ROWS,
  DEFAULT_LIMIT,
  type Filters,
  ids,
  type ListParams,
  listingChange,
  listQuery,
  MAX_LIMIT,
  matchesFilters,
  modeLabel,
  PATH,
  onlyCountWrong,
  type Page,
  type PromptView,
  pageOffsets,
  parsePage,
  type Reference,
  readPage,
  shiftedByNewPrompts,
  TRUST_OWNERS,
  type Walk,
} from './pager';
import { DEFAULT_RT_SETTINGS, type RtSettings } from './settings';

/** Fresh readings of the listing the deferred audit may ask for in a run (each a walk at limit 100). */
const AUDIT_REREADS = 2;

function refusedMax(): Blocked {
  return new Blocked(['RT-LIMIT-MAX'], 'the target refuses limit=100, the documented maximum; this check pages at it');
}

export class RtContext extends ReferenceContext<Reference, string, Page> {
  protected readonly path = PATH;
  protected readonly rowNoun = 'prompts';
  protected readonly trustOwners = TRUST_OWNERS;

  constructor(
    http: HttpClient,
    settings: RunSettings,
    readonly rt: RtSettings = DEFAULT_RT_SETTINGS,
  ) {
    super(http, settings);
  }

  /** Each key's prompts and users as every answer so far listed them: the audit's memory. */
  private readonly promptsSeen = new PromptsSeen();

  protected override auditResponse(ex: Exchange): AuditNote[] {
    return auditPromptsAnswer(ex, this.promptsSeen);
  }

  protected override async auditAgainstRun(pending: readonly Exchange[]): Promise<Exchange[]> {
    for (const note of this.promptsSeen.sightings.leaks('prompt')) this.auditFinding(note);
    const ref = this.built;
    // only a reference that is whole and passed its checks says which prompts a listing must hold
    if (!ref) return [...pending];
    // the order the walk showed binds every page, whether or not the listing was read whole
    for (const note of auditOrder(pending, ref.items)) this.auditFinding(note);
    if (!ref.complete || TRUST_OWNERS.some((o) => ref.findings.has(o))) return [];
    const first = auditAgainstReference(pending, ref.items, this.promptsSeen);
    let { waiting } = first;
    const notes = [...first.notes];
    // a prompt absent from a whole filtered listing and not listed since: the listing is read again, once for
    // all of them (its new epoch, as for any drift), so each one's state after the page is known — edited is
    // drift, unchanged is the fault. Bounded: pages still undecided wait for later readings.
    if (waiting.length && this.auditRereads < AUDIT_REREADS) {
      this.auditRereads++;
      this.epoch++;
      await this.walked();
      const again = auditAgainstReference(waiting, ref.items, this.promptsSeen);
      notes.push(...again.notes);
      waiting = again.waiting;
    }
    for (const note of notes) this.auditFinding(note);
    return waiting;
  }
  private auditRereads = 0;
  /** The first reference built this run, for the deferred audit (which sends no requests of its own). */
  private built: Reference | undefined;

  /** Every 200 page read this run — first, forward, backward, filtered or not — for the page-metadata rules. */
  readonly pagesRead: Page[] = [];
  private readonly pageSeen = new Set<Exchange>();

  /** Records a page for {@link pagesRead} (a cached answer, the same exchange, once). */
  record(page: Page): Page {
    if (!this.pageSeen.has(page.ex)) {
      this.pageSeen.add(page.ex);
      this.pagesRead.push(page);
    }
    return page;
  }

  /** Bumped when drift is seen: reads made before are re-sent instead of answered from the cache. */
  private epoch = 0;
  private readonly readAt = new Map<string, number>();

  /** Like {@link BaseContext.get}, but a request first sent before the listing was seen to change is sent again. */
  override async get(query: Query, opts: { auth?: AuthMode; fresh?: boolean } = {}): Promise<Exchange> {
    const key = JSON.stringify([query, opts.auth ?? 'key']);
    const stale = (this.readAt.get(key) ?? this.epoch) < this.epoch;
    this.readAt.set(key, this.epoch);
    return super.get(query, stale ? { ...opts, fresh: true } : opts);
  }

  /** Rows a walk may read: the walk cap, or under the deep profile enough to reach old data. */
  get maxRows(): number {
    return this.settings.depth === 'deep' ? Math.max(this.settings.walkMaxRows, DEEP_ROWS) : this.settings.walkMaxRows;
  }

  /** A 200 page read leniently: shape deviations are other rules' findings, but items need an id. */
  async page(params: ListParams, opts: { fresh?: boolean } = {}): Promise<Page> {
    const query = listQuery(params);
    const atMax = params.limit === MAX_LIMIT;
    if (atMax) this.expectMaxAccepted();
    const ex = await this.get(query, opts);
    if (atMax) this.expectMaxAnswered(ex);
    return this.record(readPage(ex, query));
  }

  /** Throws {@link Blocked} by RT-LIMIT-MAX once the target refused limit=100: the suite's probes page at it. */
  expectMaxAccepted(): void {
    if (this.maxRefused) throw refusedMax();
  }

  /** An answer to limit=100 that refuses it: RT-LIMIT-MAX reports that once; every check paging at 100 is blocked. */
  expectMaxAnswered(ex: Exchange): void {
    if (ex.status !== 400 && ex.status !== 422) return;
    this.maxRefused = true;
    throw refusedMax();
  }

  /** Set when the target refused limit=100: the suite's own probes page at the documented maximum. */
  private maxRefused = false;

  /**
   * Forward walk from the first page by nextCursor until hasMore is false, or `maxRows`. A prompt met again at a
   * page edge is skipped and excused only when totalCount grew since it was first seen (an offset cursor over a
   * listing that gained rows); otherwise the walk stops there with `duplicate`. A page that adds nothing while
   * saying hasMore stops it with `stalled`.
   */
  async walk(filters: Filters, limit: number | undefined, maxRows = this.settings.walkMaxRows): Promise<Walk> {
    const base: ListParams = { limit, ...filters };
    const maxPages = Math.ceil(maxRows / (limit ?? DEFAULT_LIMIT)) + 2;
    const pager: WalkPager<PromptView, Page> = {
      rows: (page) => page.items,
      id: (it) => it.id,
      next: (page) => {
        const next = page.info.nextCursor;
        if (page.info.hasMore !== true || typeof next !== 'string') return { complete: page.info.hasMore === false };
        return () => this.follow(page, base, next);
      },
      excuse: (it, firstOn, page, pages) => {
        const before = pages[firstOn]?.info.totalCount;
        const now = page.info.totalCount;
        if (before === undefined || now === undefined || now <= before) return false;
        this.observe(
          'RT-GAP-CURSOR',
          'a walk met a prompt again at a page edge while totalCount grew (an offset-based cursor over a listing that gained rows)',
        );
        this.noteDrift(`prompt ${it.id} listed again on page ${pages.length} while totalCount grew ${before} → ${now}`);
        return true;
      },
    };
    const w = await walkPages(pager, await this.page(base), { maxRows, maxPages });
    return {
      filters,
      limit,
      pages: w.pages,
      items: w.rows,
      complete: w.complete,
      excusedRepeats: w.excused,
      ...(w.repeated ? { duplicate: w.repeated.id } : {}),
      ...(w.stalled === undefined ? {} : { stalled: w.stalled }),
    };
  }

  /** One forward step; filters are re-sent with the cursor unless the target refuses that (RT-GAP-CURSOR). */
  private async follow(prev: Page, base: ListParams, cursor: string): Promise<Page> {
    const mode = await this.nextMode(prev, base, cursor);
    const query = listQuery({ ...base, cursor, ...mode });
    const ex = await this.get(query);
    const filtered = base.search !== undefined || base.model !== undefined || base.flowId !== undefined;
    if (filtered && ex.status >= 400 && ex.status < 500) {
      const bare = listQuery({ limit: base.limit, cursor, ...mode });
      const alone = await this.get(bare);
      if (alone.status === 200) {
        this.observe('RT-GAP-CURSOR', `filters re-sent with a cursor → ${ex.status}; the cursor alone was followed`);
        return this.record(readPage(alone, bare));
      }
    }
    return this.record(readPage(ex, query));
  }

  /**
   * How nextCursor is followed, settled on the first forward step of the run: alone, unless that
   * does not continue the listing and a configured direction value does (RT-GAP-DIRECTION).
   */
  private nextMode(prev: Page, base: ListParams, cursor: string): Promise<CursorMode> {
    return this.memo('next-mode', async () => {
      for (const mode of this.cursorModes()) {
        const ex = await this.get(listQuery({ ...base, cursor, ...mode }));
        const next = parsePage(ex, {});
        const continues =
          typeof next !== 'string' &&
          !next.items.some((it) => prev.items.some((p) => p.id === it.id)) &&
          (next.items.length > 0 || next.info.hasMore === false);
        if (continues) {
          this.observe('RT-GAP-CURSOR', `nextCursor followed ${modeLabel(mode)} continues the listing`);
          return mode;
        }
      }
      this.observe(
        'RT-GAP-CURSOR',
        'following nextCursor continued the listing neither alone nor with any configured direction value',
      );
      return {};
    });
  }

  /** The way of sending prevCursor that walked back last, else every way. */
  private backMode: CursorMode | undefined;
  backModes(): CursorMode[] {
    return this.backMode ? [this.backMode] : this.cursorModes();
  }

  /** prevCursor alone first (the documented parameter), then each configured direction value. */
  cursorModes(): CursorMode[] {
    return [{}, ...this.rt.directionValues.map((direction) => ({ direction }))];
  }

  /**
   * Follows prevCursor from the walk's last page back to its first with one way of sending it.
   * Returns the pages read and, when a page did not come back as the forward walk saw it, what differed.
   */
  async walkBack(
    walk: Walk,
    mode: CursorMode,
  ): Promise<{
    pages: Page[];
    failure?: { at: number; why: string; ex: Exchange | undefined; steady?: boolean; joined?: string };
  }> {
    let cur = walk.pages.at(-1) as Page;
    const pages: Page[] = [];
    for (let k = walk.pages.length - 2; k >= 0; k--) {
      const want = walk.pages[k] as Page;
      const cursor = cur.info.prevCursor;
      if (typeof cursor !== 'string')
        return {
          pages,
          failure: { at: k, why: `page ${k + 2} has prevCursor ${brief(cursor ?? 'absent')}`, ex: cur.ex },
        };
      let query = listQuery({ limit: walk.limit, ...walk.filters, cursor, ...mode });
      let ex = await this.get(query);
      if (ex.status >= 400 && ex.status < 500 && Object.values(walk.filters).some((v) => v !== undefined)) {
        // as forward: a target may refuse filters re-sent beside a cursor that carries them (RT-GAP-CURSOR)
        query = listQuery({ limit: walk.limit, cursor, ...mode });
        ex = await this.get(query);
      }
      const page = parsePage(ex, query);
      if (typeof page === 'string') return { pages, failure: { at: k, why: page, ex } };
      pages.push(this.record(page));
      const diff = sequenceDiff(ids(want.items), ids(page.items));
      // no prompt arrived or left between reading page k, the page whose prevCursor was followed, and this one: the
      // count held, and no prompt is new to the walk
      const walked = new Set(ids(walk.items));
      // only unfiltered: an edit may move one prompt into a filter and another out while the filtered count holds
      const unfiltered = Object.values(walk.filters).every((v) => v === undefined);
      const steady =
        unfiltered &&
        want.info.totalCount === page.info.totalCount &&
        cur.info.totalCount === page.info.totalCount &&
        page.items.every((it) => walked.has(it.id));
      // a prompt the forward walk did not list that matches the filters joined the listing since (an edit, a new
      // prompt): evidence of change; one outside the filters is the filter's finding, not evidence
      const joined = page.items.find((it) => !walked.has(it.id) && matchesFilters(it, walk.filters) === undefined);
      if (diff !== undefined && !(await this.explainedByDrift(walk, k, page)))
        return {
          pages,
          failure: {
            at: k,
            why: `instead of page ${k + 1} [${brief(ids(want.items).join(','), 80)}]: ${diff}`,
            ex,
            steady,
            ...(joined ? { joined: joined.id } : {}),
          },
        };
      cur = page;
    }
    this.backMode = mode;
    return { pages };
  }

  /**
   * A page walked back that differs from the forward walk's page k is drift only when the count moved since and a
   * fresh reading of the listing holds exactly that page's prompts at page k's offset now.
   */
  private async explainedByDrift(walk: Walk, k: number, page: Page): Promise<boolean> {
    const want = walk.pages[k] as Page;
    if (page.info.totalCount === want.info.totalCount) return false;
    // prompts added above an offset page shift it by their number (the overlap is still judged)
    const d = shiftedByNewPrompts(want, page);
    if (d !== undefined) {
      this.noteDrift(
        `page ${k + 1} walked back is the forward page shifted by the ${d} prompt${d === 1 ? '' : 's'} added since (totalCount ${want.info.totalCount} → ${page.info.totalCount})`,
      );
      return true;
    }
    this.epoch++;
    const fresh = await this.memo(`listing-${this.epoch}-${JSON.stringify(walk.filters)}`, () =>
      this.walk(walk.filters, MAX_LIMIT, this.maxRows),
    );
    if (fresh.pages[0]?.info.totalCount !== page.info.totalCount) return false;
    const at = pageOffsets(walk)[k] ?? 0;
    const now = ids(fresh.items.slice(at, at + page.items.length));
    if (now.join() !== ids(page.items).join()) return false;
    this.noteDrift(
      `page ${k + 1} walked back differs from the forward walk; the listing grew ${want.info.totalCount} → ${page.info.totalCount} and holds it there now`,
    );
    return true;
  }

  /**
   * Walks covering, pairwise, each filter set × page size × the way a page is reached (forward by nextCursor,
   * backward by prevCursor all the way to the first page): the pages the page-metadata rules judge besides
   * those other rules read. At most `pages` pages forward each; run once.
   */
  walkPlan(filterSets: readonly Filters[], pages = 3): Promise<void> {
    return this.memo('walk-plan', async () => {
      const rows = pairwise(
        { filters: filterSets, size: ['small', 'large'] as const, way: ['forward', 'backward'] as const },
        { seed: this.settings.seed },
      );
      for (const { filters, size, way } of rows) {
        const first = parsePage(await this.get(listQuery({ limit: MAX_LIMIT, ...filters })), {});
        if (typeof first === 'string') continue; // a refused filter (unknown flow): RT-GAP-FLOW-IDS
        const count = Math.min(first.info.totalCount ?? first.items.length, this.settings.walkMaxRows);
        if (count < 2) continue;
        const limit = Math.max(1, Math.min(MAX_LIMIT, Math.ceil(count / (size === 'small' ? pages : 2))));
        const walk = await this.walk(filters, limit, limit * pages);
        if (way === 'backward')
          for (const mode of this.backModes()) if (!(await this.walkBack(walk, mode)).failure) break;
      }
    });
  }

  /** Whether a fresh reading of the listing (with `filters`) still holds the prompt: a skip is a fault only if it does. */
  async stillListed(id: string, filters: Filters): Promise<boolean> {
    this.epoch++;
    const now = await this.memo(`listing-${this.epoch}-${JSON.stringify(filters)}`, () =>
      this.walk(filters, MAX_LIMIT, this.maxRows),
    );
    return now.items.some((it) => it.id === id);
  }

  /** The unfiltered listing at the largest page size, read fresh once per epoch: what drift is measured against. */
  walked(): Promise<Walk> {
    return this.memo(`listing-${this.epoch}`, () => this.walk({}, MAX_LIMIT, this.maxRows));
  }

  /**
   * The reference the relations compare against: the listing at limit 100, checked before it is trusted — no
   * prompt twice, no stalled page, and the same prompts in the same order as a walk at a second page size, adding
   * up to totalCount. Each defect is a finding of the one rule that owns it ({@link trusted} blocks the others).
   */
  reference(): Promise<Reference> {
    return this.memo(`reference-${this.epoch}`, async () => {
      const walk = await this.walked();
      const check = await this.memo('reference-check', () =>
        crossCheckReference(this, walk, (owner, detail) => this.addFinding(owner, detail)),
      );
      const findings = this.findings;
      const ref: Reference = {
        ...walk,
        complete: walk.complete && findings.size === 0 ? true : walk.complete && onlyCountWrong(findings),
        findings,
        ...(check ? { check } : {}),
      };
      this.built ??= ref;
      return ref;
    });
  }

  /**
   * The listing changes when prompts are added, removed or edited: a failed comparison reads it again (fresh, a new
   * epoch), and what changed between the two readings is the drift that excuses another attempt.
   */
  protected readonly drift: DriftProbe<Walk> = {
    before: () => this.walked(),
    changes: async (before, failure) => {
      this.epoch++;
      const change = listingChange(before, await this.walked());
      // a filtered listing reaches prompts beyond the part of the listing read: its own readings are evidence too
      const seen = failure instanceof ChangedViolation ? [failure.evidence] : [];
      return change === undefined ? seen : [`${change}; compared again against a fresh reading`, ...seen];
    },
    rejudge: false,
  };

  protected rowCount(ref: Reference): number {
    return ref.items.length;
  }

  /**
   * Every page of every walk: runs the walk plan (each filter set × page size × forward/backward, pairwise), then
   * every page this run has read so far — first pages, cursor pages, pages reached by prevCursor, filtered or not.
   */
  protected async everyPage(): Promise<Page[]> {
    const ref = await this.reference();
    const c = commonFilters(ref.items, this.knownFlowIds(ref.items));
    const sets: Filters[] = [{}, ...(Object.entries(c) as [keyof Filters, string][]).map(([k, v]) => ({ [k]: v })), c];
    if (c.model !== undefined && c.search !== undefined) sets.push({ model: c.model, search: c.search });
    await this.walkPlan(sets);
    return [...this.pagesRead];
  }

  /** flowIds to filter by: those prompts expose, then those configured (RUNTYPE_FLOW_IDS). */
  knownFlowIds(items: readonly PromptView[]): string[] {
    return [...new Set([...items.map((it) => it.flowId).filter((f): f is string => !!f), ...this.rt.flowIds])];
  }
}
