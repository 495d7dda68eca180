/**
 * Tenant isolation and authentication on every path, for BetterPrompt `GET /v1/runs`. The docs list "runs
 * created by the authenticated user": with a second account's key (BETTERPROMPT_API_KEY_2) the two listings,
 * cursors and filters must never cross; without it the isolation rules are skipped, never passed.
 * A run is "another account's" when it was walked under that account's key and not under the caller's.
 */
import { at, isRecord } from '../../../shared/guards';
import { type Exchange, type Query, queryString } from '../../../shared/http';
import {
  type AuthProbe,
  expectRefusedEverywhere,
  expectAnsweredAsUnknown,
  expectRefusedOrOwn,
  ISOLATION_PAGES,
  type Listing,
  onlyIn,
  requireSecondKey,
} from '../../../shared/isolation';
import { brief, defineRule, expectThat, Skip } from '../../../shared/rule';
import type { BpContext } from '../context';

const ENV2 = 'BETTERPROMPT_API_KEY_2';
const DOC = 'GET /v1/runs › Summary ("runs created by the authenticated user")';
const AUTH_DOC =
  'GET /v1/runs › Pagination (Authorization: Bearer key); Guide (Bearer API key; 401 UNAUTHORIZED_ERROR)';
/** Well inside 1–50: a limit bug (e.g. 50 refused) is BP-LIMIT-MAX's finding, not an isolation failure. */
/** A well-formed run ID no account holds (BP-NO-5XX sends it too, so the answer is reused). */
const NOWHERE_RUN = '00000000-0000-4000-8000-000000000000';
const PAGE = 25;
/** A page size that leaves a second page to follow on small filtered listings. */
const SMALL = 3;
const STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

interface RunLite {
  runId: string;
  sec: number;
  runStatus: unknown;
}

/** A 200 page's rows (id, createdAt in seconds, status), or undefined when the answer is not a page. */
function pageRows(ex: Exchange): RunLite[] | undefined {
  const rows = at(ex.body, 'data', 'rows');
  if (ex.status !== 200 || !Array.isArray(rows)) return undefined;
  return rows.flatMap((r: unknown) => {
    const o = isRecord(r) ? r : {};
    return typeof o.runId === 'string'
      ? [{ runId: o.runId, sec: Math.floor(Date.parse(String(o.createdAt)) / 1000), runStatus: o.runStatus }]
      : [];
  });
}

const rowIds = (ex: Exchange) => pageRows(ex)?.map((r) => r.runId);

interface RunListing extends Listing {
  rows: RunLite[];
}

/**
 * One account's runs, newest first, walked by startingAfter for at most {@link ISOLATION_PAGES} pages;
 * the key's first URLs are those of the reference walk, so they come from the cache.
 */
function listing(ctx: BpContext, auth: 'key' | 'second'): Promise<RunListing> {
  return ctx.memo(`iso-listing-${auth}`, async () => {
    const out: RunListing = { ids: [], rows: [], complete: false, pages: [] };
    let query: Query = { limit: PAGE };
    for (let k = 0; k < ISOLATION_PAGES; k++) {
      const ex = await ctx.get(query, { auth });
      out.pages.push(ex);
      const rows = pageRows(ex);
      // a later page refused (e.g. a cursor the key does not own): the listing is what was walked so far
      if (rows === undefined && k > 0) break;
      expectThat(rows !== undefined, () => ({
        expected: `200 with a page of ${auth === 'key' ? "the first account's" : "the second account's"} own runs`,
        actual: `${ex.status} ${brief(ex.text)}`,
        exchange: ex,
      }));
      out.rows.push(...rows);
      const hasMore = at(ex.body, 'data', 'hasMore');
      const last = rows.at(-1);
      if (hasMore !== true || !last) return { ...out, ids: out.rows.map((r) => r.runId), complete: hasMore === false };
      query = { limit: PAGE, startingAfter: last.runId };
    }
    return { ...out, ids: out.rows.map((r) => r.runId) };
  });
}

/** Both listings; a skip when the first account has no run another key could leak. */
async function both(ctx: BpContext): Promise<{ a: RunListing; b: RunListing; aOnly: Set<string>; bOnly: Set<string> }> {
  requireSecondKey(ctx, ENV2);
  const a = await listing(ctx, 'key');
  const b = await listing(ctx, 'second');
  if (a.rows.length < 2)
    throw new Skip(`the first account lists ${a.rows.length} runs; isolation needs at least 2 to leak`);
  return { a, b, aOnly: onlyIn(a, b), bOnly: onlyIn(b, a) };
}

