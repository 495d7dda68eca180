/** `npm run gate` as a subprocess: refusals before anything runs (issue 12 (2)), and a SIGTERM mid-gate (issue 12 (8)). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from '../cli-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

it('--require-targets without targets: exit 2, one line naming the missing variables, no report', () => {
  const cwd = tempDir('gate-cwd-');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: cwd,
    NO_COLOR: '1',
    PACT_DO_NOT_TRACK: 'true',
    BETTERPROMPT_BASE_URL: 'http://127.0.0.1:9/v1',
    BETTERPROMPT_API_KEY: 'gate-cli-key-0a1b',
  };
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      join(ROOT, 'scripts', 'gate.ts'),
      '--require-targets',
      '--report-dir',
      join(cwd, 'reports'),
    ],
    { cwd, env, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.status, run.stderr).toBe(2);
  const lines = run.stderr.split('\n').filter((l) => l.trim());
  expect(lines).toEqual([
    expect.stringMatching(
      /^error: --require-targets: no target configured for runtype; set RUNTYPE_BASE_URL\/_API_KEY/,
    ),
  ]);
  expect(run.stdout).not.toMatch(/== consumer contracts/);
  expect(existsSync(join(cwd, 'reports'))).toBe(false);
});

it('a malformed baseline stops the gate before anything runs: exit 2, one line naming the file', () => {
  const cwd = tempDir('gate-cwd-');
  writeFileSync(
    join(cwd, 'conformance.baseline.json'),
    '{"entries": [{"rule": "BP-NO-SUCH-RULE", "reason": "x", "expires": "2099-01-01"}]}',
  );
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', PACT_DO_NOT_TRACK: 'true' };
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      join(ROOT, 'scripts', 'gate.ts'),
      '--api',
      'betterprompt',
      '--report-dir',
      join(cwd, 'reports'),
    ],
    { cwd, env, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.status, run.stderr).toBe(2);
  expect(run.stderr.split('\n').filter((l) => l.trim())).toEqual([
    expect.stringMatching(/^error: conformance\.baseline\.json: entry 1 \(BP-NO-SUCH-RULE\): unknown rule/),
  ]);
  expect(run.stdout).not.toMatch(/== consumer contracts/);
});

it('SIGTERM during the gate: the phases not started are skipped, gate.md says so, exit 2 without a failure', async () => {
  const cwd = tempDir('gate-cwd-');
  const reports = join(cwd, 'reports');
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', PACT_DO_NOT_TRACK: 'true' };
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, join(ROOT, 'scripts', 'gate.ts'), '--api', 'betterprompt', '--report-dir', reports],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    // in the consumer phase: the gate's own handler must see it although a child process is running
    if (out.includes('== consumer contracts') && !child.killed) child.kill('SIGTERM');
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  expect(code, err).toBe(2);
  expect(err).toMatch(
    /^incomplete: terminated \(SIGTERM\): not run: provider verification, conformance; the gate cannot pass/m,
  );
  const md = readFileSync(join(reports, 'gate.md'), 'utf8');
  // interrupted without a failure: not a pass, not a finding
  expect(md).toMatch(/^# Release gate: INCOMPLETE/);
  expect(md).toContain('terminated (SIGTERM): not run: provider verification, conformance');
}, 120_000);
