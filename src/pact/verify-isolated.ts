/**
 * Verification of a configured target in a child process. The Rust verifier prints straight to stdout,
 * where a target that echoes the key in a body would put it on screen; piping the child's output through
 * `redactText` keeps the key out of every line, whatever prints it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ApiName } from '../shared/api';
import { redactText, registerSecret } from '../shared/redact';
import { CONTRACTS_DIR } from './names';
import { readPact, stateOf } from './pact-file';
import { emptyCounts, type VerificationReport } from './verify';

export const CHILD_ENV = {
  api: 'VERIFY_API',
  baseUrl: 'VERIFY_BASE_URL',
  apiKey: 'VERIFY_API_KEY',
  out: 'VERIFY_OUT',
  pactFile: 'VERIFY_PACT_FILE',
} as const;

export async function verifyIsolated(
  api: ApiName,
  target: { baseUrl: string; apiKey: string },
  pactFile: string,
  log: (line: string) => void,
): Promise<VerificationReport> {
  registerSecret(target.apiKey);
  const dir = mkdtempSync(join(tmpdir(), `verify-${api}-`));
  const out = join(dir, 'report.json');
  const root = join(CONTRACTS_DIR, '..');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'pact', 'verify-child.ts')], {
      cwd: root,
      // the key travels in the environment, never on a command line another process could list
      env: {
        ...process.env,
        PACT_DO_NOT_TRACK: 'true',
        [CHILD_ENV.api]: api,
        [CHILD_ENV.baseUrl]: target.baseUrl,
        [CHILD_ENV.apiKey]: target.apiKey,
        [CHILD_ENV.out]: out,
        [CHILD_ENV.pactFile]: pactFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (l) => log(redactText(l)));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    if (existsSync(out)) return JSON.parse(readFileSync(out, 'utf8')) as VerificationReport;
    // the child died before reporting: every interaction counts as failed, not skipped
    const pact = readPact(pactFile);
    const outcomes = pact.interactions.map((i) => ({
      description: i.description,
      state: stateOf(i),
      status: 'fail' as const,
      detail: [`verification process exited ${code} before reporting`],
    }));
    return {
      api,
      target: 'configured',
      pactFile,
      outcomes,
      counts: { ...emptyCounts(), fail: outcomes.length },
      output: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
