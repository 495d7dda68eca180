/**
 * Vitest scaffolding for provider verification: verify once, then one test per interaction of the
 * committed pact, so a failure is reported under the interaction's own name with its mismatches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiName } from '../shared/api';
import { committedPact } from './names';
import { interactionLabel, readPact, stateOf } from './pact-file';
import { type VerificationReport, type VerifyTarget, verifyPact } from './verify';

export function describeVerification(api: ApiName, title: string, target: () => VerifyTarget): void {
  const interactions = readPact(committedPact(api)).interactions.map((i) => ({
    description: i.description,
    state: stateOf(i),
  }));
  describe(title, () => {
    let report: VerificationReport;
    beforeAll(async () => {
      report = await verifyPact(api, target());
    });
    for (const i of interactions) {
      it(interactionLabel(i), (t) => {
        const o = report.outcomes.find((x) => x.description === i.description && x.state === i.state);
        if (!o) expect.fail(`the verification reported nothing for "${interactionLabel(i)}"`);
        if (o.status === 'skip' || o.status === 'unverifiable' || o.status === 'known')
          return t.skip(`${o.status}: ${o.detail.join('; ')}`);
        if (o.status === 'fail') expect.fail(`${interactionLabel(i)}\n  ${o.detail.join('\n  ')}`);
      });
    }
  });
}