/** Requests of the auth rules: first, cursor (both kinds), filtered and error paths, with real run IDs. */
async function authProbes(ctx: BpContext): Promise<{ probes: AuthProbe[]; known: Set<string> }> {
  const a = await listing(ctx, 'key');
  const id = a.rows[Math.min(9, a.rows.length - 1)]?.runId ?? '01234567-89ab-4def-8123-456789abcdef';
  const newest = a.rows[0]?.runId ?? id;
  const probes: AuthProbe[] = [
    { path: 'the first page', query: {} },
    { path: 'a startingAfter page', query: { startingAfter: id } },
    { path: 'an endingBefore page', query: { endingBefore: id } },
    { path: 'a status-filtered page', query: { status: 'succeeded', limit: PAGE } },
    { path: 'a filtered cursor page', query: { status: 'succeeded', since: 0, startingAfter: newest } },
    { path: 'an invalid limit (error path)', query: { limit: 0 } },
    { path: 'both cursors (error path)', query: { startingAfter: id, endingBefore: id } },
  ];
  return { probes, known: new Set(a.ids) };
}

/**
 * {@link expectRefusedOrOwn}, except that a 5xx once BP-NO-5XX failed is that rule's finding (a crash on another
 * account's cursor is neither a refusal nor a leak): the check is blocked by it rather than failed a second time.
 */
function refusedOrOwn(ctx: BpContext, ex: Exchange, foreign: ReadonlySet<string>, what: string): void {
  if (ex.status >= 500)
    ctx.blockedByFailed(['BP-NO-5XX'], `the answer is a ${ex.status}; this check reads its rows for ${what}`);
  expectRefusedOrOwn(ex, rowIds, foreign, what);
}

