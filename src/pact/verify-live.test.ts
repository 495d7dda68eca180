/**
 * Verification against a configured (live) target, played by a reference provider on 127.0.0.1 with data
 * the suite did not seed: states hold by observation or their interactions are skipped with the reason,
 * only GETs reach the target, and its key never appears in the output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBpProvider } from '../apis/betterprompt/provider';
import type { RunningServer } from '../shared/server';
import { committedPact } from './names';
import { readPact } from './pact-file';
import { verifyPact } from './verify';
import { verifyIsolated } from './verify-isolated';

const KEY = 'live-key-5f1c9a7e2b';

describe('provider verification against a configured target', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startBpProvider({ apiKey: KEY });
  });
  afterAll(() => server.close());

  it('verifies what it can arrange, skips the rest with the reason, and never prints the key', async () => {
    const lines: string[] = [];
    const r = await verifyIsolated('betterprompt', { baseUrl: `${server.url}/v1`, apiKey: KEY }, committedPact('betterprompt'), (l) => lines.push(l));
    expect(r.target).toBe('configured');
    const window = r.outcomes.find((o) => o.description === 'a request for runs created in a time window');
    expect(window?.status).toBe('skip');
    expect(window?.detail.join(' ')).toMatch(/cannot be seeded/);
    // observed states (several pages, failed runs, none in 2000) and stateless ones are really verified
    expect(r.counts).toEqual({ pass: 6, fail: 0, skip: 1 });
    expect([...lines, JSON.stringify(r)].filter((l) => l.includes(KEY))).toEqual([]);
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
      const post = unauth.map((i) => ({ ...i, description: 'a POST that must never be sent', request: { ...i.request, method: 'POST' } }));
      const file = join(dir, 'pact.json');
      writeFileSync(file, JSON.stringify({ ...pact, interactions: [...unauth, ...post] }));
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const r = await verifyPact('betterprompt', { kind: 'configured', baseUrl: url, apiKey: KEY }, { pactFile: file });
      expect(r.outcomes.find((o) => o.description === 'a POST that must never be sent')).toMatchObject({ status: 'skip', detail: [expect.stringMatching(/GET only/)] });
      expect(r.outcomes.find((o) => o.description === 'a request without an API key')?.status).toBe('pass');
      expect(methods).toEqual(['GET']);
    } finally {
      target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
