/**
 * Tenant isolation and authentication on every path, for Runtype `GET /v1/prompts`. The docs return "prompts
 * for the authenticated user": with a second account's key (RUNTYPE_API_KEY_2) the two listings, cursors,
 * filters and counts must never cross; without it the isolation rules are skipped, never passed.
 * A prompt is "another account's" when it was walked under that account's key and not under the caller's.
 * Cursors stay opaque except in RT-ISO-TAMPERED-CURSOR, which alters them as a hostile client would.
 */
import { type Exchange, type Query, queryString } from '../../../shared/http';
import {
  type AuthProbe,
  expectAnsweredAsUnknown,
  expectRefusedEverywhere,
  expectRefusedOrOwn,
  ISOLATION_PAGES,
  type Listing,
  onlyIn,
  requireSecondKey,
} from '../../../shared/isolation';
import { Blocked, brief, defineRule, expectThat, Inconclusive, Skip } from '../../../shared/rule';
import type { RtContext } from '../context';
import { listQuery, MAX_LIMIT } from '../pager';
import { expectFlowAnsweredAsUnknown, isRecord } from './shared';

const ENV2 = 'RUNTYPE_API_KEY_2';
const DOC = 'GET /v1/prompts › Summary ("prompts for the authenticated user")';
const AUTH_DOC = 'GET /v1/prompts › Authentication (Bearer); Errors (401, 403)';
/**
 * The reference walk's page size: the first account's listing is then the reference's own first pages, answered
 * from the run's cache (a limit bug at 100 breaks the reference, which its owners report, before it reaches here).
 */
const PAGE = MAX_LIMIT;
/** The preflight's query (src/apis/runtype/index.ts): its page under the second key is already read, cursor and all. */
export const PROBE_QUERY = { limit: 1 } as const;
/** A page size that leaves a second page to follow on small filtered listings. */
const SMALL = 3;

interface PromptLite {
  id: string;
  name: string | undefined;
  model: string | undefined;
  flowId: string | undefined;
}

interface PageLite {
  ex: Exchange;
  items: PromptLite[];
  nextCursor: unknown;
  prevCursor: unknown;
  hasMore: unknown;
  totalCount: unknown;
}

/** A 200 page read leniently, or undefined when the answer is not one. */
function readLite(ex: Exchange): PageLite | undefined {
  const body = isRecord(ex.body) ? ex.body : {};
  // data: null on an empty page is RT-SEARCH-EMPTY's finding; here it is read as no prompts
  const data = body.data === null ? [] : body.data;
  if (ex.status !== 200 || !Array.isArray(data)) return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const items = data.flatMap((r: unknown) => {
    const o = isRecord(r) ? r : {};
    return typeof o.id === 'string'
      ? [{ id: o.id, name: str(o.name), model: str(o.model), flowId: str(o.flowId) }]
      : [];
  });
  const p = isRecord(body.pagination) ? body.pagination : {};
  return {
    ex,
    items,
    nextCursor: p.nextCursor,
    prevCursor: p.prevCursor,
    hasMore: p.hasMore,
    totalCount: p.totalCount,
  };
}

const rowIds = (ex: Exchange) => readLite(ex)?.items.map((it) => it.id);

interface PromptListing extends Listing {
  items: PromptLite[];
  first: PageLite;
}

