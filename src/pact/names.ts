/** Who the pacts are between, and where they live. Consumer tests, verification and the gate all read this. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiName } from '../shared/api';

export const pacticipants = {
  betterprompt: { consumer: 'betterprompt-client', provider: 'betterprompt-api' },
  runtype: { consumer: 'runtype-client', provider: 'runtype-api' },
} as const satisfies Record<ApiName, { consumer: string; provider: string }>;

/** The repository's `contracts/` folder, wherever the command is started from. */
export const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'contracts');

/** The file name pact-js writes for an API: `<consumer>-<provider>.json`. */
export function pactFileName(api: ApiName): string {
  const p = pacticipants[api];
  return `${p.consumer}-${p.provider}.json`;
}

export function committedPact(api: ApiName): string {
  return join(CONTRACTS_DIR, pactFileName(api));
}
