/**
 * Errors, auth and whole-run properties (doc: GET /v1/runs › Errors; Guide: auth, error handling, rate limits;
 * Summary): the error envelope, refusals without a valid key, repeatable pages, no 5xx, JSON everywhere.
 */
import { errorCodeByStatus } from '../../../../schemas/betterprompt/list-runs.schema';
import { expectStatus } from '../../../shared/expect';
import type { Exchange, Query } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { brief, defineRule, expectThat, Inconclusive, Skip } from '../../../shared/rule';
import { anyQuery } from '../arbitraries';
import { describeFilters } from '../compare';
import type { BpContext } from '../context';
import { ids, MAX_LIMIT, second } from '../pager';
import { expectSequence, field } from './shared';

export const errorRules = [
  defineRule({
    id: 'BP-ERROR-ENVELOPE',
    doc: 'GET /v1/runs › Errors (422 VALIDATION_ERROR); Guide "Error handling" (status code by HTTP status, message)',
    basis: 'documented',
    summary: 'an error body is {status: <code for the HTTP status>, message: string}',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const id = ref.rows[0]?.runId ?? '01234567-89ab-cdef-0123-456789abcdef';
      const probes: { query: Query; auth?: 'none' }[] = [
        { query: { startingAfter: id, endingBefore: id } },
        { query: { startingAfter: 'not-a-uuid' } },
        { query: { status: 'bogus' } },
        { query: { since: 1700000000, until: 1700000000 } },
        { query: { limit: 0 } },
        { query: {}, auth: 'none' },
      ];
      for (const p of probes) {
        const ex = await ctx.get(p.query, p.auth ? { auth: p.auth } : {});
        if (ex.status < 400) continue; // other rules own "should have been rejected"
        expectErrorEnvelope(ex);
      }
    },
  }),
  defineRule({
    id: 'BP-AUTH-MISSING',
    doc: 'Guide (Bearer API key; 401 UNAUTHORIZED_ERROR)',
    basis: 'inferred',
    summary: 'a request without Authorization is refused (401/403) and carries no runs',
    check: async (ctx: BpContext) => {
      const ex = await ctx.get({}, { auth: 'none' });
      expectStatus(ex, [401, 403], '401 or 403 without a key');
    },
  }),
  defineRule({
    id: 'BP-AUTH-WRONG',
    doc: 'Guide (Bearer API key; 401 UNAUTHORIZED_ERROR)',
    basis: 'inferred',
    summary: 'a request with a wrong key is refused (401/403)',
    check: async (ctx: BpContext) =>
      expectStatus(await ctx.get({}, { auth: 'wrong' }), [401, 403], '401 or 403 for an unknown key'),
  }),
  defineRule({
    id: 'BP-DETERMINISTIC',
    doc: 'GET /v1/runs › Summary (a defined order)',
    basis: 'inferred',
    summary: 'two identical requests give identical pages (tie order included), unfiltered and filtered',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await ctx.reportFinding('BP-DETERMINISTIC');
      const first = ref.rows[0];
      if (!first) throw new Skip('target holds no runs; a repeatable page needs some');
      // anchored after the newest stable run, so runs created meanwhile do not shift it
      for (const query of [
        { startingAfter: first.runId, limit: MAX_LIMIT },
        { status: 'succeeded', limit: MAX_LIMIT },
        { until: second(first) + 1, limit: MAX_LIMIT },
      ]) {
        if (query.until !== undefined && !Number.isFinite(query.until)) continue;
        await expectRepeatable(ctx, query);
      }
    },
  }),
  defineRule({
    id: 'BP-NO-5XX',
    doc: 'Errors (invalid parameters are 4xx)',
    basis: 'inferred',
    summary: 'no request the suite sends (fuzzed parameters, unknown run IDs included) gets a 5xx',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const unknown = await ctx.get({ startingAfter: '00000000-0000-4000-8000-000000000000' });
      ctx.observe('BP-GAP-UNKNOWN-CURSOR', `well-formed unknown run ID as startingAfter → ${unknown.status}`);
      // values past common integer widths, sent every run: overflow bugs answer 5xx
      for (const q of BOUNDARY_PROBES) expectNo5xx(await ctx.get(q));
      // the boundary probes above are the fixed cases; fuzzing on top is capped for the request budget
      await checkProperty(ctx, anyQuery(ids(ref.rows)), async (query) => expectNo5xx(await ctx.get(query)), {
        maxRuns: 12,
      });
      ctx.expectNoServerErrorSeen();
    },
  }),
  defineRule({
    id: 'BP-RESP-JSON',
    doc: 'GET /v1/runs › Response (JSON object); Guide (JSON error envelope)',
    basis: 'inferred',
    summary: 'every answer, success or error, is JSON with a JSON content type',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      ctx.expectAllJsonSeen();
    },
  }),
  defineRule({
    id: 'BP-RATE-LIMIT-HEADER',
    doc: 'Guide "Rate limits" (429 carries Retry-After)',
    basis: 'documented',
    summary: 'every 429 carries a Retry-After header',
    check: async (ctx: BpContext) => {
      await ctx.reference(); // judge real traffic even when this rule runs alone
      const { rateLimited, rateLimitedWithoutRetryAfter } = ctx.http.stats;
      if (rateLimited === 0) throw new Skip('the target sent no 429 this run');
      expectThat(rateLimitedWithoutRetryAfter === 0, () => ({
        expected: 'Retry-After on every 429',
        actual: `${rateLimitedWithoutRetryAfter} of ${rateLimited} 429s without it`,
      }));
    },
  }),
];