/** One account's prompts walked by nextCursor (sent alone, as documented) for at most {@link ISOLATION_PAGES} pages. */
function listing(ctx: RtContext, auth: 'key' | 'second'): Promise<PromptListing> {
  return ctx.memo(`iso-listing-${auth}`, async () => {
    const items: PromptLite[] = [];
    const pages: Exchange[] = [];
    let first: PageLite | undefined;
    // in listQuery's key order, so the first account's pages are the reference walk's cached answers
    let query: Query = listQuery({ limit: PAGE });
    ctx.expectMaxAccepted();
    for (let k = 0; k < ISOLATION_PAGES; k++) {
      const ex = await ctx.get(query, { auth });
      if (k === 0 && auth === 'key') ctx.expectMaxAnswered(ex);
      pages.push(ex);
      const page = readLite(ex);
      // a later page refused (e.g. a cursor the key does not own): the listing is what was walked so far
      if (page === undefined && k > 0) break;
      expectThat(page !== undefined, () => ({
        expected: `200 with a page of ${auth === 'key' ? "the first account's" : "the second account's"} own prompts`,
        actual: `${ex.status} ${brief(ex.text)}`,
        exchange: ex,
      }));
      const head = first ?? page;
      first = head;
      items.push(...page.items);
      const done = (complete: boolean): PromptListing => ({
        ids: items.map((it) => it.id),
        items,
        complete,
        pages,
        first: head,
      });
      if (page.hasMore !== true || typeof page.nextCursor !== 'string') return done(page.hasMore === false);
      query = listQuery({ limit: PAGE, cursor: page.nextCursor });
    }
    return { ids: items.map((it) => it.id), items, complete: false, pages, first: first as PageLite };
  });
}

async function both(
  ctx: RtContext,
): Promise<{ a: PromptListing; b: PromptListing; aOnly: Set<string>; bOnly: Set<string> }> {
  requireSecondKey(ctx, ENV2);
  const a = await listing(ctx, 'key');
  const b = await listing(ctx, 'second');
  if (a.items.length < 2)
    throw new Skip(`the first account lists ${a.items.length} prompts; isolation needs at least 2 to leak`);
  return { a, b, aOnly: onlyIn(a, b), bOnly: onlyIn(b, a) };
}

