/** Runtype checks' shared view of the target: pages, walks, how cursors are followed, and every exchange seen. */
import { BaseContext, type RunSettings } from '../../shared/context';
import type { Exchange, HttpClient, Query } from '../../shared/http';
import { brief, expectThat, Skip } from '../../shared/rule';
import { sequenceDiff } from '../../shared/sequence';
import { DEFAULT_RT_SETTINGS, type RtSettings } from './settings';

export const PATH = '/prompts';
/** "max 100" */
export const MAX_LIMIT = 100;
/** "default 50" */
export const DEFAULT_LIMIT = 50;

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
  /** An id met twice: the walk stopped there. */
  duplicate?: string;
}

/** A query in one fixed key order, so equal requests hit the HTTP cache whichever rule builds them. */
export function listQuery(p: ListParams): Query {
  return { limit: p.limit, search: p.search, model: p.model, flowId: p.flowId, cursor: p.cursor, direction: p.direction };
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


  /** A 200 page read leniently: shape deviations are other rules' findings, but items need an id. */
  async page(params: ListParams, opts: { fresh?: boolean } = {}): Promise<Page> {
    const query = listQuery(params);
    return readPage(await this.get(query, opts), query);
  }

  /** Forward walk from the first page by nextCursor until hasMore is false, or `maxRows`. */
  async walk(filters: Filters, limit: number | undefined, maxRows = this.settings.walkMaxRows): Promise<Walk> {
    const base: ListParams = { limit, ...filters };
    const maxPages = Math.ceil(maxRows / (limit ?? DEFAULT_LIMIT)) + 2;
    const pages: Page[] = [];
    const items: PromptView[] = [];
    const seen = new Set<string>();
    let page = await this.page(base);
    for (;;) {
      pages.push(page);
      const done = (complete: boolean, duplicate?: string): Walk => ({ filters, limit, pages, items, complete, ...(duplicate ? { duplicate } : {}) });
      for (const it of page.items) {
        // a repeat means the walk loops or overlaps; stop and let the walk rules report it
        if (seen.has(it.id)) return done(false, it.id);
        seen.add(it.id);
        items.push(it);
      }
      const next = page.info.nextCursor;
      if (page.info.hasMore !== true || typeof next !== 'string') return done(page.info.hasMore === false);
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
        return readPage(alone, bare);
      }
    }
    return readPage(ex, query);
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
        const continues = typeof next !== 'string' && !next.items.some((it) => prev.items.some((p) => p.id === it.id)) && (next.items.length > 0 || next.info.hasMore === false);
        if (continues) {
          this.observe('RT-GAP-CURSOR', `nextCursor followed ${modeLabel(mode)} continues the listing`);
          return mode;
        }
      }
      this.observe('RT-GAP-CURSOR', 'following nextCursor continued the listing neither alone nor with any configured direction value');
      return {};
    });
  }

  /** prevCursor alone first (the documented parameter), then each configured direction value. */
  cursorModes(): CursorMode[] {
    return [{}, ...this.rt.directionValues.map((direction) => ({ direction }))];
  }

  /**
   * Follows prevCursor from the walk's last page back to its first with one way of sending it.
   * Returns undefined when every page came back as the forward walk saw it, else what differed.
   */
  async walkBack(walk: Walk, mode: CursorMode): Promise<{ at: number; why: string; ex: Exchange | undefined } | undefined> {
    let cur = walk.pages.at(-1) as Page;
    for (let k = walk.pages.length - 2; k >= 0; k--) {
      const want = walk.pages[k] as Page;
      const cursor = cur.info.prevCursor;
      if (typeof cursor !== 'string') return { at: k, why: `page ${k + 2} has prevCursor ${brief(cursor)}`, ex: cur.ex };
      const ex = await this.get(listQuery({ limit: walk.limit, ...walk.filters, cursor, ...mode }));
      const page = parsePage(ex, {});
      if (typeof page === 'string') return { at: k, why: page, ex };
      const diff = sequenceDiff(ids(want.items), ids(page.items));
      if (diff !== undefined) return { at: k, why: `instead of page ${k + 1} [${brief(ids(want.items).join(','), 80)}]: ${diff}`, ex };
      cur = page;
    }
    return undefined;
  }

  /**
   * The unfiltered listing at the largest page size: the reference the relations compare against.
   * `complete` only when it ended and adds up to its totalCount: a walk that skipped or repeated
   * prompts is no basis for exact expectations (the walk rules report why).
   */
  reference(): Promise<Walk> {
    return this.memo('reference', async () => {
      const walk = await this.walk({}, MAX_LIMIT);
      return walk.complete && walk.items.length !== walk.pages[0]?.info.totalCount ? { ...walk, complete: false } : walk;
    });
  }

  /** The reference, or a skip when the target has too little data for the rule. */
  async referenceWith(minItems: number, why: string): Promise<Walk> {
    const ref = await this.reference();
    if (ref.items.length < minItems) throw new Skip(`target lists ${ref.items.length} prompts; ${why} needs ${minItems}`);
    return ref;
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
  if (!Array.isArray(body.data)) return `body.data is ${brief(body.data ?? 'absent')}, not an array: ${brief(ex.text)}`;
  const p = body.pagination;
  if (typeof p !== 'object' || p === null) return `no pagination object: ${brief(ex.text)}`;
  const items: PromptView[] = [];
  for (const raw of body.data as unknown[]) {
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
  const page = parsePage(ex, query);
  expectThat(typeof page !== 'string', () => ({ expected: '200 with {data: [prompts with id], pagination: {…}}', actual: page as string, exchange: ex }));
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
  if (f.search !== undefined && !containsAnyCase(it, f.search)) return `prompt ${it.id} has "${f.search}" in neither name (${brief(it.name, 60)}) nor text (${brief(it.text, 60)})`;
  if (f.model !== undefined && it.model !== f.model) return `prompt ${it.id} has model ${brief(it.raw.model)}, not "${f.model}"`;
  if (f.flowId !== undefined && it.flowId !== undefined && it.flowId !== f.flowId) return `prompt ${it.id} has flowId ${it.flowId}, not ${f.flowId}`;
  return undefined;
}

/** Only the filters that are set, for messages: `search="x" model="y"`. */
export function describeFilters(f: Filters): string {
  const parts = Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? parts.join(' ') : 'no filter';
}
