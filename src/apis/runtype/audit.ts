/**
 * The response audit for `GET /v1/prompts`: every answer to either key, whichever rule asked, is held to every
 * statement its request fixes (see src/shared/audit.ts). Each check names the rule that owns the statement.
 */
import {
  type AuditNote,
  hasRepeatedParam,
  intParam,
  type Note,
  notesFor,
  notJson,
  type Path,
  Sightings,
  sentQuery,
} from '../../shared/audit';
import { json } from '../../shared/expect';
import type { Exchange } from '../../shared/http';
import { brief } from '../../shared/rule';
import {
  containsExact,
  DEFAULT_LIMIT,
  type ListingOrder,
  listingOrder,
  MAX_LIMIT,
  mayRankOwnWay,
  orderBreak,
  type Page,
  type PromptView,
  parsePage,
  promptsFollow,
} from './pager';

/** A request the docs fix the answer of: a limit within 1..100 (or none), each parameter once. */
interface PromptsRequest {
  limit: number;
  limitSent: boolean;
  cursor: string | undefined;
  search: string | undefined;
  model: string | undefined;
  flowId: string | undefined;
  auth: 'key' | 'second';
}

function promptsRequest(ex: Exchange): PromptsRequest | undefined {
  const auth = ex.request.auth;
  if ((auth !== 'key' && auth !== 'second') || hasRepeatedParam(ex)) return undefined;
  const q = sentQuery(ex);
  const limit = q.limit === undefined ? DEFAULT_LIMIT : intParam(q.limit);
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) return undefined;
  // empty filter values are a documentation gap (RT-GAP-EMPTY-PARAM): not judged
  if ([q.search, q.model, q.flowId, q.cursor].some((v) => v === '')) return undefined;
  return {
    limit,
    limitSent: q.limit !== undefined,
    cursor: q.cursor,
    search: q.search,
    model: q.model,
    flowId: q.flowId,
    auth,
  };
}

/** What the audit has learnt from every answer so far: each key's user ids and prompts, and the paths that listed them. */
export class PromptsSeen {
  readonly users = { key: new Set<string>(), second: new Set<string>() };
  readonly prompts = {
    key: new Map<string, Record<string, unknown>>(),
    second: new Map<string, Record<string, unknown>>(),
  };
  /** Order of the answers audited, and when each of the key's prompts was listed with which updatedAt. */
  private seq = 0;
  readonly seqOf = new WeakMap<Exchange, number>();
  readonly versions = new Map<string, { seq: number; updatedAt: unknown }[]>();
  /** Numbers an answer and notes the version of each of the key's prompts it lists. */
  listed(ex: Exchange, req: PromptsRequest, page: Page): void {
    const seq = this.seq++;
    this.seqOf.set(ex, seq);
    if (req.auth !== 'key') return;
    for (const it of page.items) {
      const v = this.versions.get(it.id) ?? [];
      v.push({ seq, updatedAt: it.raw.updatedAt });
      this.versions.set(it.id, v);
    }
  }
  /**
   * Whether `it` (as the reference read it) was unchanged when the answer numbered `seq` was made: listed with
   * the same updatedAt before it and after it, and never otherwise (an edit moves updatedAt). Undefined while no
   * later listing has shown it: the context reads the listing again (or the answer waits for a later flush).
   */
  unchangedAt(it: PromptView, seq: number): boolean | undefined {
    const v = this.versions.get(it.id) ?? [];
    const same = (x: { updatedAt: unknown }) => x.updatedAt === it.raw.updatedAt;
    if (!v.some((x) => x.seq < seq && same(x)) || !v.every(same)) return false;
    return v.some((x) => x.seq > seq) ? true : undefined;
  }
  // a search over every user's prompts is the subset rule's finding
  readonly sightings = new Sightings({ plain: 'RT-ISO-DISJOINT', cursor: 'RT-ISO-CURSOR', filter: 'RT-ISO-FILTER' }, [
    'RT-FILTER-SUBSET',
    'RT-OWNER',
  ]);
}

