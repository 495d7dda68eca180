/**
 * Verification of every selected API: the committed pact against the embedded reference provider, and
 * against the configured target when there is one (in a child process, output redacted).
 */
import type { ApiName } from '../shared/api';
import type { TargetConfig } from '../shared/config';
import type { BrokerVerification } from './broker';
import { committedPact } from './names';
import { type VerificationReport, verifyPact } from './verify';
import { verifyIsolated } from './verify-isolated';

export interface VerifyAllOptions {
  apis: readonly ApiName[];
  targets: Partial<Record<ApiName, TargetConfig>>;
  broker?: BrokerVerification | undefined;
  log: (line: string) => void;
}

export async function verifyAll(o: VerifyAllOptions): Promise<VerificationReport[]> {
  const reports: VerificationReport[] = [];
  for (const api of o.apis) {
    reports.push(await verifyPact(api, { kind: 'embedded' }, o.broker ? { broker: o.broker } : {}));
    const target = o.targets[api];
    if (target) reports.push(await verifyIsolated(api, target, committedPact(api), o.log));
  }
  return reports;
}
