/**
 * Issue 18 (4): the broker round trip as a client team runs it, `npm run gate` against a staging target and the
 * stand-in broker (what `npm run broker:local` serves): CLIENT_VERSION alone names the pacts, the verification
 * results are published for PACT_PROVIDER_VERSION, the provider is recorded as deployed in staging, can-i-deploy
 * asks about staging, and the client's release is recorded there once the gate passed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBpProvider } from '../apis/betterprompt/provider';
import { tempDir } from '../cli-harness';
import type { RunningServer } from '../shared/server';
import type { GateSummary } from './gate';
import { pacticipants } from '../pact/names';
import { type StandInBroker, startStandInBroker } from '../pact/stand-in-broker';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const KEY = 'gate-broker-key-71c2';
const TOKEN = 'gate-broker-token-0d4e';

let staging: RunningServer;
let broker: StandInBroker;
beforeAll(async () => {
  staging = await startBpProvider({ apiKey: KEY });
  broker = await startStandInBroker({ token: TOKEN });
});
afterAll(async () => {
  await staging.close();
  await broker.close();
});

function gate(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'scripts', 'gate.ts'), ...args], {
      cwd: tempDir('gate-broker-cwd-'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NO_COLOR: '1',
        PACT_DO_NOT_TRACK: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    for (const s of [child.stdout, child.stderr])
      s.on('data', (c: Buffer) => {
        out += c.toString();
      });
    child.on('close', (code) => done({ code, out }));
  });
}

it('publishes, verifies, records the deployment and the release, and asks can-i-deploy --to-environment staging', async () => {
  const reports = tempDir('gate-broker-reports-');
  const { code, out } = await gate(
    ['--api', 'betterprompt', '--require-targets', '--record-release', '--report-dir', reports],
    {
      BETTERPROMPT_BASE_URL: staging.url,
      BETTERPROMPT_API_KEY: KEY,
      CONFORMANCE_RATE: '1000',
      CONFORMANCE_RUNS: '3',
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
      CLIENT_VERSION: '2.4.0',
      PACT_PROVIDER_VERSION: 'staging-7',
      PACT_BROKER_ENVIRONMENT: 'staging',
    },
  );
  expect(code, out).toBe(0);
  const summary = JSON.parse(readFileSync(join(reports, 'gate.json'), 'utf8')) as GateSummary;
  expect(summary).toMatchObject({ verdict: 'PASS', clientVersion: '2.4.0' });
  const { consumer, provider } = pacticipants.betterprompt;
  expect(broker.pacts.has(`${consumer}|${provider}|2.4.0`)).toBe(true);
  expect(broker.verifications).toContainEqual(
    expect.objectContaining({ consumer, consumerVersion: '2.4.0', providerVersion: 'staging-7', success: true }),
  );
  expect(broker.deployments).toEqual([{ pacticipant: provider, version: 'staging-7', environment: 'staging' }]);
  expect(broker.requests.some((r) => r.path.startsWith('/matrix') && r.path.includes('environment=staging'))).toBe(
    true,
  );
  expect(broker.releases).toEqual([{ pacticipant: consumer, version: '2.4.0', environment: 'staging' }]);
  expect(summary.rows.map((r) => r.pillar)).toEqual(
    expect.arrayContaining([
      'pact publication',
      'provider verification',
      'deployment record',
      'can-i-deploy',
      'release record',
    ]),
  );
  expect(out).not.toContain(TOKEN);
  expect(out).not.toContain(KEY);
}, 300_000);
