/**
 * Response shape: the 200 envelope, each row's fields, and the order of rows (doc: GET /v1/runs › Response,
 * › Summary). Field rules read every page of the walked listing and windows into old data.
 */
import { schemaErrors } from '../../../shared/ajv';
import { isRecord } from '../../../shared/guards';
import { json } from '../../../shared/expect';
import { defineRule, expectThat } from '../../../shared/rule';
import { deepWindows, describeFilters } from '../compare';
import type { BpContext } from '../context';
import { isRunStatus, type Page, type RowView, rowAt, uses } from '../pager';
import { isListRuns, isRun } from '../schema';
import { field } from './shared';
import { runStatusValues } from '../../../../schemas/betterprompt/list-runs.schema';

export const shapeRules = [
  defineRule({
    id: 'BP-RESP-ENVELOPE',
    doc: 'GET /v1/runs › Response (200: status "SUCCESS", data.rows, data.hasMore)',
    basis: 'documented',
    summary: 'a 200 body is {status: "SUCCESS", data: {rows: [], hasMore: boolean}}',
    check: async (ctx: BpContext) => {
      const ref = await ctx.walked();
      for (const page of [...ref.pages, await ctx.page({})]) expectSuccessStatus(page);
    },
  }),
  defineRule({
    id: 'BP-ROW-SCHEMA',
    doc: 'GET /v1/runs › Response (row fields and types)',
    basis: 'documented',
    summary:
      'every page, recent or old, validates against the list-runs JSON Schema (all documented row fields, their types; credits, createdAt and runStatus are judged by their own rules)',
    check: async (ctx: BpContext) => {
      for (const page of await rowPages(ctx)) {
        expectThat(isListRuns(withOwnFieldsValid(page.ex.body)), () => ({
          expected: 'a body valid against schemas/betterprompt list-runs',
          actual: schemaErrors(isListRuns.errors),
          exchange: page.ex,
        }));
      }
    },
  }),
  defineRule({
    id: 'BP-ROW-CREDITS',
    doc: 'GET /v1/runs › Response (credits: integer, or null when free)',
    basis: 'documented',
    summary: 'credits is an integer or null, on recent and old runs',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => r.raw.credits === null || Number.isInteger(r.raw.credits),
        'credits integer or null',
        (r) => `credits ${json(r.raw.credits)}`,
      ),
  }),
  defineRule({
    id: 'BP-ROW-CREATED-AT',
    doc: 'GET /v1/runs › Response (createdAt: ISO 8601)',
    basis: 'documented',
    summary: 'createdAt is an ISO 8601 date-time',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => isRun({ ...validRowStub, createdAt: r.raw.createdAt }),
        'createdAt as ISO 8601 date-time (e.g. 2025-11-03T10:15:30.000Z)',
        (r) => `createdAt ${json(r.raw.createdAt)}`,
      ),
  }),
  defineRule({
    id: 'BP-ROW-STATUS',
    doc: 'GET /v1/runs › Response (runStatus; Params › status lists the values)',
    basis: 'documented',
    summary: 'runStatus is one of queued, running, succeeded, failed',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => isRunStatus(r.runStatus),
        `runStatus in ${runStatusValues.join('|')}`,
        (r) => `runStatus ${json(r.runStatus)}`,
      ),
  }),
  defineRule({
    id: 'BP-ORDER-NEWEST-FIRST',
    doc: 'GET /v1/runs › Summary (ordered by creation time, newest first)',
    basis: 'documented',
    summary:
      'rows are ordered by createdAt, newest first, within and across pages, on every page of every walk (filtered, backward)',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-ORDER-NEWEST-FIRST');
      await ctx.listing(0, 'the order of every walk', uses({ time: true }));
      await ctx.forEveryPage(({ page, filters, direction }) => {
        const i = page.rows.findIndex((r, k) => k > 0 && r.ms > rowAt(page.rows, k - 1).ms);
        if (i === -1) return undefined;
        const [a, b] = [rowAt(page.rows, i - 1), rowAt(page.rows, i)];
        return {
          expected: `createdAt non-increasing (${direction} walk, ${describeFilters(filters)})`,
          actual: `row ${i} ${b.runId} (${b.createdAt}) is newer than row ${i - 1} ${a.runId} (${a.createdAt})`,
          exchange: page.ex,
        };
      });
    },
  }),
];

/** BP-RESP-ENVELOPE's judgement of one page: its body's status is "SUCCESS". */
function expectSuccessStatus(page: Page): void {
  const status = field(page.ex.body, 'status');
  expectThat(status === 'SUCCESS', () => ({
    expected: 'status "SUCCESS"',
    actual: `status ${json(status)}`,
    exchange: page.ex,
  }));
}

/** Pages whose rows the field rules read: the walked listing and the windows into old data. */
async function rowPages(ctx: BpContext): Promise<Page[]> {
  const ref = await ctx.walked();
  return [...ref.pages, ...(await deepWindows(ctx, ref)).map((w) => w.page)];
}

/** A valid row whose one field under test is replaced, so a field rule reuses the schema's format checks. */
const validRowStub = {
  runId: '01234567-89ab-cdef-0123-456789abcdef',
  promptVersionId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
  outputs: [],
  runStatus: 'succeeded',
  credits: null,
  runName: 'stub',
  createdAt: '2025-11-03T10:15:30.000Z',
};

/**
 * The body with each row's credits, createdAt and runStatus set valid: those fields have rules of their own
 * (BP-ROW-CREDITS, -CREATED-AT, -STATUS), so a bad one is their finding alone, not the schema's too.
 */
function withOwnFieldsValid(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.data) || !Array.isArray(body.data.rows)) return body;
  const { credits, createdAt, runStatus } = validRowStub;
  const rows = body.data.rows.map((r: unknown) => (isRecord(r) ? { ...r, credits, createdAt, runStatus } : r));
  return { ...body, data: { ...body.data, rows } };
}

/** The field rules' judgement: every row of every row page passes `ok`; the first that does not is shown. */
async function everyRow(
  ctx: BpContext,
  ok: (r: RowView) => boolean,
  expected: string,
  show: (r: RowView) => string,
): Promise<void> {
  for (const page of await rowPages(ctx)) {
    const bad = page.rows.find((r) => !ok(r));
    expectThat(!bad, () => ({
      expected,
      actual: bad
        ? `${show(bad)} on run ${bad.runId}${show(bad).startsWith('createdAt') ? '' : ` (createdAt ${json(bad.raw.createdAt)})`}`
        : '',
      exchange: page.ex,
    }));
  }
}