export const isolationRules = [
  defineRule({
    id: 'BP-ISO-DISJOINT',
    doc: DOC,
    basis: 'documented',
    summary: 'two accounts list disjoint runs: no run is listed under both keys (walks bounded)',
    check: async (ctx: BpContext) => {
      requireSecondKey(ctx, ENV2);
      const a = await listing(ctx, 'key');
      const b = await listing(ctx, 'second');
      if (!a.rows.length && !b.rows.length) throw new Skip('neither account lists a run; add runs to one of them');
      const own = new Set(a.ids);
      const page = b.pages.find((p) => rowIds(p)?.some((id) => own.has(id)));
      const shared = b.ids.filter((id) => own.has(id));
      expectThat(shared.length === 0, () => ({
        expected: "no run listed under both keys (each lists its own user's runs)",
        actual: `${shared.length} runs listed under both keys, e.g. ${shared[0]} (if both keys belong to one user, set ${ENV2} to another user's key)`,
        exchange: page,
      }));
    },
  }),
  defineRule({
    id: 'BP-ISO-CURSOR',
    doc: `${DOC}; Params (startingAfter, endingBefore)`,
    basis: 'documented',
    summary:
      "another account's run ID as startingAfter or endingBefore is refused (4xx) or pages only the caller's own runs; refused, it is answered as an ID that exists nowhere (same status, same body keys)",
    check: async (ctx: BpContext) => {
      const { a, b, aOnly, bOnly } = await both(ctx);
      const n = a.rows.length;
      // a cursor the first account really pages with (its first default page's last run), and one mid-listing
      const picks = [...new Set([Math.min(9, n - 2), Math.floor(n / 2)])].map((i) => (a.rows[i] as RunLite).runId);
      const cases: { query: Query; auth: 'key' | 'second'; foreign: Set<string> }[] = [];
      for (const id of picks)
        for (const dir of ['startingAfter', 'endingBefore'])
          cases.push({ query: { [dir]: id }, auth: 'second', foreign: aOnly });
      const back = b.rows[Math.floor(b.rows.length / 2)];
      if (back)
        for (const dir of ['startingAfter', 'endingBefore'])
          cases.push({ query: { [dir]: back.runId }, auth: 'key', foreign: bOnly });
      for (const c of cases) {
        const ex = await ctx.get(c.query, { auth: c.auth });
        const [dir] = Object.keys(c.query);
        const who =
          c.auth === 'second'
            ? "the first account's run as {dir} with the second key"
            : "the second account's run as {dir} with the first key";
        ctx.observe(
          'BP-GAP-FOREIGN-CURSOR',
          `another account's run ID as ${dir} → ${ex.status}${ex.status === 200 ? ` with ${rowIds(ex)?.length ?? 0} runs` : ''}`,
        );
        refusedOrOwn(ctx, ex, c.foreign, who.replace('{dir}', String(dir)));
        // the same cursor kind with an id no account holds, the same key: the two answers must not differ
        const unknown = await ctx.get({ [String(dir)]: NOWHERE_RUN }, { auth: c.auth });
        expectAnsweredAsUnknown(ex, unknown, who.replace('{dir}', String(dir)));
      }
    },
  }),
  defineRule({
    id: 'BP-ISO-FILTER',
    doc: `${DOC}; Params (status, since, until)`,
    basis: 'documented',
    summary:
      "every filter (each status, since/until windows over the other account's runs) lists only the caller's own runs",
    check: async (ctx: BpContext) => {
      const { a, aOnly } = await both(ctx);
      const secs = a.rows.map((r) => r.sec).filter(Number.isFinite);
      const since = Math.min(...secs);
      const until = Math.max(...secs) + 1;
      const first = a.rows[0] as RunLite;
      const mid = a.rows[Math.floor(a.rows.length / 2)] as RunLite;
      const windows: Query[] = [
        { since, until },
        { since },
        { until },
        { status: String(first.runStatus), since, until },
      ];
      const queries: Query[] = [
        ...STATUSES.map((status) => ({ status, limit: PAGE })),
        ...windows.map((w) => ({ ...w, limit: PAGE })),
        // another account's run as the cursor of a filtered page, which some servers answer by another code path
        { status: String(mid.runStatus), startingAfter: mid.runId, limit: PAGE },
      ];
      for (const query of queries) {
        // another account's cursor that leaks without a filter too is BP-ISO-CURSOR's finding, already reported
        if (query.startingAfter !== undefined && ctx.failedRules.has('BP-ISO-CURSOR')) continue;
        const ex = await ctx.get(query, { auth: 'second' });
        refusedOrOwn(ctx, ex, aOnly, `${queryString(query)} with the second key`);
      }
      // filtered cursor pages too: the caller's own next page of a small filtered page
      for (const w of [windows[2], windows[3]]) {
        const small = { ...w, limit: SMALL };
        const page1 = await ctx.get(small, { auth: 'second' });
        const last = pageRows(page1)?.at(-1);
        if (!last || at(page1.body, 'data', 'hasMore') !== true) continue;
        const next = { ...small, startingAfter: last.runId };
        refusedOrOwn(ctx, await ctx.get(next, { auth: 'second' }), aOnly, `${queryString(next)} with the second key`);
      }
    },
  }),
  defineRule({
    id: 'BP-AUTH-EVERY-PATH',
    doc: AUTH_DOC,
    basis: 'inferred',
    summary:
      'without Authorization every path is refused (401/403, no runs): first, cursor, filtered and error pages alike',
    check: async (ctx: BpContext) => {
      const { probes, known } = await authProbes(ctx);
      await expectRefusedEverywhere(ctx, ['none'], probes, known, 'BP-GAP-AUTH-STATUS');
    },
  }),
  defineRule({
    id: 'BP-AUTH-MALFORMED',
    doc: AUTH_DOC,
    basis: 'documented',
    summary:
      'a malformed Authorization (the key without "Bearer ", a wrong key without it, an empty Bearer token) is refused (400/401/403, no runs) on every path',
    check: async (ctx: BpContext) => {
      const { probes, known } = await authProbes(ctx);
      await expectRefusedEverywhere(ctx, ['empty', 'raw-wrong', 'raw'], probes, known, 'BP-GAP-AUTH-STATUS');
    },
  }),
  defineRule({
    id: 'BP-AUTH-NEAR-KEY',
    doc: AUTH_DOC,
    basis: 'inferred',
    summary:
      'a key one character off the real one (same length and prefix; or its last letter in the other case) is refused on every path',
    check: async (ctx: BpContext) => {
      const { probes, known } = await authProbes(ctx);
      await expectRefusedEverywhere(ctx, ['near'], probes, known, 'BP-GAP-AUTH-STATUS');
      // a case-insensitive lookup shows on any path: three are enough
      await expectRefusedEverywhere(ctx, ['near-case'], probes.slice(0, 3), known, 'BP-GAP-AUTH-STATUS');
    },
  }),
] as const;

export type BpIsolationRuleId = (typeof isolationRules)[number]['id'];
