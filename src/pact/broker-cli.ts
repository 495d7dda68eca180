/**
 * The official Pact Broker CLI (`pact broker …` from `@pact-foundation/pact-cli`, a static binary shipped in
 * a platform package on npm, so it installs offline from the registry cache) for publishing pacts,
 * `can-i-deploy`, `record-deployment` and `record-release`. Credentials reach it through its environment, never
 * its argv. The settings type lives here, not in broker.ts, so the two modules import one way only.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError } from '../shared/errors';
import { redactText } from '../shared/redact';

/** Broker settings as read by `readBroker` (src/pact/broker.ts). */
export interface BrokerVerification {
  baseUrl: string;
  token?: string;
  username?: string;
  password?: string;
  /** Version of the client whose pacts are published and verified (PACT_CONSUMER_VERSION, else CLIENT_VERSION). */
  consumerVersion?: string;
  consumerBranch?: string;
  /** Version of the provider deployed on the verified target; results are not published without it. */
  providerVersion?: string;
  providerBranch?: string;
  /**
   * Where the verified target is deployed (PACT_PROVIDER_ENVIRONMENT), for `record-deployment`.
   * @defaultValue 'staging'
   */
  providerEnvironment?: string;
  buildUrl?: string;
  /** Where the client is released: `can-i-deploy --to-environment` and `record-release` (PACT_BROKER_ENVIRONMENT). */
  environment?: string;
}

export interface CliResult {
  ok: boolean;
  code: number | null;
  /** stdout and stderr, ANSI stripped and redacted. */
  output: string;
}

const require = createRequire(import.meta.url);

/** The `pact` binary of this platform's `@pact-foundation/pact-cli-<os>-<arch>` package. */
export function pactBinary(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@pact-foundation/pact-cli-${os}-${process.arch}`;
  try {
    return join(
      dirname(require.resolve(`${name}/package.json`)),
      'standalone',
      process.platform === 'win32' ? 'pact.exe' : 'pact',
    );
  } catch {
    throw new ConfigError(
      `the Pact Broker CLI for ${os}-${process.arch} (${name}) is not installed; run npm ci, or unset PACT_BROKER_BASE_URL to run the gate offline`,
    );
  }
}

/**
 * The CLI drops the port of an IP-literal base URL (it connects to :80), so a loopback broker is addressed
 * by name. Other URLs pass unchanged.
 */
export function cliBaseUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.hostname === '127.0.0.1') u.hostname = 'localhost';
  return u.href.replace(/\/+$/, '');
}

/** Runs `pact broker <args>` against the configured broker; the exit code decides `ok`. */
export function brokerCli(
  broker: BrokerVerification,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PACT_BROKER_BASE_URL: cliBaseUrl(broker.baseUrl),
    // a down broker fails in seconds, not after the CLI's default eight retries
    PACT_BROKER_HTTP_RETRIES: '2',
    NO_COLOR: '1',
    ...(broker.token ? { PACT_BROKER_TOKEN: broker.token } : {}),
    ...(broker.username ? { PACT_BROKER_USERNAME: broker.username, PACT_BROKER_PASSWORD: broker.password ?? '' } : {}),
  };
  return new Promise((done) => {
    const child = spawn(pactBinary(), ['broker', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    const finish = (code: number | null, extra = '') => {
      clearTimeout(timer);
      const output = redactText(`${out}${extra}`.replace(ansi, '').trim());
      done({ ok: code === 0, code, output });
    };
    child.on('error', (e) => finish(null, `\n${e.message}`));
    child.on('close', (code) => finish(code));
  });
}

/** Publishes one pact file for the consumer version (and branch, build URL when set). */
export function publishPact(broker: BrokerVerification, file: string): Promise<CliResult> {
  if (!broker.consumerVersion)
    throw new ConfigError(
      'PACT_BROKER_BASE_URL is set but neither CLIENT_VERSION nor PACT_CONSUMER_VERSION is; set CLIENT_VERSION to the client version (e.g. the tag), or unset the broker URL',
    );
  return brokerCli(broker, [
    'publish',
    file,
    '--consumer-app-version',
    broker.consumerVersion,
    ...(broker.consumerBranch ? ['--branch', broker.consumerBranch] : []),
    ...(broker.buildUrl ? ['--build-url', broker.buildUrl] : []),
  ]);
}

/** `can-i-deploy` of a pacticipant version to an environment: ok only when the broker says deployable. */
export function canIDeploy(
  broker: BrokerVerification,
  pacticipant: string,
  version: string,
  environment: string,
): Promise<CliResult> {
  return brokerCli(broker, [
    'can-i-deploy',
    '--pacticipant',
    pacticipant,
    '--version',
    version,
    '--to-environment',
    environment,
  ]);
}

/**
 * Records that a pacticipant version is deployed in an environment: for a service (the provider on staging),
 * where one version replaces the last. Pact's docs keep `record-release` for libraries and mobile apps.
 */
export function recordDeployment(
  broker: BrokerVerification,
  pacticipant: string,
  version: string,
  environment: string,
): Promise<CliResult> {
  return brokerCli(broker, [
    'record-deployment',
    '--pacticipant',
    pacticipant,
    '--version',
    version,
    '--environment',
    environment,
  ]);
}

/** Records that a pacticipant version was released to an environment: for the client library, where releases coexist. */
export function recordRelease(
  broker: BrokerVerification,
  pacticipant: string,
  version: string,
  environment: string,
): Promise<CliResult> {
  return brokerCli(broker, [
    'record-release',
    '--pacticipant',
    pacticipant,
    '--version',
    version,
    '--environment',
    environment,
  ]);
}
