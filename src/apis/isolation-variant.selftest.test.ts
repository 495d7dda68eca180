/**
 * The isolation and authentication group against two-user servers written apart from the reference provider
 * and its accounts wrapper: naive scans, other cursor shapes (Runtype's carries the user), 403 and 400
 * refusals. The correct one must pass; each fault, implemented here its own way, must fail its rule.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiModule, asGenericApi } from '../shared/api';
import { failedIds, runEmbedded } from '../selftest/harness';
import {
  type ProviderRequest,
  type ProviderResponse,
  prng,
  type RunningServer,
  startJsonServer,
  uuidFrom,
} from '../shared/server';
import { betterprompt } from './betterprompt';
import { isolationRules as bpRules } from './betterprompt/isolation';
import { runtype } from './runtype';
import { isolationRules as rtRules } from './runtype/isolation';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

type BpFlaw =
  | 'none'
  | 'cursor-any-user'
  | 'status-all-users'
  | 'cursor-pages-unauthenticated'
  | 'key-first-12'
  | 'scheme-optional';

/** Who sent the request: the user, 'malformed' (400), or undefined (401). */
function who(
  req: ProviderRequest,
  keys: readonly string[],
  lenient: { first12?: boolean; schemeOptional?: boolean },
): number | 'malformed' | undefined {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer (\S+)$/.exec(h);
  const token = m?.[1] ?? (lenient.schemeOptional ? h.replace(/^Bearer\s*/, '') : undefined);
  if (token === undefined) return 'malformed';
  const i = keys.findIndex((k) => k === token || (lenient.first12 === true && k.slice(0, 12) === token.slice(0, 12)));
  return i < 0 ? (lenient.schemeOptional ? 0 : undefined) : i;
}

interface VRun {
  runId: string;
  runStatus: string;
  createdAt: string;
  runName: string;
  promptVersionId: string;
  outputs: unknown[];
  credits: number | null;
}

function bpUserRuns(seed: number, n: number): VRun[] {
  const rand = prng(seed);
  let t = Date.parse('2025-06-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    t -= 1000 * (1 + Math.floor(rand() * 90));
    return {
      runId: uuidFrom(rand),
      runStatus: ['queued', 'running', 'succeeded', 'failed'][i % 4] as string,
      createdAt: new Date(t).toISOString(),
      runName: `r${i}`,
      promptVersionId: uuidFrom(rand),
      outputs: [],
      credits: i,
    };
  });
}