const ISO_OWNERS = ['RT-ISO-DISJOINT', 'RT-ISO-CURSOR', 'RT-ISO-FILTER', 'RT-ISO-COUNT', 'RT-FILTER-SUBSET'];
/** Judges one answer by every statement its request fixes, with no other knowledge than the answers seen. */
export function auditPromptsAnswer(ex: Exchange, seen: PromptsSeen): AuditNote[] {
  const req = promptsRequest(ex);
  if (!req || ex.status !== 200) return [];
  const { notes, note } = notesFor(ex);
  if (!ex.isJson) {
    note('RT-RESP-JSON', 'a JSON body on a 200 page of prompts', notJson(ex));
    return notes;
  }
  const page = parsePage(ex, {});
  if (typeof page === 'string') return notes;
  const what = describe(req);
  if (page.items.length > req.limit)
    note(
      req.limitSent ? 'RT-LIMIT-BOUND' : 'RT-LIMIT-DEFAULT',
      `at most ${req.limit} prompts (${what})`,
      `${page.items.length} prompts`,
      // every page one over: the bound's own rule reports it, not the default's
      req.limitSent ? undefined : ['RT-LIMIT-BOUND'],
    );
  filterMatch(req, page, note);
  pageArithmetic(req, page, note);
  owner(req, page, seen, note);
  identity(req, page, seen, note);
  seen.listed(ex, req, page);
  const path: Path = req.cursor !== undefined ? 'cursor' : req.search || req.model || req.flowId ? 'filter' : 'plain';
  for (const it of page.items) seen.sightings.add(req.auth, it.id, path, ex);
  return notes;
}

/** Every prompt matches every filter sent, together, whatever the request was for. */
function filterMatch(req: PromptsRequest, page: Page, base: Note): void {
  const what = describe(req);
  // a filter kept on first pages but lost on cursor pages, or only in combination, is the filtered walk's statement
  const combined = [req.search, req.model, req.flowId].filter((v) => v !== undefined).length > 1;
  const note: Note = (owner, expected, actual) =>
    req.cursor !== undefined || combined
      ? base('RT-FILTER-WALK', expected, actual, [owner])
      : base(owner, expected, actual);
  // the case of a model ID is a documentation gap (RT-GAP-MODEL-CASE): compared without case
  const model = req.model?.toLowerCase();
  const wrongModel =
    model === undefined
      ? undefined
      : page.items.find((it) => it.model !== undefined && it.model.toLowerCase() !== model);
  if (wrongModel)
    note(
      'RT-MODEL-FILTER',
      `every prompt's model ${json(req.model)} (${what})`,
      `prompt ${wrongModel.id} has model ${json(wrongModel.model)}`,
    );
  // search case and multi-word terms are documentation gaps (RT-GAP-SEARCH-CASE): one word of the term, in either case, is a match
  const words = req.search?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const stray = words.length
    ? page.items.find((it) => {
        const hay = `${it.name ?? ''}\n${it.text ?? ''}`.toLowerCase();
        return !words.some((w) => hay.includes(w));
      })
    : undefined;
  if (stray)
    note(
      'RT-SEARCH-MATCH',
      `every prompt has ${json(req.search)} in its name or text (${what})`,
      `prompt ${stray.id}: name ${json(brief(stray.name ?? null, 60))}, text ${json(brief(stray.text ?? null, 60))}`,
    );
  const wrongFlow =
    req.flowId === undefined ? undefined : page.items.find((it) => it.flowId !== undefined && it.flowId !== req.flowId);
  if (wrongFlow)
    note(
      'RT-FLOW-FILTER',
      `prompts that expose flowId all have ${json(req.flowId)} (${what})`,
      `prompt ${wrongFlow.id} has flowId ${json(wrongFlow.flowId)}`,
    );
}

