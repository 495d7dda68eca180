/**
 * Provider verification must catch a provider that breaks what a consumer relies on: each fault below
 * fails verification, and the report names the interaction that caught it. The verifier runs in a child
 * process (src/pact/verify-faults.ts), so its expected "FAILED" lines never reach the test log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from './verify';
import { VERIFY_FAULTS, type VerifyFault, type VerifyFaultName, verifyFaultsQuietly } from './verify-faults';
import { interactionLabel } from './pact-file';

describe('provider verification against a fault-injected reference provider', () => {
  let reports: Record<VerifyFaultName, VerificationReport>;
  let output: string;
  beforeAll(async () => {
    ({ reports, output } = await verifyFaultsQuietly());
  }, 120_000);
  const failed = (name: VerifyFaultName) => reports[name].outcomes.filter((o) => o.status === 'fail');

  it('fails naming the interaction when BetterPrompt renames hasMore to has_more', () => {
    const r = reports['BetterPrompt renames hasMore to has_more'];
    const f = failed('BetterPrompt renames hasMore to has_more');
    expect(f.map((o) => o.description)).toContain('a request for the first page of two runs');
    const first = f.find((o) => o.description === 'a request for the first page of two runs');
    expect(first?.detail.join('\n')).toMatch(/\$\.data.*hasMore/);
    // the error interactions do not read hasMore, so they still pass: the failure is specific
    expect(r.outcomes.find((o) => o.description === 'a request without an API key')?.status).toBe('pass');
    expect(r.counts.fail).toBe(f.length);
  });

  it('fails naming the interaction when Runtype drops nextCursor', () => {
    const r = reports['Runtype drops nextCursor'];
    expect(failed('Runtype drops nextCursor').map((o) => interactionLabel(o))).toContain(
      'Given prompts exist on more than one page - a request for the first page of two prompts',
    );
    const first = r.outcomes.find((o) => o.description === 'a request for the first page of two prompts');
    expect(first?.detail.join('\n')).toMatch(/nextCursor/);
    expect(r.outcomes.find((o) => o.description === 'a request with a limit of 0')?.status).toBe('pass');
  });

  for (const [name, fault] of Object.entries(VERIFY_FAULTS) as [VerifyFaultName, VerifyFault][]) {
    if (!fault.field) continue;
    it(`fails when ${name}`, () => {
      const f = failed(name);
      expect(f.length, reports[name].output.join('\n')).toBeGreaterThan(0);
      expect(f.flatMap((o) => o.detail).join('\n')).toContain(fault.field);
    });
  }

  it('fails when BetterPrompt ignores endingBefore next to startingAfter (issue 12 (7): both cursors exist there)', () => {
    const r = reports['BetterPrompt ignores endingBefore'];
    expect(r.outcomes.find((o) => o.description === 'a request with both startingAfter and endingBefore')?.status).toBe(
      'fail',
    );
  });

  it('passes the same pacts against the clean providers (the faults, not the harness, fail them)', () => {
    expect(reports['clean BetterPrompt'].counts).toMatchObject({ fail: 0, skip: 0 });
    expect(reports['clean Runtype'].counts).toMatchObject({ fail: 0, skip: 0 });
  });

  it('keeps the expected FAILED lines out of the test log (issue 18 (5))', () => {
    // the child saw them; this process never printed them
    expect(output).toMatch(/FAILED/);
  });
});
