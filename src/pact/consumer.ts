/**
 * Scaffolding for the consumer pact tests: one PactV4 per API, pacts written to a scratch folder
 * (never into contracts/ during `npm test`), and a last test that fails when contracts/ is stale.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4, type V3MockServer } from '@pact-foundation/pact';
import { makeConsumerPact } from '@pact-foundation/pact-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../shared/api';
import { committedPact, pactFileName, pacticipants } from './names';
import { normalisePact, nullableAsOr, pactDiff, readPact } from './pact-file';

/**
 * A second handle on pact-core, only to read a mock server's bookkeeping by port (the FFI's mock-server
 * queries are keyed by port, not by pact).
 */
const probe = makeConsumerPact('mock-server-probe', 'mock-server-probe', 5, 'error');
/** Upper bound on waiting for the bookkeeping; reached only when a request really was not sent. */
const SETTLE_MS = 5_000;

/**
 * Wraps an `executeTest` callback so it returns only once the mock server has booked every request it
 * answered. Since pact-core 19 (pact-js 16.3) the mock server books a match on a separate task, after the
 * response may already have reached the client; pact-js reads the bookkeeping right after the callback,
 * so under CPU load it reported "expected but not received" for a request it had answered
 * (pact-foundation/pact-core-mock-server#13). Waiting for the condition, not for a time, makes it deterministic.
 */
export function settled<T>(fn: (ms: V3MockServer) => Promise<T>): (ms: V3MockServer) => Promise<T> {
  return async (ms) => {
    const value = await fn(ms);
    const until = Date.now() + SETTLE_MS;
    while (
      probe.mockServerMismatches(ms.port).some((m) => 'type' in m && m.type === 'missing-request') &&
      Date.now() < until
    )
      await new Promise((r) => setTimeout(r, 2));
    return value;
  };
}

/** Set by `npm run contracts`: the pacts go there and the staleness test stands aside. */
const OUT_ENV = 'PACT_OUT_DIR';

export interface ContractSuite {
  pact: PactV4;
  /** Registers one interaction test; counted so the staleness check knows the pact is complete. */
  interaction: (title: string, fn: () => Promise<unknown>) => void;
}

export function describeContract(api: ApiName, title: string, body: (suite: ContractSuite) => void): void {
  const given = process.env[OUT_ENV];
  const dir = given ?? mkdtempSync(join(tmpdir(), `pacts-${api}-`));
  const pact = new PactV4({ ...pacticipants[api], dir, logLevel: 'error' });
  let registered = 0;
  let passed = 0;

  describe(title, () => {
    afterAll(() => {
      // `npm run contracts` copies what is left here: nullable pairs become ORs first
      const fresh = join(dir, pactFileName(api));
      if (given && passed === registered && existsSync(fresh)) nullableAsOr(fresh);
      if (!given) rmSync(dir, { recursive: true, force: true });
    });
    body({
      pact,
      interaction: (name, fn) => {
        registered++;
        it(name, async () => {
          await fn();
          passed++;
        });
      },
    });
    it(`contracts/${pactFileName(api)} is what the consumer tests generate`, (t) => {
      if (given) return t.skip(`regenerating into ${OUT_ENV}`);
      if (passed < registered) return t.skip('not every interaction ran, so the generated pact is partial');
      const committed = committedPact(api);
      const fresh = join(dir, pactFileName(api));
      expect(existsSync(fresh), 'pact-js wrote no pact file').toBe(true);
      nullableAsOr(fresh);
      const fix = 'run `npm run contracts` and commit contracts/';
      if (!existsSync(committed)) expect.fail(`contracts/${pactFileName(api)} is missing; ${fix}`);
      const a = readPact(committed);
      const b = readPact(fresh);
      if (JSON.stringify(normalisePact(a)) !== JSON.stringify(normalisePact(b))) {
        expect.fail(`contracts/${pactFileName(api)} is stale; ${fix}\n${pactDiff(a, b).join('\n')}`);
      }
    });
  });
}