/** The page's own figures agree with each other and with the request (judged only where both are readable). */
function pageArithmetic(req: PromptsRequest, page: Page, note: Note): void {
  const i = page.info;
  const what = describe(req);
  if (typeof i.hasMore === 'boolean' && i.nextCursor !== undefined && i.hasMore !== (typeof i.nextCursor === 'string'))
    note(
      'RT-PAGE-LINKS',
      `nextCursor non-null exactly when hasMore is true (${what})`,
      `hasMore ${i.hasMore}, nextCursor ${json(i.nextCursor)}`,
    );
  else if (
    typeof i.hasPrev === 'boolean' &&
    i.prevCursor !== undefined &&
    i.hasPrev !== (typeof i.prevCursor === 'string')
  )
    note(
      'RT-PAGE-LINKS',
      `prevCursor non-null exactly when hasPrev is true (${what})`,
      `hasPrev ${i.hasPrev}, prevCursor ${json(i.prevCursor)}`,
    );
  // a cursor may carry its own page size (RT-GAP-CURSOR): the page's limit is its own when it states one
  const limit = i.limit !== undefined && i.limit >= 1 ? i.limit : req.limit;
  if (i.totalCount !== undefined && i.totalPages !== undefined) {
    const want = Math.ceil(i.totalCount / limit);
    if (i.totalPages !== want && !(i.totalCount === 0 && i.totalPages === 1))
      note(
        'RT-PAGE-TOTALPAGES',
        `totalPages ceil(${i.totalCount} / ${limit}) = ${want} (${what})`,
        `totalPages ${i.totalPages}`,
      );
  }
  if (i.currentOffset !== undefined && i.currentOffset > 0 && i.currentPage !== undefined) {
    const want = Math.floor(i.currentOffset / limit) + 1;
    if (i.currentPage !== want)
      note(
        'RT-PAGE-POSITION',
        `currentPage ${want} (floor(currentOffset ${i.currentOffset} / limit ${limit}) + 1; ${what})`,
        `currentPage ${i.currentPage}`,
      );
  }
  if (req.cursor === undefined) {
    const pageOk = i.currentPage === 1 || (i.totalCount === 0 && i.currentPage === 0);
    if (i.currentOffset !== 0 || !pageOk || i.hasPrev !== false || i.prevCursor !== null)
      note(
        'RT-PAGE-FIRST',
        `a first page: currentOffset 0, currentPage 1, hasPrev false, prevCursor null (${what})`,
        `currentOffset ${json(i.currentOffset)}, currentPage ${json(i.currentPage)}, hasPrev ${json(i.hasPrev)}, prevCursor ${json(i.prevCursor ?? 'absent')}`,
      );
    if (i.limit !== undefined && i.limit !== req.limit)
      note(
        req.limitSent ? 'RT-LIMIT-BOUND' : 'RT-LIMIT-DEFAULT',
        `pagination.limit ${req.limit} (${what})`,
        `pagination.limit ${i.limit}`,
      );
  }
  if (i.hasMore === true && page.items.length === 0)
    note('RT-PAGE-HASMORE', `hasMore false on an empty page (${what})`, 'hasMore true with no prompts');
  else if (typeof i.hasMore === 'boolean' && page.items.length > 0) {
    // one answer's own figures: no change of the data between two readings can make them disagree
    const more = promptsFollow(page);
    if (more !== undefined && i.hasMore !== more)
      note(
        'RT-PAGE-HASMORE',
        `hasMore ${more} (currentOffset ${i.currentOffset} + ${page.items.length} prompts of totalCount ${i.totalCount}; ${what})`,
        `hasMore ${i.hasMore}`,
        // a wrong offset or count makes the sum wrong: their own rules report that
        [
          'RT-PAGE-POSITION',
          'RT-TOTAL-COUNT',
          'RT-FILTER-TOTAL',
          'RT-LIMIT-BOUND',
          'RT-WALK-FORWARD',
          'RT-WALK-BACKWARD',
        ],
      );
  }
}

