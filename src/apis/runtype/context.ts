/** Runtype checks' shared view of the target: pages, walks, how cursors are followed, and every exchange seen. */
import { type AuditNote, notJson } from '../../shared/audit';
import { BaseContext, type RunSettings } from '../../shared/context';
import type { AuthMode, Exchange, HttpClient, Query } from '../../shared/http';
import { Blocked, brief, expectThat, Inconclusive, Skip, Violation } from '../../shared/rule';
import { pairwise } from '../../shared/covering';
import { json } from '../../shared/expect';
import { sequenceDiff } from '../../shared/sequence';
import { auditAgainstReference, auditPromptsAnswer, PromptsSeen } from './audit';
import { DEFAULT_RT_SETTINGS, type RtSettings } from './settings';

export const PATH = '/prompts';
/** "max 100" */
export const MAX_LIMIT = 100;
/** "default 50" */
export const DEFAULT_LIMIT = 50;
/** The second page size the reference is cross-checked at: divides neither 100 nor the usual data sizes. */
export const CHECK_LIMIT = 70;
/** Walks under the deep profile reach this many rows (old data beyond the default cap). */
export const DEEP_ROWS = 20_000;
/** Attempts a comparison gets while the listing keeps changing under it. */
const SETTLE_ATTEMPTS = 4;
/** Findings that make the reference no basis for exact expectations. */
const TRUST_OWNERS = ['RT-LIMIT-BOUND', 'RT-WALK-FORWARD', 'RT-PAGE-HASMORE', 'RT-WALK-TIES', 'RT-DETERMINISTIC'];

/** The minimum every relation needs from a prompt; full shape is RT-PROMPT-SCHEMA's business. */
export interface PromptView {
  id: string;
  name: string | undefined;
  text: string | undefined;
  model: string | undefined;
  /** Not in the documented shape; read when a target sends it (RT-GAP-FLOW-IDS). */
  flowId: string | undefined;
  userId: string | undefined;
  /** createdAt in ms (NaN when absent or unreadable). */
  ms: number;
  raw: Record<string, unknown>;
}

/** `pagination`, each field as sent when it has the documented JSON type, else undefined. */
export interface PageInfo {
  currentOffset: number | undefined;
  hasMore: boolean | undefined;
  hasPrev: boolean | undefined;
  limit: number | undefined;
  nextCursor: string | null | undefined;
  prevCursor: string | null | undefined;
  currentPage: number | undefined;
  totalCount: number | undefined;
  totalPages: number | undefined;
}

export interface Page {
  ex: Exchange;
  items: PromptView[];
  info: PageInfo;
  filtersApplied: unknown;
  query: Query;
}

export interface Filters {
  search?: string | undefined;
  model?: string | undefined;
  flowId?: string | undefined;
}

export interface ListParams extends Filters {
  limit?: number | string | undefined;
  cursor?: string | undefined;
  direction?: string | undefined;
}

/** How a cursor is sent: alone, or with a `direction` value (RT-GAP-DIRECTION). */
export interface CursorMode {
  direction?: string;
}

export interface Walk {
  filters: Filters;
  limit: number | undefined;
  pages: Page[];
  items: PromptView[];
  /** The last page said hasMore false; otherwise the walk stopped (row cap, missing cursor, repeat). */
  complete: boolean;
  /** An id met twice with no growth of totalCount to explain it: the walk stopped there. */
  duplicate?: string;
  /** Prompts met again at a page edge while totalCount grew (an offset cursor over a listing that gained rows). */
  excusedRepeats: number;
  /** A page that added nothing yet said hasMore true: the walk stopped there (no progress). */
  stalled?: number;
}

/**
 * A violation seen on pages whose totalCount held still from the read it is compared with to the read that
 * shows it: drift cannot explain it, so {@link RtContext.settled} reports it without re-reading.
 */
export class SteadyViolation extends Violation {}

/** A defect of the reference listing, reported by the one rule that owns it; dependants are blocked by it. */
export interface Finding {
  rule: string;
  expected: string;
  actual: string;
  ex: Exchange | undefined;
}

/** The listing the relations compare against, checked when built. */
export interface Reference extends Walk {
  /** By owner rule: what was wrong with the listing as walked. */
  findings: Map<string, Finding>;
  /** The walk at a second page size it was cross-checked with (first build only). */
  check?: Walk;
}

/** A query in one fixed key order, so equal requests hit the HTTP cache whichever rule builds them. */
export function listQuery(p: ListParams): Query {
  return {
    limit: p.limit,
    search: p.search,
    model: p.model,
    flowId: p.flowId,
    cursor: p.cursor,
    direction: p.direction,
  };
}