interface Cursors {
  limit: number;
  /** Page 1's nextCursor and page 2's prevCursor, when sent. */
  next1: string | undefined;
  prev2: string | undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Real cursors of the first account: those of its listing's first two pages when it has them (already read),
 * else from two pages at a limit that gives the listing at least three pages.
 */
function cursorsOf(ctx: RtContext): Promise<Cursors> {
  return ctx.memo('iso-cursors-key', async () => {
    const l = await listing(ctx, 'key');
    const [p1, p2] = l.pages.map(readLite);
    if (p1?.hasMore === true && p2 !== undefined)
      return { limit: PAGE, next1: str(p1.nextCursor), prev2: str(p2.prevCursor) };
    const limit = Math.max(1, Math.min(50, Math.floor(l.items.length / 3)));
    const q1 = readLite(await ctx.get(listQuery({ limit })));
    const next1 = str(q1?.nextCursor);
    const q2 = next1 === undefined ? undefined : readLite(await ctx.get(listQuery({ limit, cursor: next1 })));
    return { limit, next1, prev2: str(q2?.prevCursor) };
  });
}

/**
 * A nextCursor of the second account: that of the preflight's one-prompt page (already read under the second
 * key), else of a page at a third of its listing; undefined when its listing has one page at every limit tried.
 */
function secondCursor(ctx: RtContext): Promise<string | undefined> {
  return ctx.memo('iso-cursor-second', async () => {
    const probe = readLite(await ctx.get(PROBE_QUERY, { auth: 'second' }));
    const next = str(probe?.nextCursor);
    if (probe?.hasMore === true && next !== undefined) return next;
    const n = (await listing(ctx, 'second')).items.length;
    const limit = Math.max(1, Math.min(50, Math.floor(n / 3)));
    return str(readLite(await ctx.get(listQuery({ limit }), { auth: 'second' }))?.nextCursor);
  });
}

/** A word of at least four letters from a prompt name: a search term the other account's prompts match. */
function searchWord(items: readonly PromptLite[]): string | undefined {
  for (const it of items) {
    const w = it.name?.split(/[^\p{L}]+/u).find((x) => x.length >= 4);
    if (w) return w;
  }
  return undefined;
}

const distinct = (values: readonly (string | undefined)[], n: number) =>
  [...new Set(values.filter((v): v is string => !!v))].slice(0, n);

/**
 * Paths a bad credential's header is sent on, besides the missing header (RT-AUTH-EVERY-PATH sends that on every
 * path): the plain page, an error path (a request validated before it is authenticated) and a cursor page (a cursor
 * trusted as proof of an earlier page) — where a server's authentication takes another branch.
 */
const HEADER_PATHS: ReadonlySet<string> = new Set(['the first page', 'an invalid limit (error path)', 'a cursor page']);

/** Requests of the auth rules: first, cursor (alone and with direction), filtered and error paths. */
async function authProbes(ctx: RtContext): Promise<{ probes: AuthProbe[]; known: Set<string> }> {
  const a = await listing(ctx, 'key');
  const c = await cursorsOf(ctx);
  const model =
    distinct(
      a.items.map((it) => it.model),
      1,
    )[0] ?? 'gpt-4o';
  const cursor = c.next1 ?? a.first.nextCursor;
  const probes: AuthProbe[] = [
    { path: 'the first page', query: {} },
    { path: 'a model-filtered page', query: { model } },
    { path: 'a search page', query: { search: searchWord(a.items) ?? 'a' } },
    { path: 'an invalid limit (error path)', query: { limit: 'abc' } },
    { path: 'an undecodable cursor (error path)', query: { cursor: 'not a cursor!' } },
  ];
  if (typeof cursor === 'string') {
    probes.push({ path: 'a cursor page', query: { limit: c.limit, cursor } });
    probes.push({
      path: 'a cursor page with direction',
      query: { limit: c.limit, cursor, direction: ctx.rt.directionValues[0] ?? 'next' },
    });
    probes.push({ path: 'a filtered cursor page', query: { limit: c.limit, model, cursor } });
  }
  if (c.prev2 !== undefined) probes.push({ path: 'a prevCursor page', query: { limit: c.limit, cursor: c.prev2 } });
  return { probes, known: new Set(a.ids) };
}

/** The cursor's bytes decoded as base64 (url-safe or not) JSON object, or undefined. */
export function decodeJson(cursor: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Re-encodes like the original: url-safe without padding, or standard base64. */
function encodeLike(original: string, value: unknown): string {
  const raw = Buffer.from(JSON.stringify(value));
  return /[+/=]/.test(original) ? raw.toString('base64') : raw.toString('base64url');
}

/** A prompt id no account holds, for cursors that point nowhere. */
const NOWHERE_PROMPT = '00000000-0000-4000-8000-00000000dead';

/**
 * The cursor with every id in it replaced by one no account holds, when it decodes as JSON and carries an id:
 * a cursor exactly like the real one that points nowhere. Undefined for an opaque cursor.
 */
function nowhereCursor(cursor: string): string | undefined {
  const json = decodeJson(cursor);
  if (!json) return undefined;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const keys = Object.keys(json).filter((k) => typeof json[k] === 'string' && uuid.test(String(json[k])));
  if (!keys.length) return undefined;
  return encodeLike(cursor, { ...json, ...Object.fromEntries(keys.map((k) => [k, NOWHERE_PROMPT])) });
}

/** One character replaced by another of the base64 alphabet, at `at` (a fraction of the length). */
function flip(cursor: string, at: number): string {
  const i = Math.min(cursor.length - 1, Math.floor(cursor.length * at));
  const c = cursor[i] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, i)}${c}${cursor.slice(i + 1)}`;
}

/**
 * Altered copies of the caller's cursor: bytes flipped, and when it is JSON, each field re-encoded with the
 * other account's value for it (from that account's own cursor, or one of its prompt ids) or another value.
 */
function tamperings(
  cursor: string,
  own: ReadonlySet<string>,
  foreignId: string,
  foreignCursor: string | undefined,
): { how: string; cursor: string }[] {
  const out = [
    { how: 'one character flipped near the start', cursor: flip(cursor, 0.25) },
    { how: 'one character flipped near the end', cursor: flip(cursor, 0.75) },
  ];
  const json = decodeJson(cursor);
  if (!json) return out;
  const theirs = foreignCursor === undefined ? undefined : decodeJson(foreignCursor);
  for (const [k, v] of Object.entries(json).slice(0, 4)) {
    const set = (value: unknown, how: string) =>
      out.push({ how: `decoded JSON, ${k} ${how}`, cursor: encodeLike(cursor, { ...json, [k]: value }) });
    const other = theirs?.[k];
    if (other !== undefined && JSON.stringify(other) !== JSON.stringify(v))
      set(other, "set to the other account's cursor's value");
    else if (typeof v === 'string' && own.has(v)) set(foreignId, "set to the other account's prompt id");
    else if (typeof v === 'string') set(`${v}x`, 'altered');
    if (typeof v === 'number') {
      set(-1, 'set to -1');
      set(1e9, 'set to 1e9');
      set(String(v), 'as a string');
    }
  }
  return out.slice(0, 10);
}

/** A cursor sent under a key that did not get it, and the prompts the answer must not hold. */
interface ForeignCursorCase {
  kind: string;
  query: Query;
  auth: 'key' | 'second';
  foreign: Set<string>;
}

/**
 * RT-ISO-CURSOR's cases: each way a cursor is read, forward (alone, and with the forward direction value) and backward
 * (alone, and with the backward one), the first account's cursors under the second key; then the second account's
 * nextCursor under the first key. A cursor against its own direction, or from a later page, reads the same way.
 */
async function foreignCursorCases(
  ctx: RtContext,
  c: Cursors,
  aOnly: Set<string>,
  bOnly: Set<string>,
): Promise<ForeignCursorCase[]> {
  const dirs = ctx.rt.directionValues.slice(0, 2);
  const cases: ForeignCursorCase[] = [];
  const add = (kind: string, cursor: string | undefined, withDirs: readonly string[]) => {
    if (cursor === undefined) return;
    const of = `the first account's ${kind}`;
    cases.push({
      kind: `${of} with the second key`,
      query: { limit: c.limit, cursor },
      auth: 'second',
      foreign: aOnly,
    });
    for (const direction of withDirs)
      cases.push({
        kind: `${of} and direction=${direction} with the second key`,
        query: { limit: c.limit, cursor, direction },
        auth: 'second',
        foreign: aOnly,
      });
  };
  add('nextCursor', c.next1, dirs.slice(0, 1));
  add('prevCursor', c.prev2, dirs.slice(1));
  const back = await secondCursor(ctx);
  if (back !== undefined)
    cases.push({
      kind: "the second account's nextCursor with the first key",
      query: { limit: c.limit, cursor: back },
      auth: 'key',
      foreign: bOnly,
    });
  return cases;
}

