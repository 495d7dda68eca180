/**
 * Verification of every selected API: the committed pact against the embedded reference provider, and
 * against the configured target when there is one (in a child process, output redacted).
 */
import type { ApiName } from '../shared/api';
import { acceptInteraction, type InteractionEntry } from '../shared/baseline';
import type { TargetConfig } from '../runner/config';
import type { BrokerVerification } from './broker';
import { committedPact } from './names';
import { countOutcomes, type InteractionOutcome, type VerificationReport, verifyPact } from './verify';
import { verifyIsolated } from './verify-isolated';

export interface VerifyAllOptions {
  apis: readonly ApiName[];
  targets: Partial<Record<ApiName, TargetConfig>>;
  broker?: BrokerVerification | undefined;
  log: (line: string) => void;
  /** Interactions the known-deviations baseline accepts (its `interactions`); only a configured target's. */
  baseline?: readonly InteractionEntry[];
  now?: Date;
}

export async function verifyAll(o: VerifyAllOptions): Promise<VerificationReport[]> {
  const reports: VerificationReport[] = [];
  for (const api of o.apis) {
    reports.push(await verifyPact(api, { kind: 'embedded' }, o.broker ? { broker: o.broker } : {}));
    const target = o.targets[api];
    if (target) {
      const live = await verifyIsolated(api, target, committedPact(api), o.log);
      reports.push(withBaseline(live, o.baseline ?? [], o.now ?? new Date()));
    }
  }
  return reports;
}

/** A failed or not-verifiable interaction the baseline lists is `known` until its expiry, then says it expired. */
export function withBaseline(
  r: VerificationReport,
  entries: readonly InteractionEntry[],
  now: Date,
): VerificationReport {
  if (!entries.length) return r;
  const outcomes = r.outcomes.map((o): InteractionOutcome => {
    if (o.status !== 'fail' && o.status !== 'unverifiable') return o;
    const a = acceptInteraction(entries, r.api, o.description, now);
    if (!a) return o;
    return a.known
      ? { ...o, status: 'known', detail: [`${a.reason} (baseline, until ${a.expires})`, ...o.detail] }
      : { ...o, detail: [...o.detail, a.reason] };
  });
  return { ...r, outcomes, counts: countOutcomes(outcomes) };
}
