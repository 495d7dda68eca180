/**
 * Verification against a configured (live) target, played by a reference provider on 127.0.0.1 with data
 * the suite did not seed: states hold by observation (and hand over the values the interactions send), a
 * state that does not hold fails its interactions with the reason, only GETs reach the target, and its key
 * never appears in the output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBpHandler, seedRuns, startBpProvider } from '../apis/betterprompt/provider';
import { startRtProvider } from '../apis/runtype/provider';
import { startJsonServer } from '../shared/server';
import { mapField } from './contract-faults';
import type { RunningServer } from '../shared/server';
import { committedPact } from './names';
import { readPact } from './pact-file';
import { bpStates } from './states';
import { verifyPact } from './verify';
import { withBaseline } from './verify-all';
import { verifyIsolated } from './verify-isolated';

const KEY = 'live-key-5f1c9a7e2b';

describe('provider verification against a configured target', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startBpProvider({ apiKey: KEY });
  });
  afterAll(() => server.close());

  it('verifies every interaction, deriving window and cursors from what the target holds, and never prints the key', async () => {
    const lines: string[] = [];
    const r = await verifyIsolated(
      'betterprompt',
      { baseUrl: `${server.url}/v1`, apiKey: KEY },
      committedPact('betterprompt'),
      (l) => lines.push(l),
    );
    expect(r.target).toBe('configured');
    expect(r.counts, JSON.stringify(r.outcomes)).toEqual({ pass: 7, fail: 0, skip: 0, unverifiable: 0, known: 0 });
    expect([...lines, JSON.stringify(r)].filter((l) => l.includes(KEY))).toEqual([]);
  }, 30_000);
});

describe('issue 18 (1): states hold on any correct account', () => {
  it('an account with 2,000 runs back to 1998, some in 2000, and new ones arriving: every interaction verifies', async () => {
    const target = await startBpProvider({ apiKey: KEY });
    // one run every ~6 days from 1998 on, with same-second neighbours; "runs in 2000" no longer matters
    const start = Date.parse('1998-01-01T00:00:00Z');
    const runs = seedRuns(2000, 5).map((r, i) => ({
      ...r,
      createdAt: new Date(start + Math.floor(i / 2) * 518_400_000 + (i % 2) * 300).toISOString(),
    }));
    target.setRuns(runs);
    // new runs keep arriving (and stay), as on a busy staging account
    const arriving = setInterval(() => {
      runs.push(...seedRuns(1, runs.length).map((r) => ({ ...r, createdAt: new Date().toISOString() })));
      target.setRuns(runs);
    }, 50);
    try {
      const r = await verifyPact('betterprompt', { kind: 'configured', baseUrl: target.url, apiKey: KEY });
      expect(r.counts, JSON.stringify(r.outcomes)).toMatchObject({ pass: 7, fail: 0, unverifiable: 0 });
    } finally {
      clearInterval(arriving);
      await target.close();
    }
  }, 30_000);

  it('a state that cannot be established is not verifiable there (not a failure), and the baseline can accept it', async () => {
    const target = await startBpProvider({ apiKey: KEY });
    // every run in one second, more than three pages of them: no empty window between runs, and the listing goes on
    target.setRuns(seedRuns(200, 6).map((r) => ({ ...r, createdAt: '2025-01-01T00:00:00.000Z' })));
    try {
      const r = await verifyPact('betterprompt', { kind: 'configured', baseUrl: target.url, apiKey: KEY });
      const empty = r.outcomes.find((o) => o.state === bpStates.emptyWindow);
      expect(empty).toMatchObject({
        status: 'unverifiable',
        detail: [expect.stringMatching(/cannot be established on the target: no two of the newest 150 runs/)],
      });
      expect(r.counts.fail).toBe(0);
      const description = empty?.description ?? '';
      const accepted = withBaseline(
        r,
        [{ interaction: description, reason: 'staging account is all one second (ticket 9)', expires: '2099-01-01' }],
        new Date(),
      );
      expect(accepted.outcomes.find((o) => o.description === description)?.status).toBe('known');
      expect(accepted.counts).toMatchObject({ unverifiable: 0, known: 1 });
      const expired = withBaseline(r, [{ interaction: description, reason: 'x', expires: '2020-01-01' }], new Date());
      expect(expired.outcomes.find((o) => o.description === description)).toMatchObject({
        status: 'unverifiable',
        detail: [expect.anything(), expect.stringMatching(/baseline entry expired on 2020-01-01/)],
      });
    } finally {
      await target.close();
    }
  }, 30_000);
});

describe('issue 12 (4) as revised by 18 (1): a faulty live target never passes verification and is never skipped', () => {
  it('hasMore always false: the several-pages state cannot be established, and its interactions are not verifiable', async () => {
    const { handle } = createBpHandler({ apiKey: KEY });
    const target = await startJsonServer(mapField('hasMore', () => false)(handle));
    try {
      const r = await verifyPact('betterprompt', { kind: 'configured', baseUrl: target.url, apiKey: KEY });
      const paging = r.outcomes.filter((o) => o.state === 'runs exist on more than one page');
      expect(paging.length).toBeGreaterThan(0);
      for (const o of paging)
        expect(o).toMatchObject({
          status: 'unverifiable',
          detail: [
            expect.stringMatching(
              /provider state "runs exist on more than one page" cannot be established on the target/,
            ),
          ],
        });
      expect(r.counts.skip).toBe(0);
      expect(r.counts.pass).toBeLessThan(r.outcomes.length);
    } finally {
      await target.close();
    }
  }, 30_000);

  it('both cursors accepted together: the 422 interaction fails (its cursors exist there, issue 12 (7))', async () => {
    const target = await startBpProvider({ apiKey: KEY, knobs: ['cursor-conflict-ok'] });
    try {
      // in a child process: the verifier's own (expected) FAILED lines stay out of the test log
      const r = await verifyIsolated(
        'betterprompt',
        { baseUrl: target.url, apiKey: KEY },
        committedPact('betterprompt'),
        () => undefined,
      );
      expect(
        r.outcomes.find((o) => o.description === 'a request with both startingAfter and endingBefore')?.status,
      ).toBe('fail');
    } finally {
      await target.close();
    }
  }, 30_000);

  it('Runtype: the search-and-model interaction runs on a live target with a search derived from its data', async () => {
    const target = await startRtProvider({ apiKey: KEY });
    try {
      const r = await verifyPact('runtype', { kind: 'configured', baseUrl: target.url, apiKey: KEY });
      expect(r.counts, JSON.stringify(r.outcomes)).toMatchObject({ pass: r.outcomes.length, fail: 0, skip: 0 });
    } finally {
      await target.close();
    }
  }, 30_000);
});

describe('only GET reaches a configured target', () => {
  it('skips a non-GET interaction instead of sending it', async () => {
    const methods: string[] = [];
    const target = createServer((req, res) => {
      methods.push(req.method ?? '');
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"status":"UNAUTHORIZED_ERROR","message":"no"}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'pact-post-'));
    try {
      const pact = readPact(committedPact('betterprompt'));
      const unauth = pact.interactions.filter((i) => i.description === 'a request without an API key');
      const post = unauth.map((i) => ({
        ...i,
        description: 'a POST that must never be sent',
        request: { ...i.request, method: 'POST' },
      }));
      const file = join(dir, 'pact.json');
      writeFileSync(file, JSON.stringify({ ...pact, interactions: [...unauth, ...post] }));
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const r = await verifyPact('betterprompt', { kind: 'configured', baseUrl: url, apiKey: KEY }, { pactFile: file });
      expect(r.outcomes.find((o) => o.description === 'a POST that must never be sent')).toMatchObject({
        status: 'skip',
        detail: [expect.stringMatching(/GET only/)],
      });
      expect(r.outcomes.find((o) => o.description === 'a request without an API key')?.status).toBe('pass');
      expect(methods).toEqual(['GET']);
    } finally {
      target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
