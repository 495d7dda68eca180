/**
 * A second, independently shaped BetterPrompt server that takes every liberty the docs leave open:
 * whole-second timestamps with many ties, ties broken by runId ascending, a naive array scan,
 * 400 for bad limits, 200-empty for unknown cursors, refusal of cursors outside the filter,
 * and "older rows remain" as hasMore on endingBefore pages. The suite must pass it: it guards
 * against rules that only agree with our own reference provider.
 */
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import {
  bearerToken,
  type ProviderRequest,
  type ProviderResponse,
  prng,
  type RunningServer,
  startJsonServer,
  uuidFrom,
} from '../../shared/server';
import type { Run } from './schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function variantRuns(count: number): Run[] {
  const rand = prng(7);
  let t = Date.parse('2026-01-01T00:00:00Z') / 1000;
  const rows: Run[] = [];
  for (let i = 0; i < count; i++) {
    if (rand() < 0.5) t -= 1 + Math.floor(rand() * 3);
    rows.push({
      runId: uuidFrom(rand),
      promptVersionId: `pv_${i}`,
      outputs: [{ type: i % 3 ? 'text' : 'image', data: `x${i}` }],
      runStatus: runStatusValues[i % 4] ?? 'queued',
      credits: i % 5 ? i : null,
      runName: `variant ${i}`,
      createdAt: new Date(t * 1000).toISOString().replace('.000Z', 'Z'),
    });
  }
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.runId.localeCompare(b.runId));
}

export async function startVariantBpProvider(opts: { apiKey: string; rows?: number }): Promise<RunningServer> {
  const all = variantRuns(opts.rows ?? 90);
  const err = (status: number, code: string, message: string): ProviderResponse => ({
    status,
    body: { status: code, message, data: null },
  });
  const handle = (req: ProviderRequest): ProviderResponse => {
    if (!req.path.endsWith('/runs')) return err(404, 'NOT_FOUND_ERROR', 'not found');
    if (bearerToken(req.headers) !== opts.apiKey) return err(401, 'UNAUTHORIZED_ERROR', 'unauthorized');
    const q = req.query;
    const num = (name: string): number | undefined | null => {
      const v = q.get(name);
      if (v === null) return undefined;
      const n = Number(v); // lenient coercion, like zod's z.coerce.number().int()
      return v.trim() !== '' && Number.isInteger(n) ? n : null;
    };
    const limit = num('limit');
    if (limit === null || (limit !== undefined && (limit < 1 || limit > 50)))
      return err(400, 'BAD_REQUEST_ERROR', 'limit must be 1..50');
    const status = q.get('status');
    const since = num('since');
    const until = num('until');
    const after = q.get('startingAfter');
    const before = q.get('endingBefore');
    if (after !== null && before !== null) return err(422, 'VALIDATION_ERROR', 'one cursor at most');
    if (status !== null && !(runStatusValues as readonly string[]).includes(status))
      return err(422, 'VALIDATION_ERROR', 'bad status');
    if (since === null || until === null) return err(422, 'VALIDATION_ERROR', 'bad timestamp');
    if (since !== undefined && until !== undefined && since >= until)
      return err(422, 'VALIDATION_ERROR', 'since must be < until');
    const cursor = after ?? before;
    if (cursor !== null && !UUID.test(cursor)) return err(422, 'VALIDATION_ERROR', 'invalid UUID');
    const matches = all.filter((r) => {
      const s = Date.parse(r.createdAt) / 1000;
      return (
        (status === null || r.runStatus === status) &&
        (since === undefined || s >= since) &&
        (until === undefined || s < until)
      );
    });
    const size = limit ?? 10;
    if (cursor === null) return ok(matches.slice(0, size), matches.length > size);
    const at = all.findIndex((r) => r.runId === cursor);
    if (at === -1) return ok([], false);
    const pos = matches.indexOf(all[at] as Run);
    if (status !== null && pos === -1) return err(422, 'VALIDATION_ERROR', 'cursor is not in this listing');
    // cursor position in the filtered listing: first match at or after the cursor in the full order
    const next = matches.findIndex((r) => all.indexOf(r) > at);
    const start = next === -1 ? matches.length : next;
    if (after !== null) return ok(matches.slice(start, start + size), matches.length > start + size);
    const end = pos === -1 ? start : pos;
    const from = Math.max(0, end - size);
    return ok(matches.slice(from, end), end < matches.length);
  };
  return startJsonServer(handle);
}

function ok(rows: Run[], hasMore: boolean): ProviderResponse {
  return { status: 200, body: { status: 'SUCCESS', data: { rows, hasMore } } };
}
