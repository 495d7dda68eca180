/**
 * Verification self-tests against fault-injected reference providers, run in a child process: the Rust verifier
 * prints its own "FAILED" lines straight to stdout, where a developer would read an expected failure as a real
 * one. The child's output is kept (for a test that needs it) and never printed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiName } from '../shared/api';
import type { Handler } from '../shared/server';
import { dropField, ignoreQuery, mapField, renameField } from './contract-faults';
import { type VerificationReport, verifyPact } from './verify';

export interface VerifyFault {
  api: ApiName;
  /** The field the verification must name, when the fault breaks one. */
  field?: string;
  wrap: (h: Handler) => Handler;
}

const asString = (v: unknown) => (typeof v === 'number' ? String(v) : v);

/** Each fault breaks something the typed client relies on; verification must fail on it. */
export const VERIFY_FAULTS = {
  'BetterPrompt renames hasMore to has_more': { api: 'betterprompt', wrap: renameField('hasMore', 'has_more') },
  'Runtype drops nextCursor': { api: 'runtype', wrap: dropField('nextCursor') },
  // issue 12 (3): the pacts accepted these, and the typed client throws on each of them
  'BetterPrompt sends credits as a string ("150")': {
    api: 'betterprompt',
    field: 'credits',
    wrap: mapField('credits', asString),
  },
  'BetterPrompt sends credits as a fraction': {
    api: 'betterprompt',
    field: 'credits',
    wrap: mapField('credits', (v) => (typeof v === 'number' ? v + 0.5 : v)),
  },
  'Runtype sends estimatedCost as a number': {
    api: 'runtype',
    field: 'estimatedCost',
    wrap: mapField('estimatedCost', (v) => (typeof v === 'string' ? Number(v) : v)),
  },
  'Runtype sends estimatedTokens as a string': {
    api: 'runtype',
    field: 'estimatedTokens',
    wrap: mapField('estimatedTokens', asString),
  },
  'Runtype sends order as a string': { api: 'runtype', field: 'order', wrap: mapField('order', asString) },
  'Runtype sends nextCursor as a number': {
    api: 'runtype',
    field: 'nextCursor',
    wrap: mapField('nextCursor', () => 42),
  },
  'BetterPrompt ignores endingBefore': { api: 'betterprompt', wrap: ignoreQuery('endingBefore') },
  'clean BetterPrompt': { api: 'betterprompt', wrap: (h) => h },
  'clean Runtype': { api: 'runtype', wrap: (h) => h },
} as const satisfies Record<string, VerifyFault>;

export type VerifyFaultName = keyof typeof VERIFY_FAULTS;

const OUT = 'VERIFY_FAULTS_OUT';

/** Verifies every named fault in one child process; returns the reports by name and the child's quiet output. */
export async function verifyFaultsQuietly(): Promise<{
  reports: Record<VerifyFaultName, VerificationReport>;
  output: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'verify-faults-'));
  const out = join(dir, 'reports.json');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: root,
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', [OUT]: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const s of [child.stdout, child.stderr])
      s.on('data', (c: Buffer) => {
        output += c.toString();
      });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (!existsSync(out)) throw new Error(`the verification child exited ${code} without a report:\n${output}`);
    return { reports: JSON.parse(readFileSync(out, 'utf8')) as Record<VerifyFaultName, VerificationReport>, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(out: string): Promise<void> {
  const reports: Record<string, VerificationReport> = {};
  for (const [name, f] of Object.entries(VERIFY_FAULTS) as [string, VerifyFault][])
    reports[name] = await verifyPact(f.api, { kind: 'embedded', wrap: f.wrap });
  writeFileSync(out, JSON.stringify(reports));
}

const out = process.env[OUT];
if (out && process.argv[1] === fileURLToPath(import.meta.url)) await child(out);
