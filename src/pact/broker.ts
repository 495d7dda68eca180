/**
 * Pact Broker support, used only when PACT_BROKER_BASE_URL is set (the offline default publishes nothing).
 * Pacts are published, `can-i-deploy` asked and deployments and releases recorded with the official `pact broker` CLI
 * (src/pact/broker-cli.ts); verification results are published by the pact-js Verifier itself.
 */
import { ConfigError } from '../shared/errors';
import { registerSecret } from '../shared/redact';
import { type BrokerVerification, publishPact } from './broker-cli';

export type { BrokerVerification } from './broker-cli';

type Env = Record<string, string | undefined>;

/**
 * The broker settings, or `undefined` when PACT_BROKER_BASE_URL is unset (the offline default). One version
 * is enough: CLIENT_VERSION stands for PACT_CONSUMER_VERSION when that is unset.
 */
export function readBroker(env: Env): BrokerVerification | undefined {
  const baseUrl = env.PACT_BROKER_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(
      `PACT_BROKER_BASE_URL is not a valid URL ("${baseUrl}"); fix it, or unset it to run the gate offline`,
    );
  }
  const pick = (name: string): Partial<Record<string, string>> => {
    const v = env[name]?.trim();
    return v ? { [name]: v } : {};
  };
  const v = {
    ...pick('PACT_BROKER_TOKEN'),
    ...pick('PACT_BROKER_USERNAME'),
    ...pick('PACT_BROKER_PASSWORD'),
    ...pick('PACT_CONSUMER_VERSION'),
    ...pick('PACT_CONSUMER_BRANCH'),
    ...pick('PACT_PROVIDER_VERSION'),
    ...pick('PACT_PROVIDER_BRANCH'),
    ...pick('PACT_PROVIDER_ENVIRONMENT'),
    ...pick('CLIENT_VERSION'),
    ...pick('PACT_BUILD_URL'),
    ...pick('PACT_BROKER_ENVIRONMENT'),
  };
  registerSecret(v.PACT_BROKER_TOKEN);
  registerSecret(v.PACT_BROKER_PASSWORD);
  const out: BrokerVerification = { baseUrl: baseUrl.replace(/\/+$/, '') };
  if (v.PACT_BROKER_TOKEN) out.token = v.PACT_BROKER_TOKEN;
  if (v.PACT_BROKER_USERNAME) out.username = v.PACT_BROKER_USERNAME;
  if (v.PACT_BROKER_PASSWORD) out.password = v.PACT_BROKER_PASSWORD;
  const consumerVersion = v.PACT_CONSUMER_VERSION ?? v.CLIENT_VERSION;
  if (consumerVersion) out.consumerVersion = consumerVersion;
  if (v.PACT_CONSUMER_BRANCH) out.consumerBranch = v.PACT_CONSUMER_BRANCH;
  if (v.PACT_PROVIDER_VERSION) out.providerVersion = v.PACT_PROVIDER_VERSION;
  if (v.PACT_PROVIDER_BRANCH) out.providerBranch = v.PACT_PROVIDER_BRANCH;
  if (v.PACT_PROVIDER_VERSION) out.providerEnvironment = v.PACT_PROVIDER_ENVIRONMENT ?? 'staging';
  if (v.PACT_BUILD_URL) out.buildUrl = v.PACT_BUILD_URL;
  if (v.PACT_BROKER_ENVIRONMENT) out.environment = v.PACT_BROKER_ENVIRONMENT;
  if (out.password && !out.username)
    throw new ConfigError(
      'PACT_BROKER_PASSWORD is set but PACT_BROKER_USERNAME is not; set both for basic auth, or use PACT_BROKER_TOKEN',
    );
  if (v.PACT_CONSUMER_VERSION && v.CLIENT_VERSION && v.PACT_CONSUMER_VERSION !== v.CLIENT_VERSION)
    throw new ConfigError(
      `CLIENT_VERSION (${v.CLIENT_VERSION}) and PACT_CONSUMER_VERSION (${v.PACT_CONSUMER_VERSION}) differ; set CLIENT_VERSION alone`,
    );
  return out;
}

/** The broker's URL of one pact version, which the Verifier fetches (with links, so it can publish results). */
export function brokerPactUrl(
  baseUrl: string,
  p: { consumer: string; provider: string },
  consumerVersion: string,
): string {
  const e = encodeURIComponent;
  return `${baseUrl}/pacts/provider/${e(p.provider)}/consumer/${e(p.consumer)}/version/${e(consumerVersion)}`;
}

export interface PublishOutcome {
  file: string;
  ok: boolean;
  /** The CLI's account (the broker's notices), or the error. Redacted. */
  message: string;
}

/** Publishes each pact file for `consumerVersion` with the official `pact broker publish`. */
export async function publishPacts(broker: BrokerVerification, files: readonly string[]): Promise<PublishOutcome[]> {
  const out: PublishOutcome[] = [];
  for (const file of files) {
    const r = await publishPact(broker, file);
    out.push({
      file,
      ok: r.ok,
      message:
        r.output
          .split('\n')
          .filter((l) => l.trim())
          .slice(-3)
          .join(' / ') || (r.ok ? 'published' : `pact broker publish exited ${r.code}`),
    });
  }
  return out;
}
