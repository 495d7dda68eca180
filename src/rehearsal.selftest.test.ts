/**
 * The client-release rehearsal (issue 12, "Done when"), scripted on a copy of the repository:
 * the client starts relying on a new field → the consumer tests' staleness check fails → `npm run contracts`
 * regenerates the pact → `npm run verify` is red against a provider without the field → `npm run gate` is red
 * naming the pact's interactions → the change is undone → the gate is green, with a known deviation in the
 * baseline honoured and a stand-in broker receiving the pact, the verification results, `can-i-deploy` and
 * `record-release`. Every step runs the npm scripts a client team runs.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBpProvider } from './apis/betterprompt/provider';
import type { GateSummary } from './gate/gate';
import { pactFileName, pacticipants } from './pact/names';
import { type StandInBroker, startStandInBroker } from './pact/stand-in-broker';
import type { RunningServer } from './shared/server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'rehearsal-key-6d02b1';
const PACT = join('contracts', pactFileName('betterprompt'));
const CONSUMER_TEST = join('suites', 'betterprompt', 'consumer.pact.test.ts');
const SCHEMA = join('schemas', 'betterprompt', 'list-runs.schema.ts');

let repo: string;
let staging: RunningServer;
let broker: StandInBroker;

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  cpSync(ROOT, repo, { recursive: true, filter: (src) => !/[/\\](node_modules|\.git|reports)$/.test(src) });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(repo, 'node_modules'));
  // staging accepts limit=0 (a known deviation, in the baseline below); it has no `durationMs` on runs
  staging = await startBpProvider({ apiKey: KEY, knobs: ['limit-zero-ok'] });
  broker = await startStandInBroker({ token: 'rehearsal-broker-token' });
});

afterAll(async () => {
  await staging?.close();
  await broker?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/**
 * Runs a command in the copy with the environment a CI job would have, and nothing of the developer's.
 * Asynchronous: the stand-in broker and the staging provider answer from this process meanwhile.
 */
function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? repo,
        NO_COLOR: '1',
        CI: 'true',
        PACT_DO_NOT_TRACK: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

const target = {
  BETTERPROMPT_BASE_URL: '',
  BETTERPROMPT_API_KEY: KEY,
  CONFORMANCE_RATE: '1000',
  CONFORMANCE_RUNS: '3',
};
const brokerEnv = (version: string) => ({
  PACT_BROKER_BASE_URL: broker.url,
  PACT_BROKER_TOKEN: 'rehearsal-broker-token',
  PACT_CONSUMER_VERSION: version,
  PACT_PROVIDER_VERSION: 'staging-1',
});
const read = (f: string) => readFileSync(join(repo, f), 'utf8');
const write = (f: string, text: string) => writeFileSync(join(repo, f), text);
const gateJson = (dir: string) => JSON.parse(read(join(dir, 'gate.json'))) as GateSummary;

