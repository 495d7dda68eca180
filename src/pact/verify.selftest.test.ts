/**
 * Provider verification must catch a provider that breaks what a consumer relies on: each fault below
 * fails verification, and the report names the interaction that caught it.
 */
import { describe, expect, it } from 'vitest';
import { dropField, ignoreQuery, mapField, renameField } from './contract-faults';
import { interactionLabel } from './pact-file';
import { verifyPact } from './verify';

/** The Rust verifier prints its own FAILED lines straight to stdout; say up front that these are expected. */
function banner(fault: string): void {
  process.stdout.write(`\n── self-test: the FAILED lines below are expected (${fault}) ──\n`);
}

describe('provider verification against a fault-injected reference provider', () => {
  it('fails naming the interaction when BetterPrompt renames hasMore to has_more', async () => {
    banner('BetterPrompt provider renames hasMore to has_more');
    const r = await verifyPact('betterprompt', { kind: 'embedded', wrap: renameField('hasMore', 'has_more') });
    const failed = r.outcomes.filter((o) => o.status === 'fail');
    expect(failed.map((o) => o.description)).toContain('a request for the first page of two runs');
    const first = failed.find((o) => o.description === 'a request for the first page of two runs');
    expect(first?.detail.join('\n')).toMatch(/\$\.data.*hasMore/);
    // the error interactions do not read hasMore, so they still pass: the failure is specific
    expect(r.outcomes.find((o) => o.description === 'a request without an API key')?.status).toBe('pass');
    expect(r.counts.fail).toBe(failed.length);
  });

  it('fails naming the interaction when Runtype drops nextCursor', async () => {
    banner('Runtype provider drops nextCursor');
    const r = await verifyPact('runtype', { kind: 'embedded', wrap: dropField('nextCursor') });
    const failed = r.outcomes.filter((o) => o.status === 'fail').map((o) => interactionLabel(o));
    expect(failed).toContain('Given prompts exist on more than one page - a request for the first page of two prompts');
    const first = r.outcomes.find((o) => o.description === 'a request for the first page of two prompts');
    expect(first?.detail.join('\n')).toMatch(/nextCursor/);
    expect(r.outcomes.find((o) => o.description === 'a request with a limit of 0')?.status).toBe('pass');
  });

  // issue 12 (3): the pacts accepted these, and the typed client throws on each of them
  const clientBreaking: [string, 'betterprompt' | 'runtype', string, (v: unknown) => unknown][] = [
    [
      'BetterPrompt sends credits as a string ("150")',
      'betterprompt',
      'credits',
      (v) => (typeof v === 'number' ? String(v) : v),
    ],
    [
      'BetterPrompt sends credits as a fraction',
      'betterprompt',
      'credits',
      (v) => (typeof v === 'number' ? v + 0.5 : v),
    ],
    [
      'Runtype sends estimatedCost as a number',
      'runtype',
      'estimatedCost',
      (v) => (typeof v === 'string' ? Number(v) : v),
    ],
    [
      'Runtype sends estimatedTokens as a string',
      'runtype',
      'estimatedTokens',
      (v) => (typeof v === 'number' ? String(v) : v),
    ],
    ['Runtype sends order as a string', 'runtype', 'order', (v) => (typeof v === 'number' ? String(v) : v)],
    ['Runtype sends nextCursor as a number', 'runtype', 'nextCursor', () => 42],
  ];
  for (const [fault, api, field, f] of clientBreaking) {
    it(`fails when ${fault}`, async () => {
      banner(fault);
      const r = await verifyPact(api, { kind: 'embedded', wrap: mapField(field, f) });
      const failed = r.outcomes.filter((o) => o.status === 'fail');
      expect(failed.length, r.output.join('\n')).toBeGreaterThan(0);
      expect(failed.flatMap((o) => o.detail).join('\n')).toContain(field);
    });
  }

  it('fails when BetterPrompt ignores endingBefore next to startingAfter (issue 12 (7): both cursors exist there)', async () => {
    banner('BetterPrompt provider ignores endingBefore');
    const r = await verifyPact('betterprompt', { kind: 'embedded', wrap: ignoreQuery('endingBefore') });
    expect(r.outcomes.find((o) => o.description === 'a request with both startingAfter and endingBefore')?.status).toBe(
      'fail',
    );
  });

  it('passes the same pacts against the clean providers (the faults, not the harness, fail them)', async () => {
    for (const api of ['betterprompt', 'runtype'] as const) {
      const r = await verifyPact(api, { kind: 'embedded' });
      expect(r.counts, api).toMatchObject({ fail: 0, skip: 0 });
    }
  });
});
