/**
 * Runtype's adapter to the shared reference (src/shared/reference): how a page of prompts is read leniently, how
 * a prompt is named and compared, how the listing is seen to change, and the API's own cross-check oracle — a second
 * walk at a page size that divides neither 100 nor the usual data sizes, whose owner reads tell a cursor defect
 * from a tie order.
 */
import { expectReadablePage } from '../../shared/audit';
import { json } from '../../shared/expect';
import type { Exchange, Query } from '../../shared/http';
import { brief, expectThat, type ViolationDetail } from '../../shared/rule';
import { sequenceDiff } from '../../shared/sequence';

export const PATH = '/prompts';
/** "max 100" */
export const MAX_LIMIT = 100;
/** "default 50" */
export const DEFAULT_LIMIT = 50;
/** The second page size the reference is cross-checked at: divides neither 100 nor the usual data sizes. */
export const CHECK_LIMIT = 70;
/** Walks under the deep profile reach this many rows (old data beyond the default cap). */
export const DEEP_ROWS = 20_000;
/** Findings that make the reference no basis for exact expectations. */
export const TRUST_OWNERS = [
  'RT-LIMIT-BOUND',
  'RT-WALK-FORWARD',
  'RT-PAGE-HASMORE',
  'RT-WALK-TIES',
  'RT-DETERMINISTIC',
  'RT-PAGE-ORDER',
];

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