describe('client-release rehearsal', () => {
  it('a new field the client relies on goes red everywhere it should, and green again once undone', async () => {
    const originals = { test: read(CONSUMER_TEST), schema: read(SCHEMA), pact: read(PACT) };

    // 1. the client now relies on `durationMs` (its schema requires it): its consumer tests fail on the mock
    write(
      SCHEMA,
      originals.schema
        .replace("required: ['runId', ", "required: ['durationMs', 'runId', ")
        .replace('    runId: {', "    durationMs: { type: 'integer' },\n    runId: {"),
    );
    const unpinned = await run('npx', ['vitest', 'run', '--project', 'contracts', 'betterprompt/consumer.pact']);
    expect(unpinned.code, unpinned.out).toBe(1);
    expect(unpinned.out).toMatch(/does not match the documented schema/);
    expect(unpinned.out).toMatch(/required property 'durationMs'/);

    // 2. the consumer test pins the field: the tests pass against the mock, but the committed pact is stale
    write(
      CONSUMER_TEST,
      originals.test.replace('    runName: M.string(', '    durationMs: M.integer(1200),\n    runName: M.string('),
    );
    const consumer = await run('npx', ['vitest', 'run', '--project', 'contracts', 'betterprompt/consumer.pact']);
    expect(consumer.code, consumer.out).toBe(1);
    expect(consumer.out).toContain(`contracts/${pactFileName('betterprompt')} is stale; run \`npm run contracts\``);
    expect(consumer.out).not.toMatch(/does not match the documented schema/);

    // 3. regenerate: the pact now promises durationMs
    const contracts = await run('npm', ['run', 'contracts']);
    expect(contracts.code, contracts.out).toBe(0);
    expect(read(PACT)).toContain('durationMs');

    // 4. verification is red against the provider without the field
    const verify = await run('npm', ['run', 'verify', '--', '--api', 'betterprompt']);
    expect(verify.code, verify.out).toBe(1);
    expect(verify.out).toMatch(/durationMs/);

    // 5. the gate is red, naming the pact's interactions, against staging; the pact still reaches the broker
    const red = await run(
      'npm',
      ['run', 'gate', '--', '--api', 'betterprompt', '--require-targets', '--report-dir', 'out/red'],
      { ...target, BETTERPROMPT_BASE_URL: staging.url, ...brokerEnv('1.3.0-rc.1'), CLIENT_VERSION: '1.3.0-rc.1' },
    );
    expect(red.code, red.out).toBe(1);
    const redGate = gateJson('out/red');
    expect(redGate.passed).toBe(false);
    expect(redGate.clientVersion).toBe('1.3.0-rc.1');
    const named = redGate.failures.filter((f) => f.pillar === 'provider verification' && f.target === 'configured');
    expect(named.map((f) => f.item)).toContain(
      'Given runs exist on more than one page - a request for the first page of two runs',
    );
    expect(named.map((f) => f.detail).join('\n')).toMatch(/durationMs/);
    expect(read('out/red/gate.md')).toMatch(/✗|## Failures/);
    expect(broker.verifications.filter((v) => v.consumerVersion === '1.3.0-rc.1').every((v) => !v.success)).toBe(true);

    // 6. undo the change and regenerate: contracts/ is byte-for-byte what was committed
    write(SCHEMA, originals.schema);
    write(CONSUMER_TEST, originals.test);
    expect((await run('npm', ['run', 'contracts'])).code).toBe(0);
    expect(JSON.parse(read(PACT))).toEqual(JSON.parse(originals.pact));

    // 7. green: the known deviation is baselined, the broker gets pact, results, can-i-deploy and the release
    write(
      'conformance.baseline.json',
      JSON.stringify({
        entries: [
          { rule: 'BP-LIMIT-MIN', reason: 'rehearsal: staging accepts limit=0 (ticket #7)', expires: '2099-12-31' },
        ],
      }),
    );
    const green = await run(
      'npm',
      [
        'run',
        'gate',
        '--',
        '--api',
        'betterprompt',
        '--require-targets',
        '--record-release',
        '--report-dir',
        'out/green',
      ],
      {
        ...target,
        BETTERPROMPT_BASE_URL: staging.url,
        ...brokerEnv('1.3.0'),
        PACT_BROKER_ENVIRONMENT: 'production',
        CLIENT_VERSION: '1.3.0',
      },
    );
    expect(green.code, green.out).toBe(0);
    const gate = gateJson('out/green');
    expect(gate.passed).toBe(true);
    expect(gate.rows.find((r) => r.pillar === 'conformance')).toMatchObject({
      target: 'configured',
      fail: 0,
      known: 1,
    });
    for (const pillar of [
      'consumer contracts',
      'pact publication',
      'provider verification',
      'can-i-deploy',
      'release record',
    ])
      expect(
        gate.rows.map((r) => r.pillar),
        pillar,
      ).toContain(pillar);
    const { consumer: client, provider } = pacticipants.betterprompt;
    expect(broker.pacts.has(`${client}|${provider}|1.3.0`)).toBe(true);
    expect(broker.verifications).toContainEqual(
      expect.objectContaining({
        consumer: client,
        consumerVersion: '1.3.0',
        providerVersion: 'staging-1',
        success: true,
      }),
    );
    expect(
      broker.requests.some((r) => r.method === 'GET' && r.path.startsWith('/matrix') && r.path.includes('1.3.0')),
    ).toBe(true);
    expect(broker.releases).toEqual([{ pacticipant: client, version: '1.3.0', environment: 'production' }]);
  }, 1_200_000);
});
