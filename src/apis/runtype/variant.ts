/**
 * A second, independently written Runtype server taking its own liberties where the docs are silent:
 * plain base64 offset cursors that need the filters re-sent, ties broken by id ascending, limits above
 * 100 clamped, non-integer limits refused with a `{message}` body, empty results as page 1 of 0,
 * whole-second timestamps, a naive array scan. The suite must pass it: it guards against rules that
 * only agree with our own reference provider.
 */
import {
  bearerToken,
  type ProviderRequest,
  type ProviderResponse,
  prng,
  type RunningServer,
  startJsonServer,
  uuidFrom,
} from '../../shared/server';

interface VariantPrompt {
  id: string;
  name: string;
  text: string;
  model: string;
  flowId: string;
  userId: string;
  estimatedCost: string;
  estimatedTokens: number;
  responseFormat: string;
  order: number;
  systemPrompt: string;
  userPrompt: string;
  createdAt: string;
  updatedAt: string;
}

const WORDS = ['Invoice', 'summary', 'Translate', 'onboarding', 'Refund', 'tweet', 'Outline', 'haiku'];
const MODELS = ['gpt-4', 'gpt-4-turbo', 'claude-3', 'mistral-large'];

function variantPrompts(count: number): VariantPrompt[] {
  const rand = prng(11);
  const flows = ['flow_a', 'flow_b', 'flow_c'];
  let t = Date.parse('2025-03-01T00:00:00Z') / 1000;
  const out: VariantPrompt[] = [];
  for (let i = 0; i < count; i++) {
    if (rand() < 0.6) t -= 1 + Math.floor(rand() * 5);
    const w = (k: number) => WORDS[(i * 7 + k) % WORDS.length] ?? 'x';
    const at = new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    out.push({
      id: uuidFrom(rand),
      name: `${w(0)} ${w(1)} #${i}`,
      text: `Please ${w(3).toLowerCase()} the ${w(5)}`,
      model: MODELS[i % MODELS.length] ?? 'gpt-4',
      flowId: flows[i % flows.length] ?? 'flow_a',
      userId: 'user_variant',
      estimatedCost: (i / 1000).toFixed(4),
      estimatedTokens: 10 * i,
      responseFormat: i % 2 ? 'json' : 'text',
      order: i,
      systemPrompt: 'You are terse.',
      userPrompt: `Item ${i}`,
      createdAt: at,
      updatedAt: at,
    });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

const encode = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64');
function decode(cursor: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export async function startVariantRtProvider(opts: { apiKey: string; rows?: number }): Promise<RunningServer> {
  const all = variantPrompts(opts.rows ?? 123);
  const handle = (req: ProviderRequest): ProviderResponse => {
    if (!req.path.endsWith('/prompts')) return { status: 404, body: { message: 'Not found' } };
    if (bearerToken(req.headers) !== opts.apiKey) return { status: 401, body: { message: 'Unauthorized' } };
    const q = req.query;
    const rawLimit = q.get('limit');
    const n = rawLimit === null ? 50 : Number(rawLimit);
    if (!Number.isInteger(n) || n < 1) return { status: 400, body: { message: 'limit must be a positive integer' } };
    const limit = Math.min(n, 100);
    const rawCursor = q.get('cursor');
    const offset = rawCursor === null ? 0 : decode(rawCursor);
    if (offset === undefined) return { status: 400, body: { message: 'invalid cursor' } };
    const search = q.get('search')?.toLowerCase();
    const model = q.get('model');
    const flowId = q.get('flowId');
    const rows = all.filter(
      (p) =>
        (!search || p.name.toLowerCase().includes(search) || p.text.toLowerCase().includes(search)) &&
        (!model || p.model === model) &&
        (!flowId || p.flowId === flowId),
    );
    const page = rows.slice(offset, offset + limit);
    const hasMore = offset + limit < rows.length;
    const hasPrev = offset > 0;
    const filtersApplied: Record<string, string> = {};
    for (const k of ['search', 'model', 'flowId']) {
      const v = q.get(k);
      if (v) filtersApplied[k] = v;
    }
    return {
      status: 200,
      body: {
        data: page,
        filtersApplied,
        pagination: {
          currentOffset: offset,
          hasMore,
          hasPrev,
          limit,
          nextCursor: hasMore ? encode(offset + limit) : null,
          prevCursor: hasPrev ? encode(Math.max(0, offset - limit)) : null,
          currentPage: Math.floor(offset / limit) + 1,
          totalCount: rows.length,
          totalPages: Math.ceil(rows.length / limit),
        },
      },
    };
  };
  return startJsonServer(handle);
}
