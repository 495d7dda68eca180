/**
 * Runtype tenant isolation outside the rules: one realistic fault per isolation rule, the doc gaps those rules record,
 * and the embedded provider's accounts (one handler per key). The rules live in `./rules/isolation.ts`; they are
 * re-exported here for the cross-API isolation self-tests.
 */
import type { AccountsAdapter, IsolationKnob } from '../../shared/accounts';
import type { Fault } from '../../shared/api';
import type { DocGap } from '../../shared/rule';
import { createRtHandler, type RtKnob, seedPrompts } from './provider';
import { decodeJson, type RtIsolationRuleId } from './rules/isolation';
import type { Prompt } from './schema';

export { isolationRules, PROBE_QUERY, type RtIsolationRuleId } from './rules/isolation';

/** One realistic isolation bug per rule, injected by the accounts wrapper (src/shared/accounts.ts). */
export const isolationFaults: Record<RtIsolationRuleId, Fault<IsolationKnob>> = {
  'RT-ISO-DISJOINT': {
    knob: 'first-page-cache-shared',
    description: 'caches first pages by URL, not by account: the second account gets the first one’s page',
  },
  'RT-ISO-CURSOR': {
    knob: 'cursor-global',
    description:
      "resolves the cursor's prompt id in every account: another account's cursor pages that account's prompts",
  },
  'RT-ISO-FILTER': {
    knob: 'filter-no-owner',
    description: 'drops the owner condition from filtered queries (search, model, flowId)',
  },
  'RT-ISO-COUNT': {
    knob: 'count-all-accounts',
    description: "counts totalCount (and totalPages) over every account's prompts",
  },
  'RT-ISO-TAMPERED-CURSOR': {
    knob: 'cursor-trusted-500',
    description: 'trusts a decoded cursor: an offset that is not a non-negative integer crashes with 500',
  },
  'RT-AUTH-EVERY-PATH': {
    knob: 'auth-skipped-with-cursor',
    description: 'skips authentication when a cursor is present (trusting it as proof of an earlier page)',
  },
  'RT-AUTH-MALFORMED': {
    knob: 'auth-non-bearer-unchecked',
    description: 'verifies only "Bearer <token>" headers; any other Authorization value gets the default account',
  },
  'RT-AUTH-NEAR-KEY': {
    knob: 'key-prefix-match',
    description: 'finds the key by its first 16 characters and never compares the rest',
  },
};

export const isolationGaps: readonly DocGap[] = [
  {
    id: 'RT-GAP-FOREIGN-CURSOR',
    doc: 'GET /v1/prompts › Params (cursor)',
    summary:
      "What a cursor issued to another account gets (400, 403, or a page of the caller's own prompts) is not stated.",
    handling:
      "Any 4xx, or a page of the caller's own prompts, is accepted (RT-ISO-CURSOR); the answers seen are listed below.",
  },
  {
    id: 'RT-GAP-TAMPERED-CURSOR',
    doc: 'GET /v1/prompts › Params (cursor); published facts (sibling cursors are base64 JSON)',
    summary:
      'What a cursor altered by the client gets is not stated; cursors are opaque, yet decodable on some servers.',
    handling:
      "A 4xx or the caller's own prompts are accepted, a 5xx or another account's prompts fail (RT-ISO-TAMPERED-CURSOR); each alteration's answer is listed below.",
  },
];

/** base64url JSON `{id, offset}`, the embedded provider's cursor (like the sibling endpoints'). */
function providerCursor(value: string): { id?: unknown; offset?: unknown } | undefined {
  const v = decodeJson(value);
  return v as { id?: unknown; offset?: unknown } | undefined;
}

const SECOND_USER = 'user_246813579';

/** The embedded provider's accounts: one Runtype handler each, dispatched by key (src/shared/accounts.ts). */
export const rtAccounts: AccountsAdapter<Prompt, RtKnob> = {
  defaultRows: 137,
  create: (o) => {
    const { handle, setPrompts } = createRtHandler({ ...o, seed: o.dataSeed });
    return { handle, setRows: setPrompts };
  },
  // another user's prompts carry that user's id
  seed: (rows, dataSeed, account) =>
    seedPrompts(rows, dataSeed).map((p) => (account > 0 ? { ...p, userId: SECOND_USER } : p)),
  id: (p) => p.id,
  cursorParams: ['cursor'],
  cursorRowId: (value) => {
    const id = providerCursor(value)?.id;
    return typeof id === 'string' ? id : undefined;
  },
  filterParams: ['search', 'model', 'flowId'],
  // a flow belongs to an account: the foreign-filter-refused-apart fault checks that ownership on its own
  filterValue: (p, param) => (param === 'flowId' ? p.flowId : undefined),
  addCounts: (body, others) => {
    const b = body as { pagination?: { totalCount?: number; totalPages?: number; limit?: number } };
    const p = b.pagination;
    if (!p || typeof p.totalCount !== 'number') return body;
    const extra = others.reduce((n: number, o) => n + ((o as typeof b).pagination?.totalCount ?? 0), 0);
    const totalCount = p.totalCount + extra;
    return { ...b, pagination: { ...p, totalCount, totalPages: Math.ceil(totalCount / (p.limit ?? 50)) } };
  },
  trustCursor: (value) => {
    const c = providerCursor(value);
    // the fault: the decoded offset goes straight into the query, and a negative or non-integer one throws
    if (c && !(Number.isSafeInteger(c.offset) && (c.offset as number) >= 0))
      throw new RangeError(`Invalid array length: ${String(c.offset)}`);
  },
};