async function bpServer(flaw: BpFlaw, o: { apiKey: string; apiKey2?: string }): Promise<RunningServer> {
  const keys = [o.apiKey, ...(o.apiKey2 ? [o.apiKey2] : [])];
  const data = [bpUserRuns(101, 64), bpUserRuns(202, 23)];
  const err = (status: number, code: string): ProviderResponse => ({
    status,
    body: { status: code, message: code.toLowerCase() },
  });
  const s = await startJsonServer((req) => {
    const q = req.query;
    const cursor = q.get('startingAfter') ?? q.get('endingBefore');
    let user = who(req, keys, { first12: flaw === 'key-first-12', schemeOptional: flaw === 'scheme-optional' });
    if (user === undefined && flaw === 'cursor-pages-unauthenticated' && cursor !== null) user = 0;
    if (user === 'malformed') return err(400, 'BAD_REQUEST_ERROR');
    if (user === undefined) return err(403, 'FORBIDDEN');
    const limit = q.get('limit') === null ? 10 : Number(q.get('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return err(422, 'VALIDATION_ERROR');
    if (q.get('startingAfter') !== null && q.get('endingBefore') !== null) return err(422, 'VALIDATION_ERROR');
    const status = q.get('status');
    let rows =
      status !== null && flaw === 'status-all-users'
        ? data.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        : (data[user] ?? []);
    if (status !== null) rows = rows.filter((r) => r.runStatus === status);
    const since = q.get('since');
    const until = q.get('until');
    if (since !== null) rows = rows.filter((r) => Date.parse(r.createdAt) >= Number(since) * 1000);
    if (until !== null) rows = rows.filter((r) => Date.parse(r.createdAt) < Number(until) * 1000);
    if (cursor !== null) {
      // the flaw: the cursor's run is found in every user's runs, and that user's list is paged
      const owner = flaw === 'cursor-any-user' ? data.findIndex((d) => d.some((r) => r.runId === cursor)) : user;
      if (owner !== user && owner >= 0) rows = data[owner] ?? [];
      const at = rows.findIndex((r) => r.runId === cursor);
      if (at < 0) return { status: 200, body: { status: 'SUCCESS', data: { rows: [], hasMore: false } } };
      const after = q.get('startingAfter') !== null;
      const page = after ? rows.slice(at + 1, at + 1 + limit) : rows.slice(Math.max(0, at - limit), at);
      return {
        status: 200,
        body: {
          status: 'SUCCESS',
          data: { rows: page, hasMore: after ? at + 1 + limit < rows.length : at - limit > 0 },
        },
      };
    }
    return {
      status: 200,
      body: { status: 'SUCCESS', data: { rows: rows.slice(0, limit), hasMore: rows.length > limit } },
    };
  });
  servers.push(s);
  return s;
}

type RtFlaw = 'none' | 'cursor-user-trusted' | 'count-everyone' | 'search-everyone' | 'empty-bearer-ok';

interface VPrompt {
  id: string;
  name: string;
  text: string;
  model: string;
  userId: string;
  createdAt: string;
}

function rtUserPrompts(seed: number, n: number, userId: string): VPrompt[] {
  const rand = prng(seed);
  const words = ['Alpha', 'Bravo', 'Charlie', 'Delta'];
  return Array.from({ length: n }, (_, i) => ({
    id: uuidFrom(rand),
    name: `${words[i % 4]} helper ${i}`,
    text: `Write ${i}`,
    model: i % 2 ? 'gpt-4o' : 'claude-3-5-haiku',
    userId,
    createdAt: new Date(Date.parse('2024-06-01T00:00:00Z') - i * 60_000).toISOString(),
  }));
}

async function rtServer(flaw: RtFlaw, o: { apiKey: string; apiKey2?: string }): Promise<RunningServer> {
  const keys = [o.apiKey, ...(o.apiKey2 ? [o.apiKey2] : [])];
  const users = ['u-first', 'u-second'];
  const data = [rtUserPrompts(303, 90, 'u-first'), rtUserPrompts(404, 33, 'u-second')];
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64');
  const s = await startJsonServer((req) => {
    const q = req.query;
    let user = who(req, keys, {});
    if (user === 'malformed' && flaw === 'empty-bearer-ok' && /^Bearer\s*$/.test(req.headers.authorization ?? ''))
      user = 0;
    if (user === undefined || user === 'malformed') return { status: 401, body: { error: 'Unauthorized' } };
    const rawLimit = q.get('limit');
    const limit = rawLimit === null ? 50 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return { status: 400, body: { error: 'Bad Request' } };
    const size = Math.min(limit, 100);
    let owner = user;
    let offset = 0;
    const raw = q.get('cursor');
    if (raw !== null) {
      let c: { u?: unknown; o?: unknown };
      try {
        c = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { u?: unknown; o?: unknown };
      } catch {
        return { status: 400, body: { error: 'Bad cursor' } };
      }
      if (typeof c.o !== 'number' || !Number.isInteger(c.o) || c.o < 0)
        return { status: 400, body: { error: 'Bad cursor' } };
      const cu = users.indexOf(String(c.u));
      // the correct server refuses a cursor issued to someone else; the flaw trusts the user it names
      if (cu !== user && flaw !== 'cursor-user-trusted') return { status: 403, body: { error: 'Forbidden' } };
      owner = cu < 0 ? user : cu;
      offset = c.o;
    }
    const search = q.get('search');
    const model = q.get('model');
    let rows = search !== null && flaw === 'search-everyone' ? data.flat() : (data[owner] ?? []);
    if (search !== null) rows = rows.filter((p) => `${p.name} ${p.text}`.toLowerCase().includes(search.toLowerCase()));
    if (model !== null) rows = rows.filter((p) => p.model === model);
    const total = flaw === 'count-everyone' ? rows.length + (data[1 - owner]?.length ?? 0) : rows.length;
    const page = rows.slice(offset, offset + size);
    const more = offset + size < rows.length;
    const pagination = {
      currentOffset: offset,
      hasMore: more,
      hasPrev: offset > 0,
      limit: size,
      nextCursor: more ? enc({ u: users[owner], o: offset + size }) : null,
      prevCursor: offset > 0 ? enc({ u: users[owner], o: Math.max(0, offset - size) }) : null,
      currentPage: Math.floor(offset / size) + 1,
      totalCount: total,
      totalPages: Math.ceil(total / size),
    };
    return { status: 200, body: { data: page, filtersApplied: {}, pagination } };
  });
  servers.push(s);
  return s;
}

function withServer(
  api: ApiModule,
  start: (o: { apiKey: string; apiKey2?: string }) => Promise<RunningServer>,
): ApiModule {
  return { ...api, startProvider: (o) => start({ apiKey: o.apiKey, ...(o.apiKey2 ? { apiKey2: o.apiKey2 } : {}) }) };
}

describe('isolation rules against an independently written two-user BetterPrompt server', () => {
  const ids = bpRules.map((r) => r.id);
  const bp = asGenericApi(betterprompt);
  it('passes the correct one (403 refusals, 400 for a malformed header, 200-empty for a foreign cursor)', async () => {
    const report = await runEmbedded(
      withServer(bp, (o) => bpServer('none', o)),
      { rules: ids },
    );
    expect(report.apis[0]?.results.map((r) => `${r.id}:${r.status}`)).toEqual(ids.map((id) => `${id}:pass`));
  });
  it.each([
    ['cursor-any-user', 'BP-ISO-CURSOR'],
    ['status-all-users', 'BP-ISO-FILTER'],
    ['cursor-pages-unauthenticated', 'BP-AUTH-EVERY-PATH'],
    ['key-first-12', 'BP-AUTH-NEAR-KEY'],
    ['scheme-optional', 'BP-AUTH-MALFORMED'],
  ] as const)('%s fails %s', async (flaw, rule) => {
    const report = await runEmbedded(
      withServer(bp, (o) => bpServer(flaw, o)),
      { rules: ids },
    );
    expect(failedIds(report)).toContain(rule);
  });
});

describe('isolation rules against an independently written two-user Runtype server (cursors carry the user)', () => {
  const ids = rtRules.map((r) => r.id);
  const rt = asGenericApi(runtype);
  it('passes the correct one (a foreign or re-signed cursor gets 403)', async () => {
    const report = await runEmbedded(
      withServer(rt, (o) => rtServer('none', o)),
      { rules: ids },
    );
    expect(report.apis[0]?.results.map((r) => `${r.id}:${r.status}`)).toEqual(ids.map((id) => `${id}:pass`));
  });
  it.each([
    ['cursor-user-trusted', 'RT-ISO-CURSOR'],
    ['cursor-user-trusted', 'RT-ISO-TAMPERED-CURSOR'],
    ['count-everyone', 'RT-ISO-COUNT'],
    ['search-everyone', 'RT-ISO-FILTER'],
    ['empty-bearer-ok', 'RT-AUTH-MALFORMED'],
  ] as const)('%s fails %s', async (flaw, rule) => {
    const report = await runEmbedded(
      withServer(rt, (o) => rtServer(flaw, o)),
      { rules: ids },
    );
    expect(failedIds(report)).toContain(rule);
  });
});