export function modeLabel(mode: CursorMode): string {
  return mode.direction === undefined ? 'alone' : `with direction=${mode.direction}`;
}

export class RtContext extends BaseContext {
  protected readonly path = PATH;

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
    if (!ref.complete || TRUST_OWNERS.some((o) => ref.findings.has(o))) return [];
    const { notes, waiting } = auditAgainstReference(pending, ref.items, this.promptsSeen, this.driftSeen);
    for (const note of notes) this.auditFinding(note);
    return waiting;
  }
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
    return this.record(readPage(await this.get(query, opts), query));
  }

  /**
   * Forward walk from the first page by nextCursor until hasMore is false, or `maxRows`. A prompt met again at a
   * page edge is skipped and excused only when totalCount grew since it was first seen (an offset cursor over a
   * listing that gained rows); otherwise the walk stops there with `duplicate`. A page that adds nothing while
   * saying hasMore stops it with `stalled`.
   */
  async walk(filters: Filters, limit: number | undefined, maxRows = this.settings.walkMaxRows): Promise<Walk> {
    const base: ListParams = { limit, ...filters };
    const maxPages = Math.ceil(maxRows / (limit ?? DEFAULT_LIMIT)) + 2;
    const pages: Page[] = [];
    const items: PromptView[] = [];
    const seenOn = new Map<string, number>();
    let excusedRepeats = 0;
    let page = await this.page(base);
    for (;;) {
      pages.push(page);
      const done = (complete: boolean, extra: { duplicate?: string; stalled?: number } = {}): Walk => ({
        filters,
        limit,
        pages,
        items,
        complete,
        excusedRepeats,
        ...extra,
      });
      let added = 0;
      for (const it of page.items) {
        const k = seenOn.get(it.id);
        if (k === undefined) {
          seenOn.set(it.id, pages.length - 1);
          items.push(it);
          added++;
          continue;
        }
        const before = pages[k]?.info.totalCount;
        const now = page.info.totalCount;
        if (before === undefined || now === undefined || now <= before) return done(false, { duplicate: it.id });
        excusedRepeats++;
        this.observe(
          'RT-GAP-CURSOR',
          'a walk met a prompt again at a page edge while totalCount grew (an offset-based cursor over a listing that gained rows)',
        );
        this.noteDrift(`prompt ${it.id} listed again on page ${pages.length} while totalCount grew ${before} → ${now}`);
      }
      const next = page.info.nextCursor;
      if (page.info.hasMore !== true || typeof next !== 'string') return done(page.info.hasMore === false);
      if (added === 0 && pages.length > 1) return done(false, { stalled: pages.length - 1 });
      if (items.length >= maxRows || pages.length >= maxPages) return done(false);
      page = await this.follow(page, base, next);
    }
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
  ): Promise<{ pages: Page[]; failure?: { at: number; why: string; ex: Exchange | undefined; steady?: boolean } }> {
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
      // no prompt arrived or left between reading page k, the page whose prevCursor was followed, and this one
      const steady = want.info.totalCount === page.info.totalCount && cur.info.totalCount === page.info.totalCount;
      if (diff !== undefined && !(await this.explainedByDrift(walk, k, page)))
        return {
          pages,
          failure: {
            at: k,
            why: `instead of page ${k + 1} [${brief(ids(want.items).join(','), 80)}]: ${diff}`,
            ex,
            steady,
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
  listing(): Promise<Walk> {
    return this.memo(`listing-${this.epoch}`, () => this.walk({}, MAX_LIMIT, this.maxRows));
  }

  /**
   * The reference the relations compare against: the listing at limit 100, checked before it is trusted — no
   * prompt twice, no stalled page, and the same prompts in the same order as a walk at a second page size, adding
   * up to totalCount. Each defect is a finding of the one rule that owns it ({@link trusted} blocks the others).
   */
  reference(): Promise<Reference> {
    return this.memo(`reference-${this.epoch}`, async () => {
      const walk = await this.listing();
      const first = this.memo('reference-check', () => this.crossCheck(walk));
      const { findings, check } = await first;
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

  /** Validates the first listing against a walk at {@link CHECK_LIMIT}; a second read settles drift once. */
  private async crossCheck(walk: Walk): Promise<{ findings: Map<string, Finding>; check?: Walk }> {
    const findings = new Map<string, Finding>();
    const last = walk.pages.at(-1) as Page;
    const add = (rule: string, expected: string, actual: string, ex: Exchange | undefined) => {
      if (!findings.has(rule)) findings.set(rule, { rule, expected, actual, ex });
    };
    const over = walk.pages.find((p) => p.items.length > MAX_LIMIT);
    if (over) add('RT-LIMIT-BOUND', 'at most 100 prompts a page at limit 100', `${over.items.length} prompts`, over.ex);
    else if (walk.duplicate !== undefined)
      add(
        await this.duplicateOwner(walk),
        'each prompt once in the walk at limit 100',
        `prompt ${idAt(walk, walk.duplicate)} listed twice (totalCount unchanged)`,
        last.ex,
      );
    if (walk.stalled !== undefined)
      add(
        'RT-PAGE-HASMORE',
        'a page after nextCursor to hold prompts, or hasMore false',
        `page ${walk.stalled + 1} of the walk at limit 100 added no prompt and said hasMore true`,
        walk.pages[walk.stalled]?.ex,
      );
    if (findings.size || walk.items.length < 2) return { findings };
    // a listing beyond the cap has no end to agree on: its first 300 prompts are cross-checked
    const check = await this.walk(
      {},
      CHECK_LIMIT,
      walk.complete ? walk.items.length + CHECK_LIMIT : Math.min(walk.items.length, 300),
    );
    const total = walk.pages[0]?.info.totalCount;
    const span = Math.min(walk.items.length, check.items.length);
    const diff = sequenceDiff(ids(walk.items.slice(0, span)), ids(check.items.slice(0, span)));
    const drifted =
      [...walk.pages, ...check.pages].some((p) => p.info.totalCount !== total) ||
      walk.excusedRepeats + check.excusedRepeats > 0;
    if (drifted) {
      this.noteDrift(
        `the listing changed while the reference was cross-checked (totalCount ${total} → ${check.pages.at(-1)?.info.totalCount})`,
      );
      return { findings, check };
    }
    if (check.duplicate !== undefined || diff !== undefined) {
      const owner = await this.orderOwner(walk, check);
      const what =
        check.duplicate !== undefined
          ? `prompt ${idAt(check, check.duplicate)} listed twice at limit ${CHECK_LIMIT} (totalCount unchanged)`
          : (diff as string);
      add(
        owner,
        `the walks at limit 100 and ${CHECK_LIMIT} to list the same prompts in the same order`,
        what,
        check.pages.at(-1)?.ex,
      );
    } else if (walk.complete && check.complete && walk.items.length !== check.items.length) {
      const [short, long] = walk.items.length < check.items.length ? [walk, check] : [check, walk];
      add(
        'RT-PAGE-HASMORE',
        `the walk at limit ${short.limit} to go on while prompts follow (the walk at ${long.limit} lists ${long.items.length})`,
        `hasMore false after ${short.items.length} prompts`,
        short.pages.at(-1)?.ex,
      );
    } else if (walk.complete && check.complete && total !== walk.items.length) {
      add(
        'RT-TOTAL-COUNT',
        `totalCount ${walk.items.length}: walks at limit 100 and ${CHECK_LIMIT} both list ${walk.items.length} distinct prompts`,
        `totalCount ${total} (so totalCount ${total}, not the walks' ${walk.items.length}, is wrong)`,
        walk.pages[0]?.ex,
      );
    }
    return { findings, check };
  }

  /**
   * Who owns a difference between the two reference walks: when only prompts sharing a createdAt moved (the
   * createdAt sequences agree), the tie order — RT-DETERMINISTIC if the same page read again differs, else
   * RT-WALK-TIES; otherwise the cursor, RT-WALK-FORWARD.
   */
  private async orderOwner(a: Walk, b: Walk): Promise<string> {
    const span = Math.min(a.items.length, b.items.length);
    const ms = (w: Walk) => w.items.slice(0, span).map((it) => it.ms);
    if (sequenceDiff(ms(a).map(String), ms(b).map(String)) !== undefined) return 'RT-WALK-FORWARD';
    for (const p of [...a.pages, ...b.pages].slice(0, 4)) {
      const again = parsePage(await this.get(p.query, { fresh: true }), p.query);
      if (
        typeof again !== 'string' &&
        ids(again.items).join() !== ids(p.items).join() &&
        again.info.totalCount === p.info.totalCount
      )
        return 'RT-DETERMINISTIC';
    }
    return 'RT-WALK-TIES';
  }

  /**
   * Who owns a prompt listed twice by one walk: when it shares its createdAt with the prompts at the page edge
   * where it came back, the tie order (as {@link orderOwner}); otherwise the cursor.
   */
  private async duplicateOwner(walk: Walk): Promise<string> {
    const dup = walk.items.find((it) => it.id === walk.duplicate);
    const edge = walk.pages.at(-2)?.items.at(-1);
    if (!dup || !edge || !Number.isFinite(dup.ms) || dup.ms !== edge.ms) return 'RT-WALK-FORWARD';
    for (const p of walk.pages.slice(-2)) {
      const again = parsePage(await this.get(p.query, { fresh: true }), p.query);
      if (
        typeof again !== 'string' &&
        ids(again.items).join() !== ids(p.items).join() &&
        again.info.totalCount === p.info.totalCount
      )
        return 'RT-DETERMINISTIC';
    }
    return 'RT-WALK-TIES';
  }

  /** The reference, or Blocked when a finding of one of `owners` makes it no basis for this rule. */
  async trusted(owners: readonly string[] = TRUST_OWNERS): Promise<Reference> {
    const ref = await this.reference();
    const by = owners.filter((o) => ref.findings.has(o));
    if (by.length)
      throw new Blocked(
        by,
        `the reference listing is not trustworthy: ${by.map((o) => ref.findings.get(o)?.actual).join('; ')}`,
      );
    return ref;
  }

  /** The owning rule's check: fails with the reference's finding for `rule`, if there is one. */
  async expectNoFinding(rule: string): Promise<void> {
    const f = (await this.reference()).findings.get(rule);
    expectThat(!f, () => ({ expected: f?.expected ?? '', actual: f?.actual ?? '', exchange: f?.ex }));
  }

  /** The reference, or a skip when the target has too little data for the rule. */
  async referenceWith(minItems: number, why: string, owners?: readonly string[]): Promise<Reference> {
    const ref = await this.trusted(owners);
    if (ref.items.length < minItems)
      throw new Skip(`target lists ${ref.items.length} prompts; ${why} needs ${minItems}`);
    return ref;
  }

  /**
   * Runs a comparison that rests on the reference. When it fails, the listing is read again: unchanged, the
   * failure stands; changed (prompts added, edited), the drift is noted and the comparison runs again against the
   * new reading, up to {@link SETTLE_ATTEMPTS} times. A listing that never holds still makes it Inconclusive.
   */
  async settled(compare: () => Promise<void>): Promise<void> {
    let last: Violation | undefined;
    let quiet = false;
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const before = await this.listing();
      try {
        await compare();
        if (quiet)
          this.noteDrift(
            'a comparison that failed passed on a fresh reading (data changed beyond the part of the listing read)',
          );
        return;
      } catch (e) {
        if (!(e instanceof Violation) || e instanceof SteadyViolation) throw e;
        last = e;
      }
      this.epoch++;
      const change = listingChange(before, await this.listing());
      if (change === undefined) {
        // a filtered listing may reach prompts beyond the walk cap, where a change goes unseen: read it all fresh once
        if (quiet) throw last;
        quiet = true;
        continue;
      }
      this.noteDrift(`${change}; compared again against a fresh reading`);
    }
    throw new Inconclusive(
      `the listing changed during each of ${SETTLE_ATTEMPTS} attempts; last difference: ${last?.message ?? ''}`,
    );
  }

  /** flowIds to filter by: those prompts expose, then those configured (RUNTYPE_FLOW_IDS). */
  knownFlowIds(items: readonly PromptView[]): string[] {
    return [...new Set([...items.map((it) => it.flowId).filter((f): f is string => !!f), ...this.rt.flowIds])];
  }
}

/** Reads a 200 page or says, in one line, why it is not one. */
export function parsePage(ex: Exchange, query: Query): Page | string {
  if (ex.status !== 200) return `${ex.status} ${brief(ex.text)}`;
  const body = (typeof ex.body === 'object' && ex.body !== null ? ex.body : {}) as Record<string, unknown>;
  // data null is lenient-read as empty: RT-SEARCH-EMPTY and RT-RESP-SHAPE own that defect, other rules keep running
  if (!Array.isArray(body.data) && body.data !== null)
    return `body.data is ${brief(body.data ?? 'absent')}, not an array: ${brief(ex.text)}`;
  const p = body.pagination;
  if (typeof p !== 'object' || p === null) return `no pagination object: ${brief(ex.text)}`;
  const items: PromptView[] = [];
  for (const raw of (body.data ?? []) as unknown[]) {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof r.id !== 'string') return `an item without a string id: ${brief(raw)}`;
    items.push({
      id: r.id,
      name: str(r.name),
      text: str(r.text),
      model: str(r.model),
      flowId: str(r.flowId),
      userId: str(r.userId),
      ms: typeof r.createdAt === 'string' ? Date.parse(r.createdAt) : Number.NaN,
      raw: r,
    });
  }
  return { ex, items, info: readInfo(p as Record<string, unknown>), filtersApplied: body.filtersApplied, query };
}

export function readPage(ex: Exchange, query: Query): Page {
  // a body that is not JSON is one finding (RT-RESP-JSON's, with where parsing stopped); every reader is blocked by it
  if (ex.status === 200 && !ex.isJson)
    throw new Blocked(['RT-RESP-JSON'], `a 200 page is not JSON (${notJson(ex)}); this check reads its prompts`);
  const page = parsePage(ex, query);
  expectThat(typeof page !== 'string', () => ({
    expected: '200 with {data: [prompts with id], pagination: {…}}',
    actual: page as string,
    exchange: ex,
  }));
  return page;
}

function readInfo(p: Record<string, unknown>): PageInfo {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
  const cursor = (v: unknown) => (typeof v === 'string' || v === null ? v : undefined);
  return {
    currentOffset: num(p.currentOffset),
    hasMore: bool(p.hasMore),
    hasPrev: bool(p.hasPrev),
    limit: num(p.limit),
    nextCursor: cursor(p.nextCursor),
    prevCursor: cursor(p.prevCursor),
    currentPage: num(p.currentPage),
    totalCount: num(p.totalCount),
    totalPages: num(p.totalPages),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Only RT-TOTAL-COUNT found fault: the walks agree, so the listing itself is complete. */
function onlyCountWrong(findings: ReadonlyMap<string, Finding>): boolean {
  return findings.size === 1 && findings.has('RT-TOTAL-COUNT');
}

/**
 * How the listing changed between two readings — count, membership, an item's fields — or undefined when it did
 * not. Order alone is no change: data that drifts adds, removes or edits prompts; a reshuffle is the server's doing.
 */
export function listingChange(a: Walk, b: Walk): string | undefined {
  const ta = a.pages[0]?.info.totalCount;
  const tb = b.pages[0]?.info.totalCount;
  if (ta !== tb) return `totalCount ${ta} → ${tb}`;
  const before = new Map(a.items.map((it) => [it.id, it]));
  for (const y of b.items) {
    const x = before.get(y.id);
    if (!x) return `prompt ${y.id} is new`;
    for (const f of ['name', 'text', 'model', 'updatedAt'] as const)
      if (x.raw[f] !== y.raw[f])
        return `prompt ${x.id}'s ${f} changed (${brief(x.raw[f], 40)} → ${brief(y.raw[f], 40)})`;
  }
  return a.items.length === b.items.length ? undefined : `${a.items.length} → ${b.items.length} prompts listed`;
}

/** A prompt id with its createdAt, as pagination failures show it (ties are the usual cause). */
export function idAt(walk: Walk, id: string | undefined): string {
  const it = walk.items.find((x) => x.id === id);
  return `${id} (createdAt ${json(it?.raw.createdAt)})`;
}

export function ids(items: readonly PromptView[]): string[] {
  return items.map((it) => it.id);
}

/** Offset of each walk page in the listing, from the lengths of the pages before it. */
export function pageOffsets(walk: Walk): number[] {
  let at = 0;
  return walk.pages.map((p) => {
    const o = at;
    at += p.items.length;
    return o;
  });
}

/** Case- and accent-folded text, so a case-insensitive target is never judged by case. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The term in name or text, in any case ("Search by name or text"; case sensitivity is a gap). */
export function containsAnyCase(it: PromptView, term: string): boolean {
  const t = fold(term);
  return [it.name, it.text].some((f) => f !== undefined && fold(f).includes(t));
}

/** The term in name or text, in its exact case: such a prompt must be found whatever the case rule. */
export function containsExact(it: PromptView, term: string): boolean {
  return [it.name, it.text].some((f) => f?.includes(term));
}

/** Whether a prompt satisfies every filter sent; flowId only where prompts expose it. */
export function matchesFilters(it: PromptView, f: Filters): string | undefined {
  if (f.search !== undefined && !containsAnyCase(it, f.search))
    return `prompt ${it.id} has "${f.search}" in neither name (${brief(it.name, 60)}) nor text (${brief(it.text, 60)})`;
  if (f.model !== undefined && it.model !== f.model)
    return `prompt ${it.id} has model ${brief(it.raw.model)}, not "${f.model}"`;
  if (f.flowId !== undefined && it.flowId !== undefined && it.flowId !== f.flowId)
    return `prompt ${it.id} has flowId ${it.flowId}, not ${f.flowId}`;
  return undefined;
}

/** Only the filters that are set, for messages: `search="x" model="y"`. */
export function describeFilters(f: Filters): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${v}"`);
  return parts.length ? parts.join(' ') : 'no filter';
}