/** All prompts on a page, and on every page one key is shown, belong to one user. */
function owner(req: PromptsRequest, page: Page, seen: PromptsSeen, note: Note): void {
  const users = [...new Set(page.items.map((it) => it.userId).filter((u): u is string => u !== undefined))];
  if (users.length > 1)
    note(
      'RT-OWNER',
      `the prompts of one user on a page (${describe(req)})`,
      `userIds ${users
        .slice(0, 3)
        .map((u) => json(u))
        .join(', ')}`,
      ISO_OWNERS,
    );
  const known = seen.users[req.auth];
  const other = users.find((u) => known.size > 0 && !known.has(u));
  if (other && users.length === 1)
    note(
      'RT-OWNER',
      `the same user's prompts on every page one key is shown (${describe(req)})`,
      `userId ${json(other)} where earlier pages showed ${[...known]
        .slice(0, 2)
        .map((u) => json(u))
        .join(', ')}`,
      ISO_OWNERS,
    );
  for (const u of users) known.add(u);
}

/** A prompt with the same updatedAt has the same fields wherever it is listed (an edit moves updatedAt). */
function identity(req: PromptsRequest, page: Page, seen: PromptsSeen, note: Note): void {
  const mine = seen.prompts[req.auth];
  for (const it of page.items) {
    const before = mine.get(it.id);
    mine.set(it.id, it.raw);
    if (!before || before.updatedAt !== it.raw.updatedAt || typeof it.raw.updatedAt !== 'string') continue;
    const field = ['name', 'text', 'model', 'createdAt'].find((f) => json(before[f]) !== json(it.raw[f]));
    if (field) {
      note(
        'RT-DETERMINISTIC',
        `prompt ${it.id} with updatedAt ${json(it.raw.updatedAt)} to have the same ${field} wherever it is listed`,
        `${field} ${brief(json(before[field]), 60)} → ${brief(json(it.raw[field]), 60)}`,
        ['RT-PROMPT-DATES', 'RT-PROMPT-SCHEMA', 'RT-PROMPT-UPDATED'],
      );
      return;
    }
  }
}

function describe(req: PromptsRequest): string {
  const parts = Object.entries({
    limit: req.limitSent ? req.limit : undefined,
    search: req.search,
    model: req.model,
    flowId: req.flowId,
    cursor: req.cursor === undefined ? undefined : brief(req.cursor, 24),
  }).filter(([, v]) => v !== undefined);
  return parts.length ? parts.map(([k, v]) => `${k}=${v}`).join('&') : 'no parameters';
}

/**
 * Judges a whole filtered listing shown on one page (no cursor, hasMore false) against the trusted reference:
 * every prompt the reference holds that matches every filter sent in the documented, strict sense (the term in
 * the exact case in its name or text, the model ID equal, the flowId equal where exposed) must be on it, when
 * the run saw that prompt unchanged before and after the page. Prompts created since are not expected; edited
 * ones are drift. Order is not stated (RT-GAP-ORDER), so only whole listings are judged this way.
 * Returns the answers that cannot be judged yet (a prompt not listed again since).
 */