/** The documented error code for an HTTP status, if the guide names one. */
function errorCodeFor(status: number): string | undefined {
  return Object.entries(errorCodeByStatus).find(([s]) => Number(s) === status)?.[1];
}

/** BP-ERROR-ENVELOPE on one refusal: {status: its code (any string where the guide names none), message: string}. */
function expectErrorEnvelope(ex: Exchange): void {
  const code = errorCodeFor(ex.status);
  const status = field(ex.body, 'status');
  expectThat(
    status === (code ?? status) && typeof status === 'string' && typeof field(ex.body, 'message') === 'string',
    () => ({
      expected: `{status: "${code ?? '<code>'}", message: string}`,
      actual: brief(ex.text),
      exchange: ex,
    }),
  );
}

const BOUNDARY_PROBES: Query[] = [
  { limit: 2 ** 31 },
  { limit: 2 ** 53 },
  { limit: '9'.repeat(30) },
  { since: 2 ** 31 },
  { until: 2 ** 53 },
  { since: -(2 ** 31) },
  { since: 0, until: 2 ** 31 + 1 },
];

/** BP-NO-5XX on one answer: a 2xx or 4xx. */
function expectNo5xx(ex: Exchange): void {
  expectThat(ex.status < 500, () => ({
    expected: 'a 2xx or 4xx',
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
}

/** Two fresh identical requests compared with each other; a change of membership is drift, re-asked once. */
async function expectRepeatable(ctx: BpContext, query: Query): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const a = await ctx.page(query, { fresh: true });
    const b = await ctx.page(query, { fresh: true });
    const same = new Set(ids(a.rows));
    if (a.rows.length === b.rows.length && b.rows.every((r) => same.has(r.runId))) {
      expectSequence(
        b.ex,
        a.rows,
        b.rows,
        `the same rows in the same order as the identical request before (${describeFilters(query)})`,
      );
      return;
    }
    ctx.noteDrift(
      `runs entered or left ${JSON.stringify(query)} between two identical requests (data changed); asked again`,
    );
  }
  throw new Inconclusive(`the listing for ${JSON.stringify(query)} changed between every pair of identical requests`);
}
