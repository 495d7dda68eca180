/**
 * Runtype rules on the response shape and the prompt fields (GET /v1/prompts › Response and its example; Summary).
 */
import { docExample, examplePromptFields } from '../../../../schemas/runtype/list-prompts.schema';
import { schemaErrors } from '../../../shared/ajv';
import { json } from '../../../shared/expect';
import { brief, defineRule, expectThat } from '../../../shared/rule';
import type { RtContext } from '../context';
import { listQuery, type Page, type PromptView } from '../pager';
import { oldDataSample } from '../old-data';
import { isListPrompts, isPrompt } from '../schema';
import { coverWhole, isRecord } from './shared';

/** A term that matches nothing, for the fixed probes. */
const NO_MATCH = 'zq-nomatch-00000000-xv';

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

/** A field of the doc's example prompt replaced by `raw`'s, so a field rule reuses the schema's own check. */
function fieldValid(field: (typeof examplePromptFields)[number], raw: Record<string, unknown>): boolean {
  const stub: Record<string, unknown> = { ...docExample.data[0] };
  if (field in raw) stub[field] = raw[field];
  else delete stub[field];
  return isPrompt(stub);
}

/**
 * The pages whose every prompt the item rules judge: the reference walk's, and beyond it the old-data sample;
 * the rule's verdict says how much of the listing that covered.
 */
async function itemPages(ctx: RtContext): Promise<Page[]> {
  const ref = await ctx.reference();
  const sample = await oldDataSample(ctx, ref);
  coverWhole(ctx, ref, sample);
  return [...ref.pages, ...sample.pages];
}

async function everyItem(
  ctx: RtContext,
  ok: (it: PromptView) => boolean,
  expected: string,
  show: (it: PromptView) => string,
): Promise<void> {
  for (const page of await itemPages(ctx)) {
    const bad = page.items.find((it) => !ok(it));
    expectThat(!bad, () => ({ expected, actual: bad ? `${show(bad)} on prompt ${bad.id}` : '', exchange: page.ex }));
  }
}

function observeFields(ctx: RtContext, items: readonly PromptView[]): void {
  for (const field of examplePromptFields) {
    const absent = items.filter((it) => !(field in it.raw)).length;
    const nulls = items.filter((it) => it.raw[field] === null).length;
    if (absent) ctx.observe('RT-GAP-PROMPT-FIELDS', `${field} absent on ${absent} of ${items.length} prompts`);
    if (nulls) ctx.observe('RT-GAP-PROMPT-FIELDS', `${field} null on ${nulls} of ${items.length} prompts`);
  }
}

export const shapeRules = [
  defineRule({
    id: 'RT-RESP-SHAPE',
    doc: 'GET /v1/prompts › Response (data, filtersApplied, pagination) and the example',
    basis: 'documented',
    summary: 'a 200 body is {data: [], filtersApplied: {}, pagination: {the nine example fields, typed}}',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const empty = await ctx.get(listQuery({ search: NO_MATCH }));
      for (const ex of [...ref.pages.map((p) => p.ex), empty]) {
        if (ex.status !== 200) continue; // other rules own "should have been 200"
        // items are RT-PROMPT-SCHEMA's business: judge the envelope alone
        const envelope = isRecord(ex.body) && Array.isArray(ex.body.data) ? { ...ex.body, data: [] } : ex.body;
        expectThat(isListPrompts(envelope), () => ({
          expected: 'a body valid against schemas/runtype list-prompts',
          actual: schemaErrors(isListPrompts.errors),
          exchange: ex,
        }));
      }
    },
  }),
  defineRule({
    id: 'RT-PROMPT-SCHEMA',
    doc: 'GET /v1/prompts › Response (data: list of prompts; field types as in the example)',
    basis: 'documented',
    summary: 'every prompt validates against the prompt schema (id, name, text, timestamps; example field types)',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      observeFields(ctx, ref.items);
      for (const page of await itemPages(ctx)) {
        // id, estimatedCost and the dates have rules of their own: judge the rest
        const rest = (it: PromptView) => ({
          ...it.raw,
          ...pick(docExample.data[0], ['id', 'estimatedCost', 'createdAt', 'updatedAt']),
        });
        for (const it of page.items)
          expectThat(isPrompt(rest(it)), () => ({
            expected: 'every prompt valid against schemas/runtype prompt',
            actual: `prompt ${it.id}: ${schemaErrors(isPrompt.errors)}`,
            exchange: page.ex,
          }));
      }
    },
  }),
  defineRule({
    id: 'RT-PROMPT-COST',
    doc: 'GET /v1/prompts › Response example (estimatedCost: "0.0025")',
    basis: 'documented',
    summary: 'estimatedCost, when set, is a decimal string, not a JSON number',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('estimatedCost', it.raw),
        'estimatedCost as a decimal string such as "0.0025"',
        (it) => `estimatedCost ${brief(it.raw.estimatedCost)} (${typeof it.raw.estimatedCost})`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-DATES',
    doc: 'GET /v1/prompts › Response example (createdAt, updatedAt: "2024-06-10T09:15:00Z")',
    basis: 'documented',
    summary: 'createdAt and updatedAt are ISO 8601 date-times',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('createdAt', it.raw) && fieldValid('updatedAt', it.raw),
        'createdAt and updatedAt as ISO 8601 (e.g. 2024-06-10T09:15:00Z)',
        (it) => `createdAt ${brief(it.raw.createdAt)}, updatedAt ${brief(it.raw.updatedAt)}`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-UPDATED',
    doc: 'GET /v1/prompts › Response example (createdAt 2024-06-10, updatedAt 2024-06-12)',
    basis: 'inferred',
    summary: 'a prompt is not updated before it was created: updatedAt ≥ createdAt',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => {
          const u = typeof it.raw.updatedAt === 'string' ? Date.parse(it.raw.updatedAt) : Number.NaN;
          // unreadable dates are RT-PROMPT-DATES' business
          return Number.isNaN(u) || Number.isNaN(it.ms) || u >= it.ms;
        },
        'updatedAt not before createdAt',
        (it) => `createdAt ${json(it.raw.createdAt)}, updatedAt ${json(it.raw.updatedAt)}`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-ID',
    doc: 'GET /v1/prompts › Response example (id: "a1b2c3d4-e5f6-7890-abcd-1234567890ef")',
    basis: 'documented',
    summary: 'every prompt id is a UUID',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('id', it.raw),
        'id as a UUID',
        (it) => `id ${brief(it.raw.id)}`,
      ),
  }),
  defineRule({
    id: 'RT-OWNER',
    doc: 'GET /v1/prompts › Summary (returns prompts for the authenticated user)',
    basis: 'documented',
    summary: 'every prompt listed belongs to one user: all userIds that are set are equal',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const first = ref.items.find((it) => it.userId !== undefined);
      for (const page of ref.pages) {
        const other = page.items.find((it) => it.userId !== undefined && it.userId !== first?.userId);
        expectThat(!other, () => ({
          expected: `only prompts of the key's user (userId ${first?.userId})`,
          actual: `prompt ${other?.id} has userId ${other?.userId}`,
          exchange: page.ex,
        }));
      }
    },
  }),
] as const;