export function auditAgainstReference(
  pending: readonly Exchange[],
  reference: readonly PromptView[],
  seen: PromptsSeen,
): { notes: AuditNote[]; waiting: Exchange[] } {
  const notes: AuditNote[] = [];
  const waiting: Exchange[] = [];
  for (const ex of pending) {
    const req = promptsRequest(ex);
    const seq = seen.seqOf.get(ex);
    if (req?.auth !== 'key' || req.cursor !== undefined || ex.status !== 200 || seq === undefined) continue;
    const filters = [req.search, req.model, req.flowId].filter((v) => v !== undefined).length;
    if (filters === 0) continue;
    const page = parsePage(ex, {});
    if (typeof page === 'string' || page.info.hasMore !== false || page.items.length > req.limit) continue;
    const on = new Set(page.items.map((it) => it.id));
    const must = reference.filter(
      (it) =>
        (req.search === undefined || containsExact(it, req.search)) &&
        (req.model === undefined || it.model === req.model) &&
        (req.flowId === undefined || it.flowId === req.flowId),
    );
    let missing: PromptView | undefined;
    let undecided = false;
    for (const it of must) {
      if (on.has(it.id)) continue;
      const unchanged = seen.unchangedAt(it, seq);
      if (unchanged === undefined) undecided = true;
      else if (unchanged) {
        missing = it;
        break;
      }
    }
    if (!missing) {
      if (undecided) waiting.push(ex);
      continue;
    }
    // a page already too long is the limit's finding; the combination is the filtered walk's statement
    const owner =
      filters > 1
        ? 'RT-FILTER-WALK'
        : req.search !== undefined
          ? 'RT-SEARCH-FINDS'
          : req.model !== undefined
            ? 'RT-MODEL-FILTER'
            : 'RT-FLOW-FILTER';
    notes.push({
      owner,
      unless: [
        ...(filters > 1 ? ['RT-SEARCH-FINDS', 'RT-MODEL-FILTER', 'RT-FLOW-FILTER'] : []),
        'RT-OWNER',
        'RT-FILTER-SUBSET',
        ...ISO_OWNERS,
        // a page fewer than its own totalCount that says none follow is not whole by its own account: hasMore's finding
        ...(typeof page.info.totalCount === 'number' && page.items.length < page.info.totalCount
          ? ['RT-PAGE-HASMORE']
          : []),
      ].filter((o) => o !== owner),
      detail: {
        expected: `every prompt that matches ${describe(req)} on this whole listing (hasMore false), among them ${missing.id} (listed with the same updatedAt before and after this page)`,
        actual: `prompt ${missing.id} is absent (${page.items.length} listed, totalCount ${json(page.info.totalCount)}); its name ${json(brief(missing.name ?? null, 60))}, text ${json(brief(missing.text ?? null, 60))}, model ${json(missing.model ?? null)}`,
        exchange: ex,
      },
    });
  }
  return { notes, waiting };
}

/** Rules whose failure would put a page out of createdAt order as well: dates unreadable, a backward page reversed. */
const ORDER_EXPLAINED_BY = ['RT-PROMPT-DATES', 'RT-WALK-BACKWARD', 'RT-WALK-FORWARD', 'RT-OWNER', 'RT-ISO-CURSOR'];

/**
 * Judges every page of the key's listing against the order the walked listing shows by createdAt (RT-PAGE-ORDER):
 * a page of one listing keeps its order, wherever it lies (old data) and however it was reached; a filtered or
 * cursor page only where it keeps the order of the walked prompts it lists (a filter may rank its own way).
 */
export function auditOrder(pending: readonly Exchange[], reference: readonly PromptView[]): AuditNote[] {
  const order: ListingOrder | undefined = listingOrder(reference);
  if (!order) return [];
  const at = new Map(reference.map((it, i) => [it.id, i]));
  const notes: AuditNote[] = [];
  for (const ex of pending) {
    const req = promptsRequest(ex);
    if (req?.auth !== 'key' || ex.status !== 200) continue;
    const page = parsePage(ex, {});
    if (typeof page === 'string') continue;
    const why = orderBreak(page, order, at, mayRankOwnWay(req));
    if (why === undefined) continue;
    notes.push({
      owner: 'RT-PAGE-ORDER',
      unless: ORDER_EXPLAINED_BY,
      detail: {
        expected: `every page ${order} by createdAt, as the walked listing is (${describe(req)})`,
        actual: why,
        exchange: ex,
      },
    });
  }
  return notes;
}