/**
 * One account's totalCount equals its listing walked to the end (RT-ISO-COUNT). A count bracketed by two readings is
 * drift; a wrong count is RT-TOTAL-COUNT's finding unless the excess is exactly the other account's prompts.
 */
async function judgeAccountCount(
  ctx: RtContext,
  who: 'first' | 'second',
  l: PromptListing,
  other: PromptListing,
): Promise<void> {
  const walked = new Set(l.ids).size;
  if (l.first.totalCount !== walked) {
    // a live account may have changed while it was walked: a count bracketed by two readings is drift
    const again = readLite(await ctx.get({ limit: PAGE }, { auth: who === 'first' ? 'key' : 'second', fresh: true }));
    const [lo, hi] = [l.first.totalCount, again?.totalCount].map(Number).sort((x, y) => x - y) as [number, number];
    if (again?.totalCount !== l.first.totalCount && walked >= lo && walked <= hi) {
      ctx.noteDrift(
        `the ${who} account's totalCount moved from ${brief(l.first.totalCount)} to ${brief(again?.totalCount)} while ${walked} prompts were walked`,
      );
      return;
    }
    if (again?.totalCount !== l.first.totalCount)
      throw new Inconclusive(
        `the ${who} account's totalCount moved from ${brief(l.first.totalCount)} to ${brief(again?.totalCount)} during the run`,
      );
  }
  if (l.first.totalCount !== walked) {
    // a walk that skips or repeats prompts (the reference's owners say so) cannot vouch for a count
    await ctx.trusted();
    // a wrong count is RT-TOTAL-COUNT's finding; it is an isolation failure when the excess is the other account
    const excess = typeof l.first.totalCount === 'number' ? l.first.totalCount - walked : Number.NaN;
    const isOthers = other.complete && excess === new Set(other.ids).size;
    if (!isOthers && (await ctx.reference()).findings.has('RT-TOTAL-COUNT'))
      throw new Blocked(
        ['RT-TOTAL-COUNT'],
        `totalCount is off by ${excess}, not by the other account's ${new Set(other.ids).size} prompts`,
      );
  }
  expectThat(l.first.totalCount === walked, () => ({
    expected: `totalCount ${walked} (the ${who} account's prompts, walked to the end)`,
    actual: `totalCount ${brief(l.first.totalCount)}`,
    exchange: l.first.ex,
  }));
}

