/**
 * The broker round trip with the official `pact broker` CLI and the pact-js Verifier, against a stand-in
 * broker on 127.0.0.1 (issue 12 (5)): publish, verification results, can-i-deploy, record-release, with
 * token and basic auth; the offline default sends nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBpProvider } from '../apis/betterprompt/provider';
import { ConfigError } from '../shared/errors';
import type { RunningServer } from '../shared/server';
import { brokerPactUrl, publishPacts, readBroker } from './broker';
import { canIDeploy, cliBaseUrl, recordDeployment, recordRelease } from './broker-cli';
import { brokerPort } from './broker-local';
import { committedPact, pacticipants } from './names';
import { type StandInBroker, startStandInBroker } from './stand-in-broker';
import { verifyPact } from './verify';

const TOKEN = 'broker-token-5e7a1c';
const KEY = 'broker-test-key-19af';

describe('broker settings', () => {
  it('is off unless PACT_BROKER_BASE_URL is set (the offline default)', () => {
    expect(readBroker({})).toBeUndefined();
    expect(() => readBroker({ PACT_BROKER_BASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => readBroker({ PACT_BROKER_BASE_URL: 'https://b.test', PACT_BROKER_PASSWORD: 'pw' })).toThrow(
      /PACT_BROKER_USERNAME is not/,
    );
  });

  it('CLIENT_VERSION alone is the consumer version; a different PACT_CONSUMER_VERSION beside it is refused', () => {
    expect(readBroker({ PACT_BROKER_BASE_URL: 'https://b.test', CLIENT_VERSION: '2.4.0' })).toMatchObject({
      consumerVersion: '2.4.0',
    });
    expect(() =>
      readBroker({ PACT_BROKER_BASE_URL: 'https://b.test', CLIENT_VERSION: '2.4.0', PACT_CONSUMER_VERSION: '2.3.0' }),
    ).toThrow(/CLIENT_VERSION \(2\.4\.0\) and PACT_CONSUMER_VERSION \(2\.3\.0\) differ; set CLIENT_VERSION alone/);
    // the provider's deployment is recorded in staging unless told otherwise
    expect(readBroker({ PACT_BROKER_BASE_URL: 'https://b.test', PACT_PROVIDER_VERSION: 'p-7' })).toMatchObject({
      providerEnvironment: 'staging',
    });
  });

  it('broker.ts and broker-cli.ts import one way only (no cycle)', () => {
    const cli = readFileSync(new URL('./broker-cli.ts', import.meta.url), 'utf8');
    expect(cli).not.toMatch(/from '\.\/broker'/);
  });

  it('verifies a published version from its broker URL', () => {
    expect(
      brokerPactUrl('https://broker.test', { consumer: 'runtype-client', provider: 'runtype-api' }, '1.2.3+b'),
    ).toBe('https://broker.test/pacts/provider/runtype-api/consumer/runtype-client/version/1.2.3%2Bb');
  });

  it('addresses a loopback broker by name (the CLI drops the port of an IP literal)', () => {
    expect(cliBaseUrl('http://127.0.0.1:9292/')).toBe('http://localhost:9292');
    expect(cliBaseUrl('https://broker.example.com/base/')).toBe('https://broker.example.com/base');
  });
});

describe('pact broker CLI against a stand-in broker (token auth)', () => {
  let broker: StandInBroker;
  let provider: RunningServer;
  beforeAll(async () => {
    broker = await startStandInBroker({ token: TOKEN });
    provider = await startBpProvider({ apiKey: KEY });
  });
  afterAll(async () => {
    await broker.close();
    await provider.close();
  });
  const settings = (over: Record<string, string> = {}) => {
    const b = readBroker({
      PACT_BROKER_BASE_URL: broker.url.replace('localhost', '127.0.0.1'),
      PACT_BROKER_TOKEN: TOKEN,
      PACT_CONSUMER_VERSION: '1.2.3',
      PACT_CONSUMER_BRANCH: 'main',
      PACT_PROVIDER_VERSION: 'staging-42',
      ...over,
    });
    if (!b) throw new Error('broker not read');
    return b;
  };
  const consumer = pacticipants.betterprompt.consumer;

  it('publishes the pact for the consumer version, with the token, and the broker holds its interactions', async () => {
    const out = await publishPacts(settings(), [committedPact('betterprompt')]);
    expect(out[0], out[0]?.message).toMatchObject({ ok: true });
    expect(broker.requests.find((r) => r.method === 'POST' && r.path === '/contracts/publish')?.authorization).toBe(
      `Bearer ${TOKEN}`,
    );
    // the CLI re-serialises the pact (its own metadata), so the interactions are what must arrive intact
    const held = broker.pacts.get(`${consumer}|${pacticipants.betterprompt.provider}|1.2.3`) as
      | { interactions: unknown[] }
      | undefined;
    expect(held?.interactions).toEqual(
      (JSON.parse(readFileSync(committedPact('betterprompt'), 'utf8')) as { interactions: unknown[] }).interactions,
    );
    expect(out[0]?.message).not.toContain(TOKEN);
  }, 60_000);

  it('can-i-deploy says no while the pact is unverified', async () => {
    const r = await canIDeploy(settings(), consumer, '1.2.3', 'production');
    expect(r.ok, r.output).toBe(false);
  }, 60_000);

  it('the Verifier publishes the results of a complete verification of a configured target', async () => {
    const r = await verifyPact(
      'betterprompt',
      { kind: 'configured', baseUrl: provider.url, apiKey: KEY },
      { broker: settings() },
    );
    expect(r.counts, JSON.stringify(r.outcomes)).toMatchObject({ fail: 0, skip: 0 });
    expect(r.publication).toBe('published for provider version staging-42');
    expect(broker.verifications).toEqual([
      expect.objectContaining({ consumer, consumerVersion: '1.2.3', providerVersion: 'staging-42', success: true }),
    ]);
  }, 60_000);

  it('record-deployment puts the provider version in staging; can-i-deploy --to-environment staging then says yes', async () => {
    const provider = pacticipants.betterprompt.provider;
    const r = await recordDeployment(settings(), provider, 'staging-42', 'staging');
    expect(r.ok, r.output).toBe(true);
    expect(broker.deployments).toEqual([{ pacticipant: provider, version: 'staging-42', environment: 'staging' }]);
    const yes = await canIDeploy(settings(), consumer, '1.2.3', 'staging');
    expect(yes.ok, yes.output).toBe(true);
    // a newer, unverified provider deployed to staging: the client's pact is not verified against what runs there
    expect((await recordDeployment(settings(), provider, 'staging-43', 'staging')).ok).toBe(true);
    const no = await canIDeploy(settings(), consumer, '1.2.3', 'staging');
    expect(no.ok, no.output).toBe(false);
    expect((await recordDeployment(settings(), provider, 'staging-42', 'staging')).ok).toBe(true);
  }, 60_000);

  it('can-i-deploy then says yes, and record-release reaches the broker', async () => {
    const r = await canIDeploy(settings(), consumer, '1.2.3', 'production');
    expect(r.ok, r.output).toBe(true);
    const rel = await recordRelease(settings(), consumer, '1.2.3', 'production');
    expect(rel.ok, rel.output).toBe(true);
    expect(broker.releases).toEqual([{ pacticipant: consumer, version: '1.2.3', environment: 'production' }]);
  }, 60_000);

  it('a wrong token is refused, and the output does not echo it', async () => {
    const [out] = await publishPacts(settings({ PACT_BROKER_TOKEN: 'wrong-token-8c1d' }), [committedPact('runtype')]);
    expect(out?.ok).toBe(false);
    expect(out?.message).not.toContain('wrong-token-8c1d');
  }, 60_000);
});

describe('npm run broker:local', () => {
  it('reads --port, refuses a bad one, and serves the stand-in broker until SIGTERM', async () => {
    expect(brokerPort([])).toBe(9292);
    expect(brokerPort(['--port', '0'])).toBe(0);
    expect(() => brokerPort(['--port', 'x'])).toThrow(/--port must be a port number/);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/pact/broker-local.ts', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((done) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /at (http:\/\/localhost:\d+)/.exec(out);
        if (m?.[1]) done(m[1]);
      }),
    );
    const index = (await (await fetch(url)).json()) as { _links: Record<string, unknown> };
    expect(Object.keys(index._links)).toContain('pb:publish-contracts');
    child.kill('SIGTERM');
    expect(await new Promise((done) => child.on('close', done))).toBe(0);
    expect(out).toMatch(/received 0 pact\(s\)/);
  }, 30_000);
});

describe('pact broker CLI with basic auth', () => {
  it('publishes with username and password, refuses a wrong password without echoing it', async () => {
    const broker = await startStandInBroker({ basic: { username: 'ci', password: 'pw-3b9e77' } });
    try {
      const env = (password: string) =>
        readBroker({
          PACT_BROKER_BASE_URL: broker.url,
          PACT_BROKER_USERNAME: 'ci',
          PACT_BROKER_PASSWORD: password,
          PACT_CONSUMER_VERSION: '2.0.0',
        });
      const [good] = await publishPacts(env('pw-3b9e77') ?? { baseUrl: '' }, [committedPact('runtype')]);
      expect(good?.ok, good?.message).toBe(true);
      expect(broker.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('ci:pw-3b9e77').toString('base64')}`);
      const [bad] = await publishPacts(env('wrong-pw-0000') ?? { baseUrl: '' }, [committedPact('runtype')]);
      expect(bad?.ok).toBe(false);
      expect(bad?.message).not.toContain('wrong-pw-0000');
    } finally {
      await broker.close();
    }
  }, 60_000);
});