/** The listing the relations compare against, checked when built. */
export interface Reference extends Walk {
  /** By owner rule: what was wrong with the listing as walked. */
  findings: ReadonlyMap<string, ViolationDetail>;
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

// ---------------------------------------------------------------- the cross-check oracle

/** Records a defect under its owner rule (the first one per owner stands). */
type Add = (owner: string, detail: ViolationDetail) => void;

/**
 * Validates the first listing against a walk at {@link CHECK_LIMIT}, each defect recorded under its owner; returns
 * the check walk when one was made. The listing seen to change meanwhile is drift: nothing is concluded.
 */
/** What the cross-check needs from the context (structural, so this file does not import the context back). */
export interface OracleHost {
  readonly settings: { readonly walkMaxRows: number };
  walk(filters: Filters, limit: number | undefined, maxRows?: number): Promise<Walk>;
  get(query: Query, opts?: { fresh?: boolean }): Promise<Exchange>;
  noteDrift(what: string): void;
}

export async function crossCheckReference(ctx: OracleHost, walk: Walk, add: Add): Promise<Walk | undefined> {
  let found = false;
  const finding = (owner: string, expected: string, actual: string, exchange: Exchange | undefined) => {
    found = true;
    add(owner, { expected, actual, exchange });
  };
  const last = walk.pages.at(-1) as Page;
  const over = walk.pages.find((p) => p.items.length > MAX_LIMIT);
  if (over)
    finding('RT-LIMIT-BOUND', 'at most 100 prompts a page at limit 100', `${over.items.length} prompts`, over.ex);
  else if (walk.duplicate !== undefined)
    finding(
      await duplicateOwner(ctx, walk),
      'each prompt once in the walk at limit 100',
      `prompt ${idAt(walk, walk.duplicate)} listed twice (totalCount unchanged)`,
      last.ex,
    );
  if (walk.stalled !== undefined)
    finding(
      'RT-PAGE-HASMORE',
      'a page after nextCursor to hold prompts, or hasMore false',
      `page ${walk.stalled + 1} of the walk at limit 100 added no prompt and said hasMore true`,
      walk.pages[walk.stalled]?.ex,
    );
  if (found || walk.items.length < 2) return undefined;
  // a listing beyond the cap has no end to agree on: its first 300 prompts are cross-checked
  const check = await ctx.walk(
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
    ctx.noteDrift(
      `the listing changed while the reference was cross-checked (totalCount ${total} → ${check.pages.at(-1)?.info.totalCount})`,
    );
    return check;
  }
  if (check.duplicate !== undefined || diff !== undefined) {
    const owner = await orderOwner(ctx, walk, check);
    const what =
      check.duplicate !== undefined
        ? `prompt ${idAt(check, check.duplicate)} listed twice at limit ${CHECK_LIMIT} (totalCount unchanged)`
        : (diff as string);
    finding(
      owner,
      `the walks at limit 100 and ${CHECK_LIMIT} to list the same prompts in the same order`,
      what,
      check.pages.at(-1)?.ex,
    );
  } else if (walk.complete && check.complete && walk.items.length !== check.items.length) {
    const [short, long] = walk.items.length < check.items.length ? [walk, check] : [check, walk];
    finding(
      'RT-PAGE-HASMORE',
      `the walk at limit ${short.limit} to go on while prompts follow (the walk at ${long.limit} lists ${long.items.length})`,
      `hasMore false after ${short.items.length} prompts`,
      short.pages.at(-1)?.ex,
    );
  } else if (walk.complete && check.complete && total !== walk.items.length) {
    finding(
      'RT-TOTAL-COUNT',
      `totalCount ${walk.items.length}: walks at limit 100 and ${CHECK_LIMIT} both list ${walk.items.length} distinct prompts`,
      `totalCount ${total} (so totalCount ${total}, not the walks' ${walk.items.length}, is wrong)`,
      walk.pages[0]?.ex,
    );
  }
  return check;
}

/**
 * Who owns a difference between the two reference walks: when only prompts sharing a createdAt moved (the
 * createdAt sequences agree), the tie order — RT-DETERMINISTIC if the same page read again differs, else
 * RT-WALK-TIES; otherwise the cursor, RT-WALK-FORWARD.
 */
async function orderOwner(ctx: OracleHost, a: Walk, b: Walk): Promise<string> {
  // a page that breaks the createdAt order the newest part of the listing shows (old data in its own order)
  const seen = orderSeen(ctx, a.items);
  if (seen && [...a.pages, ...b.pages].some((p) => orderBreak(p, seen.order, seen.at, false) !== undefined))
    return 'RT-PAGE-ORDER';
  const span = Math.min(a.items.length, b.items.length);
  const ms = (w: Walk) => w.items.slice(0, span).map((it) => it.ms);
  if (sequenceDiff(ms(a).map(String), ms(b).map(String)) !== undefined) return 'RT-WALK-FORWARD';
  for (const p of [...a.pages, ...b.pages].slice(0, 4)) {
    const again = parsePage(await ctx.get(p.query, { fresh: true }), p.query);
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
async function duplicateOwner(ctx: OracleHost, walk: Walk): Promise<string> {
  const dup = walk.items.find((it) => it.id === walk.duplicate);
  const edge = walk.pages.at(-2)?.items.at(-1);
  if (!dup || !edge || !Number.isFinite(dup.ms) || dup.ms !== edge.ms) return 'RT-WALK-FORWARD';
  for (const p of walk.pages.slice(-2)) {
    const again = parsePage(await ctx.get(p.query, { fresh: true }), p.query);
    if (
      typeof again !== 'string' &&
      ids(again.items).join() !== ids(p.items).join() &&
      again.info.totalCount === p.info.totalCount
    )
      return 'RT-DETERMINISTIC';
  }
  return 'RT-WALK-TIES';
}

// ---------------------------------------------------------------- reading pages and prompts

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
  expectReadablePage(ex, 'RT', 'prompts');
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
export function onlyCountWrong(findings: ReadonlyMap<string, ViolationDetail>): boolean {
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

/**
 * A model, flowId and exact-case search word seen, each selecting as close to half the prompts as possible:
 * enough to span pages, and selective enough that a filter dropped on some page shows.
 */
export function commonFilters(items: readonly PromptView[], flowIds: readonly string[]): Filters {
  const half = items.length / 2;
  const best = (counts: Map<string, number>): string | undefined =>
    [...counts].sort(([a, x], [b, y]) => Math.abs(x - half) - Math.abs(y - half) || y - x || (a < b ? -1 : 1))[0]?.[0];
  const tally = (values: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const words = [
    ...new Set(
      items.flatMap((it) => [it.name, it.text].flatMap((t) => (t ?? '').split(/\s+/).filter((w) => w.length >= 3))),
    ),
  ].slice(0, 200);
  const search = best(new Map(words.map((w) => [w, items.filter((it) => containsExact(it, w)).length])));
  const model = best(tally(items.map((it) => it.model).filter((m): m is string => !!m)));
  const flowId = best(tally(items.map((it) => it.flowId).filter((f): f is string => !!f))) ?? flowIds[0];
  return { ...(search ? { search } : {}), ...(model ? { model } : {}), ...(flowId ? { flowId } : {}) };
}

/**
 * How many prompts were added above an offset page between two readings of it, when that explains the second:
 * totalCount grew by d (newest first) and the second reading's last prompts are the first reading's first ones,
 * in the same order, ties included — evidence of drift that still judges the order where the readings overlap
 * (a cursor off by one shifts by d ± 1 and is not explained). `shortGrows`: a short last page may grow by d.
 */
export function shiftedByNewPrompts(before: Page, after: Page, o: { shortGrows?: boolean } = {}): number | undefined {
  const d = (after.info.totalCount ?? Number.NaN) - (before.info.totalCount ?? Number.NaN);
  const n = after.items.length;
  const lengthFits = n === before.items.length || (o.shortGrows === true && n === before.items.length + d);
  if (!(d > 0) || d >= n || !lengthFits) return undefined;
  return ids(after.items).slice(d).join() ===
    ids(before.items)
      .slice(0, n - d)
      .join()
    ? d
    : undefined;
}

/** Whether a page's own figures say prompts follow it (currentOffset + its prompts < totalCount); undefined without them. */
export function promptsFollow(page: Page): boolean | undefined {
  const { currentOffset: o, totalCount: t } = page.info;
  return o === undefined || t === undefined ? undefined : o + page.items.length < t;
}

/** The order a listing shows by createdAt: what every page of it must keep (RT-PAGE-ORDER). */
export type ListingOrder = 'newest first' | 'oldest first';

/**
 * The order the walked listing shows by createdAt, or undefined where it shows none (unordered, every createdAt
 * equal, unreadable dates, too few prompts to tell). Ties are allowed either way.
 */
export function listingOrder(items: readonly PromptView[]): ListingOrder | undefined {
  const ms = items.map((it) => it.ms);
  if (ms.length < 3 || ms.some((t) => Number.isNaN(t))) return undefined;
  const desc = ms.every((t, i) => i === 0 || t <= (ms[i - 1] ?? t));
  const asc = ms.every((t, i) => i === 0 || t >= (ms[i - 1] ?? t));
  return desc === asc ? undefined : desc ? 'newest first' : 'oldest first';
}

/**
 * The createdAt order the newest part of the walked listing shows (the part a default walk reads: a deep walk's old
 * pages may be the ones out of order), with each walked prompt's position; undefined where it shows none.
 */
export function orderSeen(
  host: { readonly settings: { readonly walkMaxRows: number } },
  items: readonly PromptView[],
): { order: ListingOrder; at: Map<string, number> } | undefined {
  const order = listingOrder(items.slice(0, host.settings.walkMaxRows));
  return order ? { order, at: new Map(items.map((it, i) => [it.id, i])) } : undefined;
}

/** A search may rank by relevance and a flow list by its prompts' order; a model filter is an exact match. */
export function mayRankOwnWay(q: { readonly search?: unknown; readonly flowId?: unknown }): boolean {
  return q.search !== undefined || q.flowId !== undefined;
}

/**
 * Where `page` breaks the listing's `order` (a prompt out of createdAt order next to its neighbour), or undefined.
 * A `lenient` page (a search, which may rank by relevance; a flow, which may list by its prompts' order) is judged
 * only where it keeps the order of the prompts it shares with the walked listing (`ref`, at least two), and only for
 * more disorder than two ordered runs: a ranking of its own (name matches first) scrambles the walked prompts too or
 * leaves two ordered runs, and is not judged.
 */
export function orderBreak(
  page: Page,
  order: ListingOrder,
  ref: ReadonlyMap<string, number>,
  lenient: boolean,
): string | undefined {
  const items = page.items;
  if (items.some((it) => Number.isNaN(it.ms))) return undefined; // unreadable dates: RT-PROMPT-DATES
  if (lenient) {
    const shared = items.map((it) => ref.get(it.id)).filter((i): i is number => i !== undefined);
    if (shared.length < 2 || shared.some((p, k) => k > 0 && p < (shared[k - 1] ?? p))) return undefined;
  }
  const breaks = items.flatMap((it, i) => {
    const before = items[i - 1];
    if (i === 0 || !before) return [];
    return (order === 'newest first' ? it.ms > before.ms : it.ms < before.ms) ? [i] : [];
  });
  // two ordered runs may be a ranking of its own (name matches before text matches): only disorder beyond that
  const k = breaks[0];
  if (k === undefined || (lenient && breaks.length < 2)) return undefined;
  const [a, b] = [items[k - 1], items[k]];
  return `position ${k} ${b?.id} (createdAt ${json(b?.raw.createdAt)}) follows ${a?.id} (createdAt ${json(a?.raw.createdAt)}): not ${order}`;
}