/**
 * The second account's totalCount for a model of the first equals its own prompts with that model (RT-ISO-COUNT);
 * prompts added since its walk explain at most as many as its total grew by. False when no page came back.
 */
async function judgeModelCount(ctx: RtContext, b: PromptListing, model: string): Promise<boolean> {
  const ex = await ctx.get({ limit: PAGE, model }, { auth: 'second' });
  const page = readLite(ex);
  if (!page) return false;
  const want = b.items.filter((it) => it.model === model).length;
  const off = typeof page.totalCount === 'number' ? Math.abs(page.totalCount - want) : Number.POSITIVE_INFINITY;
  if (off > 0 && Number.isFinite(off)) {
    const again = readLite(await ctx.get({ limit: PAGE }, { auth: 'second', fresh: true }));
    const grew =
      typeof again?.totalCount === 'number' && typeof b.first.totalCount === 'number'
        ? Math.abs(again.totalCount - b.first.totalCount)
        : 0;
    if (off <= grew) {
      ctx.noteDrift(
        `the second account's totalCount moved by ${grew} during the run; model=${model} counted ${brief(page.totalCount)} against ${want} walked`,
      );
      return true;
    }
  }
  expectThat(page.totalCount === want, () => ({
    expected: `totalCount ${want} for model=${model} (the second account's own prompts with that model)`,
    actual: `totalCount ${brief(page.totalCount)}`,
    exchange: ex,
  }));
  return true;
}

