/**
 * Runtype rules on errors, authentication and robustness: bad values in context, garbage cursors, missing or wrong
 * keys, determinism, no 5xx, JSON everywhere (GET /v1/prompts › Auth; Errors).
 */
import { expectStatus, isClientError, json } from '../../../shared/expect';
import type { Exchange } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { brief, defineRule, expectThat } from '../../../shared/rule';
import { pairwise } from '../../../shared/covering';
import { anyQuery, garbageCursor, tieBoundaries, UNKNOWN_FLOW_ID } from '../arbitraries';
import type { RtContext } from '../context';
import {
  commonFilters,
  describeFilters,
  type Filters,
  ids,
  type ListParams,
  listQuery,
  MAX_LIMIT,
  readPage,
  shiftedByNewPrompts,
} from '../pager';
import { defineRejectRule } from './reject';
import { bodyField, someCursor } from './shared';

function observeErrorBody(ctx: RtContext, ex: Exchange): void {
  if (ex.status < 400) return;
  const body = ex.body;
  const shape =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? `{${Object.keys(body).sort().join(', ')}}`
      : ex.isJson
        ? typeof body
        : 'not JSON';
  ctx.observe('RT-GAP-ERROR-BODY', `${ex.status} body ${shape}`);
}

/** A cursor no server issued gets a 4xx (RT-CURSOR-GARBAGE); a JSON body is RT-RESP-JSON's business. */
async function judgeGarbageCursor(ctx: RtContext, cursor: string): Promise<void> {
  const ex = await ctx.get(listQuery({ cursor }));
  observeErrorBody(ctx, ex);
  expectThat(isClientError(ex), () => ({
    expected: `a 400 (or another 4xx) for cursor "${cursor}"`,
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
}

/** Opaque to the rules; recorded only to compare with the sibling endpoints' base64 JSON {id, offset}. */
function observeCursorFormat(ctx: RtContext, cursor: string): void {
  let shape = 'opaque (not base64 JSON)';
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null) shape = `base64 JSON with keys ${Object.keys(v).sort().join(', ')}`;
  } catch {
    // not JSON: opaque
  }
  ctx.observe('RT-GAP-CURSOR-FORMAT', `nextCursor is ${shape}`);
}

/** The bad values RT-ERROR-CONTEXT sends alone and in company: limits, a cursor, a direction. */
const BAD_IN_CONTEXT: readonly ListParams[] = [
  ...['0', '-1', 'abc', '2.5'].map((limit) => ({ limit })),
  { cursor: 'not a cursor!' },
  { direction: 'sideways' },
];

/** A bad value and the valid parameters sent beside it. */
interface InContext {
  bad: ListParams;
  beside: ListParams;
}

/**
 * Parameter × bad value × accompanying parameters, pairwise: each bad value beside each filter and the cursor
 * (never a cursor beside a bad cursor, nor one the target never issued).
 */
function inContextTable(c: Filters, cursor: string | undefined, seed: number): InContext[] {
  const company = (name: string): ListParams =>
    name === 'search'
      ? { search: c.search }
      : name === 'model'
        ? { model: c.model }
        : name === 'flowId'
          ? { flowId: c.flowId }
          : { cursor };
  const rows = pairwise(
    { bad: BAD_IN_CONTEXT, a: ['search', 'model'], b: ['flowId', 'cursor'] },
    { seed, allowed: (r) => !(r.b === 'cursor' && (r.bad.cursor !== undefined || cursor === undefined)) },
  );
  return rows.map(({ bad, a, b }) => ({ bad, beside: { ...company(a), ...company(b) } }));
}

/** A bad value gets the same kind of answer (4xx or page) alone and beside valid parameters (RT-ERROR-CONTEXT). */
async function judgeInContext(ctx: RtContext, { bad, beside }: InContext): Promise<void> {
  // the company alone must be a page, or a refusal says nothing about the bad value
  if ((await ctx.get(listQuery(beside))).status !== 200) return;
  const alone = await ctx.get(listQuery(bad));
  const together = await ctx.get(listQuery({ ...beside, ...bad }));
  if (alone.status >= 500 || together.status >= 500) return; // RT-NO-5XX's
  expectThat(isClientError(alone) === isClientError(together), () => ({
    expected: `the same kind of answer for ${json(bad)} alone (${alone.status}) and beside ${describeFilters(beside)}${beside.cursor ? ' and a cursor' : ''}`,
    actual: `${together.status} ${brief(together.text, 120)}`,
    exchange: together,
  }));
}

export const errorContextRule = defineRejectRule({
  id: 'RT-ERROR-CONTEXT',
  doc: 'GET /v1/prompts › Params; Errors (400 Bad Request)',
  basis: 'inferred',
  summary:
    'a bad limit, cursor or direction gets the same kind of answer (4xx or page) alone and beside valid filters or a cursor',
  setup: async (ctx) => {
    const ref = await ctx.reference();
    const cursor = await someCursor(ctx, ref);
    return { cursor, common: commonFilters(ref.items, ctx.knownFlowIds(ref.items)) };
  },
  table: ({ cursor, common }, ctx) => inContextTable(common, cursor, ctx.settings.seed),
  judge: judgeInContext,
});

export const errorRules = [
  defineRejectRule({
    id: 'RT-CURSOR-GARBAGE',
    doc: 'GET /v1/prompts › Params (cursor); Errors (400 Bad Request)',
    basis: 'documented',
    summary:
      'a cursor no server could have issued ("not a cursor!", "{\\"offset\\":") gets a 4xx, never a 5xx or a page',
    setup: async (ctx) => {
      const real = (await ctx.reference()).pages[0]?.info.nextCursor;
      if (typeof real === 'string') observeCursorFormat(ctx, real);
    },
    drawn: { cases: garbageCursor, maxRuns: 6 },
    judge: judgeGarbageCursor,
  }),
  defineRule({
    id: 'RT-AUTH-MISSING',
    doc: 'GET /v1/prompts › Auth (Bearer API key); Errors (401, 403)',
    basis: 'documented',
    summary: 'a request without Authorization is refused (401/403) and carries no prompts',
    check: async (ctx: RtContext) => {
      const ex = await ctx.get(listQuery({}), { auth: 'none' });
      ctx.observe('RT-GAP-AUTH', `no Authorization header → ${ex.status}`);
      expectStatus(ex, [401, 403], '401 or 403 without a key');
      expectThat(!Array.isArray(bodyField(ex, 'data')), () => ({
        expected: 'no data in a refusal',
        actual: brief(ex.text),
        exchange: ex,
      }));
    },
  }),
  defineRule({
    id: 'RT-AUTH-WRONG',
    doc: 'GET /v1/prompts › Auth (Bearer API key); Errors (401, 403)',
    basis: 'documented',
    summary: 'a request with a wrong key is refused (401/403) and carries no prompts',
    check: async (ctx: RtContext) => {
      const ex = await ctx.get(listQuery({}), { auth: 'wrong' });
      ctx.observe('RT-GAP-AUTH', `an unknown Bearer key → ${ex.status}`);
      expectStatus(ex, [401, 403], '401 or 403 for an unknown key');
      expectThat(!Array.isArray(bodyField(ex, 'data')), () => ({
        expected: 'no data in a refusal',
        actual: brief(ex.text),
        exchange: ex,
      }));
    },
  }),
  defineRule({
    id: 'RT-DETERMINISTIC',
    doc: 'GET /v1/prompts › Params (cursor pagination needs a stable order)',
    basis: 'inferred',
    summary: 'identical requests give identical pages (order of prompts sharing a createdAt included)',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-DETERMINISTIC');
      const ref = await ctx.trusted();
      // the pages with the most prompts sharing a createdAt (where an unstable sort shows), and a filtered page
      const byTies = [...ref.pages].sort((a, b) => tieBoundaries(b.items).length - tieBoundaries(a.items).length);
      const { model, search } = commonFilters(ref.items, []);
      const queries = [...byTies.slice(0, 2).map((p) => p.query), listQuery({ limit: MAX_LIMIT, model, search })];
      for (const query of queries)
        await ctx.settled(async () => {
          const page = readPage(await ctx.get(query), query);
          for (let k = 0; k < 2; k++) {
            const again = readPage(await ctx.get(query, { fresh: true }), query);
            const same =
              (ids(again.items).join() === ids(page.items).join() &&
                again.info.totalCount === page.info.totalCount &&
                again.info.hasMore === page.info.hasMore) ||
              shiftedByNewPrompts(page, again, { shortGrows: true }) !== undefined;
            expectThat(same, () => ({
              expected: `the same page as before: [${brief(ids(page.items).join(','), 100)}]`,
              actual: `[${brief(ids(again.items).join(','), 100)}], totalCount ${again.info.totalCount}, hasMore ${again.info.hasMore}`,
              exchange: again.ex,
            }));
          }
        });
    },
  }),
  defineRule({
    id: 'RT-NO-5XX',
    doc: 'GET /v1/prompts › Errors (bad requests are 400)',
    basis: 'inferred',
    summary: 'no request the suite sends (fuzzed parameters, regex and SQL metacharacters, any direction) gets a 5xx',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const no5xx = (ex: Exchange) =>
        expectThat(ex.status < 500, () => ({
          expected: 'a 2xx or 4xx',
          actual: `${ex.status} ${brief(ex.text)}`,
          exchange: ex,
        }));
      // a direction without a cursor: one parsing path, so the forward and backward words lead (the other configured
      // values are sent beside a cursor, where they mean something, when a walk back needs them; "sideways" below)
      for (const direction of ctx.rt.directionValues.slice(0, 2)) {
        const ex = await ctx.get(listQuery({ limit: 1, direction }));
        ctx.observe('RT-GAP-DIRECTION', `direction=${direction} (no cursor) → ${ex.status}`);
        no5xx(ex);
      }
      const probes: ListParams[] = [
        { search: '(' },
        { search: '[' },
        { search: "'" },
        { search: '' },
        { model: '' },
        { limit: 'abc' },
        { cursor: 'not a cursor!' },
        { direction: 'sideways' },
        { limit: MAX_LIMIT, flowId: UNKNOWN_FLOW_ID }, // RT-FLOW-FILTER's probe: its answer is judged here too
      ];
      for (const p of probes) {
        const ex = await ctx.get(listQuery(p));
        if (p.search === '') ctx.observe('RT-GAP-EMPTY-PARAM', `search= (empty) → ${ex.status}`);
        no5xx(ex);
      }
      const cursors = ref.pages.map((p) => p.info.nextCursor).filter((c): c is string => typeof c === 'string');
      const models = [...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))].slice(0, 3);
      // a few drawn queries beyond the probes: every answer of the run is judged below anyway
      await checkProperty(ctx, anyQuery({ cursors, models }), async (query) => no5xx(await ctx.get(query)), {
        maxRuns: 4,
      });
      ctx.expectNoServerErrorSeen();
    },
  }),
  defineRule({
    id: 'RT-RESP-JSON',
    doc: 'GET /v1/prompts › Response (JSON object); Errors',
    basis: 'inferred',
    summary: 'every answer, success or error, is JSON with a JSON content type',
    check: async (ctx: RtContext) => {
      await ctx.reference();
      await ctx.get(listQuery({}), { auth: 'none' });
      await ctx.get(listQuery({ cursor: 'not a cursor!' }));
      await ctx.get(listQuery({ limit: 'abc' }));
      for (const ex of ctx.seen) observeErrorBody(ctx, ex);
      ctx.expectAllJsonSeen();
    },
  }),
] as const;
