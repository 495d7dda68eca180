/** A run report for the renderer tests: every status, a hostile target body, many observations, an unfinished API. */
import type { ApiReport, RuleResult, RunReport } from '../shared/report';

/** What a hostile target could put in a body or an error message. */
export const HOSTILE =
  '</pre><script>alert(1)</script><img src=x onerror=alert(2)> ``` [x](javascript:alert(3)) | a\u0007b \u202eevil';

const base = {
  api: 'betterprompt' as const,
  doc: 'GET /v1/runs › Params',
  basis: 'documented' as const,
  requests: 3,
  cacheHits: 1,
  retries: 0,
  ms: 4,
};

export const failing: RuleResult = {
  ...base,
  id: 'BP-CURSOR-AFTER',
  summary: 'startingAfter=id returns the rows right after id',
  status: 'fail',
  violation: {
    expected: 'the 45 rows after position 5',
    actual: `position 44 holds ${HOSTILE}`,
    exchange: {
      request: {
        method: 'GET',
        url: 'http://127.0.0.1:4010/v1/runs?startingAfter=62885fa8&limit=45',
        curl: "curl -sS -H 'Authorization: Bearer [redacted]' 'http://127.0.0.1:4010/v1/runs?startingAfter=62885fa8&limit=45'",
      },
      response: {
        status: 200,
        contentType: 'text/html',
        retryAfter: '7',
        body: `{"status":"SUCCESS","note":"${HOSTILE}"}`,
      },
    },
    counterexample: '[5,45]',
    shrinks: 2,
    seed: 42,
    path: '1:2:0',
    replay: "npm run conformance -- --api betterprompt --rule BP-CURSOR-AFTER --replay 42 --path '1:2:0'",
  },
};

export const known: RuleResult = {
  ...base,
  id: 'BP-HASMORE',
  summary: 'hasMore is true exactly when more rows follow',
  status: 'known',
  reason: 'vendor ticket 12',
  expires: '2026-03-31',
  violation: {
    expected: 'hasMore false',
    actual: 'hasMore true',
    replay: 'npm run conformance -- --api betterprompt --rule BP-HASMORE --replay 42',
  },
};

const passing: RuleResult = { ...base, id: 'BP-LIMIT-MAX', summary: 'limit 50 is accepted', status: 'pass' };
const skippedRule: RuleResult = {
  ...base,
  id: 'BP-RATE-LIMIT-HEADER',
  summary: 'every 429 carries Retry-After',
  status: 'skip',
  reason: 'the target sent no 429 this run',
  basis: 'inferred',
};

const api: ApiReport = {
  api: 'betterprompt',
  title: 'BetterPrompt GET /v1/runs',
  target: { kind: 'configured', url: 'https://api.example.com' },
  results: [passing, failing, known, skippedRule],
  gaps: [
    {
      id: 'BP-GAP-LIMIT-STATUS',
      doc: 'Errors',
      summary: '400 or 422 is not stated.',
      handling: 'Both accepted.',
      observed: Array.from({ length: 30 }, (_, i) => `limit=${51 + i} → 422`),
    },
    {
      id: 'BP-GAP-TIE-ORDER',
      doc: 'Summary',
      summary: 'Tie order is not stated.',
      handling: 'Any stable order.',
      observed: [],
    },
  ],
  stats: {
    sent: 120,
    cacheHits: 9,
    retries: 3,
    retriesByStatus: { '429': 2, '503': 1 },
    rateLimited: 2,
    rateLimitedWithoutRetryAfter: 1,
  },
  incomplete: 'request budget of 120 used up (CONFORMANCE_MAX_REQUESTS)',
};

export const fixture: RunReport = {
  tool: 'prompt-api-conformance',
  startedAt: '2026-01-02T03:04:05.000Z',
  finishedAt: '2026-01-02T03:04:07.000Z',
  durationMs: 2000,
  seed: 42,
  runs: 20,
  apis: [api],
  totals: { pass: 1, fail: 1, skip: 1, known: 1, blocked: 0, inconclusive: 0 },
  incomplete: api.incomplete as string,
  baseline: {
    file: 'conformance.baseline.json',
    known: [{ rule: 'BP-HASMORE', api: 'betterprompt', reason: 'vendor ticket 12', expires: '2026-03-31' }],
    expired: [],
    stale: [{ rule: 'BP-LIMIT-MAX', api: 'betterprompt', reason: 'old bug', expires: '2026-02-01' }],
  },
};