export const isolationRules = [
  defineRule({
    id: 'RT-ISO-DISJOINT',
    doc: DOC,
    basis: 'documented',
    summary: 'two accounts list disjoint prompts: no prompt is listed under both keys (walks bounded)',
    check: async (ctx: RtContext) => {
      requireSecondKey(ctx, ENV2);
      const a = await listing(ctx, 'key');
      const b = await listing(ctx, 'second');
      if (!a.items.length && !b.items.length)
        throw new Skip('neither account lists a prompt; add prompts to one of them');
      const own = new Set(a.ids);
      const shared = b.ids.filter((id) => own.has(id));
      const page = b.pages.find((p) => rowIds(p)?.some((id) => own.has(id)));
      expectThat(shared.length === 0, () => ({
        expected: "no prompt listed under both keys (each lists its own user's prompts)",
        actual: `${shared.length} prompts listed under both keys, e.g. ${shared[0]} (if both keys belong to one user, set ${ENV2} to another user's key)`,
        exchange: page,
      }));
    },
  }),
  defineRule({
    id: 'RT-ISO-CURSOR',
    doc: `${DOC}; Params (cursor, direction)`,
    basis: 'documented',
    summary:
      "another account's nextCursor or prevCursor, alone or with direction, is refused (4xx) or pages only the caller's own prompts; refused, it is answered as a cursor no account was issued",
    check: async (ctx: RtContext) => {
      const { aOnly, bOnly } = await both(ctx);
      const c = await cursorsOf(ctx);
      if (c.next1 === undefined)
        throw new Skip("the first account's listing has one page at every limit tried; no cursor to send");
      const cases = await foreignCursorCases(ctx, c, aOnly, bOnly);
      for (const [i, k] of cases.entries()) {
        const ex = await ctx.get(k.query, { auth: k.auth });
        ctx.observe(
          'RT-GAP-FOREIGN-CURSOR',
          `${k.kind} → ${ex.status}${ex.status === 200 ? ` with ${rowIds(ex)?.length ?? 0} prompts` : ''}`,
        );
        expectRefusedOrOwn(ex, rowIds, k.foreign, k.kind);
        // no existence leak: the same cursor pointing at a prompt no account holds, sent the same way with the same
        // key, is answered alike; the first case (one request: the refusal path is the same for every case)
        if (i !== 0) continue;
        const crafted = nowhereCursor(String(k.query.cursor));
        if (crafted === undefined) continue; // opaque: no cursor is known to exist nowhere
        expectAnsweredAsUnknown(ex, await ctx.get({ ...k.query, cursor: crafted }, { auth: k.auth }), k.kind);
      }
    },
  }),
  defineRule({
    id: 'RT-ISO-FILTER',
    doc: `${DOC}; Params (search, model, flowId)`,
    basis: 'documented',
    summary:
      "every filter (search, model, flowId taken from the other account's prompts) lists only the caller's own prompts; the other account's flowId, refused, is answered as a flowId that exists nowhere",
    check: async (ctx: RtContext) => {
      const { a, b, aOnly } = await both(ctx);
      const word = searchWord(a.items);
      // one value per filter: the owner condition is dropped per query path, not per value (the response audit
      // judges every other filtered page either key is shown, whichever rule asked)
      const queries: Query[] = [
        ...(word ? [{ limit: PAGE, search: word }] : []),
        ...distinct(
          a.items.map((it) => it.model),
          1,
        ).map((model) => ({ limit: PAGE, model })),
        ...distinct([...a.items.map((it) => it.flowId), ...ctx.rt.flowIds], 1).map((flowId) => ({
          limit: PAGE,
          flowId,
        })),
      ];
      for (const query of queries) {
        const ex = await ctx.get(query, { auth: 'second' });
        expectRefusedOrOwn(ex, rowIds, aOnly, `${queryString(query)} with the second key`);
      }
      await expectFlowAnsweredAsUnknown(ctx, queries, new Set(b.items.map((it) => it.flowId)));
      // a filtered cursor page too: the caller's own nextCursor of a small filtered page
      for (const query of queries.slice(0, 1)) {
        const small = { ...query, limit: SMALL };
        const next = readLite(await ctx.get(small, { auth: 'second' }))?.nextCursor;
        if (typeof next !== 'string') continue;
        const q = { ...small, cursor: next };
        expectRefusedOrOwn(
          await ctx.get(q, { auth: 'second' }),
          rowIds,
          aOnly,
          `${queryString(q)} with the second key`,
        );
      }
    },
  }),
  defineRule({
    id: 'RT-ISO-COUNT',
    doc: `${DOC}; Response (pagination.totalCount)`,
    basis: 'documented',
    summary:
      "totalCount counts only the key's own prompts: it equals each account's walked listing, unfiltered and by model",
    check: async (ctx: RtContext) => {
      const { a, b, aOnly } = await both(ctx);
      // listings that share prompts (RT-ISO-DISJOINT's finding) leave no telling whose count is whose
      if (aOnly.size < new Set(a.ids).size)
        throw new Blocked(['RT-ISO-DISJOINT'], 'the two accounts list shared prompts, so neither count can be judged');
      const checked: string[] = [];
      for (const [who, l, other] of [
        ['first', a, b],
        ['second', b, a],
      ] as const) {
        if (!l.complete) continue;
        checked.push(who);
        await judgeAccountCount(ctx, who, l, other);
      }
      const model = distinct(
        a.items.map((it) => it.model),
        1,
      )[0];
      if (b.complete && model !== undefined && (await judgeModelCount(ctx, b, model))) checked.push('by model');
      if (!checked.length)
        throw new Skip(
          `neither listing ended within ${ISOLATION_PAGES} pages of ${PAGE}; totalCount could not be compared`,
        );
    },
  }),
  defineRule({
    id: 'RT-ISO-TAMPERED-CURSOR',
    doc: `${DOC}; Params (cursor); Errors (400)`,
    basis: 'inferred',
    summary:
      "a cursor altered by the client (bytes flipped, JSON re-encoded with another offset or the other account's id) gets a 4xx or the caller's own prompts, never a 5xx",
    check: async (ctx: RtContext) => {
      const { a, b, aOnly } = await both(ctx);
      const own = await secondCursor(ctx);
      if (own === undefined)
        throw new Skip("the second account's listing has one page at every limit tried; no cursor to tamper with");
      const foreignId = [...aOnly][Math.floor(aOnly.size / 2)] ?? a.ids[0] ?? '';
      const theirs = (await cursorsOf(ctx)).next1;
      for (const t of tamperings(own, new Set(b.ids), foreignId, theirs)) {
        // a full page, whatever page size the cursor was issued at: a leak shows as many of the other's prompts as it can
        const ex = await ctx.get(listQuery({ limit: PAGE, cursor: t.cursor }), { auth: 'second' });
        ctx.observe(
          'RT-GAP-TAMPERED-CURSOR',
          `${t.how} → ${ex.status}${ex.status === 200 ? ` with ${rowIds(ex)?.length ?? 0} prompts` : ''}`,
        );
        expectRefusedOrOwn(ex, rowIds, aOnly, `a tampered cursor (${t.how})`);
      }
    },
  }),
  defineRule({
    id: 'RT-AUTH-EVERY-PATH',
    doc: AUTH_DOC,
    basis: 'documented',
    summary:
      'without Authorization every path is refused (401/403, no prompts): first, cursor, filtered and error pages alike',
    check: async (ctx: RtContext) => {
      const { probes, known } = await authProbes(ctx);
      await expectRefusedEverywhere(ctx, ['none'], probes, known, 'RT-GAP-AUTH');
    },
  }),
  defineRule({
    id: 'RT-AUTH-MALFORMED',
    doc: AUTH_DOC,
    basis: 'documented',
    summary:
      'a malformed Authorization (an empty Bearer token, a wrong key without a scheme) is refused (400/401/403, no prompts) on the first page, an error path and a cursor page',
    check: async (ctx: RtContext) => {
      const { probes, known } = await authProbes(ctx);
      // the curl example sends the bare key, so the real key without "Bearer" is recorded, not judged
      const bare = await ctx.get({}, { auth: 'raw' });
      ctx.observe('RT-GAP-AUTH', `the real key without "Bearer " → ${bare.status}`);
      const paths = probes.filter((p) => HEADER_PATHS.has(p.path));
      await expectRefusedEverywhere(ctx, ['empty', 'raw-wrong'], paths, known, 'RT-GAP-AUTH');
    },
  }),
  defineRule({
    id: 'RT-AUTH-NEAR-KEY',
    doc: AUTH_DOC,
    basis: 'inferred',
    summary:
      'a key one character off the real one (same length and prefix; or its last letter in the other case) is refused on the first page, an error path and a cursor page',
    check: async (ctx: RtContext) => {
      const { probes, known } = await authProbes(ctx);
      const paths = probes.filter((p) => HEADER_PATHS.has(p.path));
      await expectRefusedEverywhere(ctx, ['near'], paths, known, 'RT-GAP-AUTH');
      // a case-insensitive lookup shows on any path: the first page is enough
      await expectRefusedEverywhere(ctx, ['near-case'], paths.slice(0, 1), known, 'RT-GAP-AUTH');
    },
  }),
] as const;

export type RtIsolationRuleId = (typeof isolationRules)[number]['id'];
