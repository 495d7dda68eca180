/**
 * Pact Broker support, used only when PACT_BROKER_BASE_URL is set. Consumer pacts are published with the
 * broker's own "publish contracts" endpoint (POST /contracts/publish, what the pact-broker CLI calls):
 * pact-js 16 ships no publisher and the CLI is a separate binary. Verification results are published by
 * the pact-js Verifier itself.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../shared/errors';
import { redactText, registerSecret } from '../shared/redact';
import { readPact } from './pact-file';

export interface BrokerVerification {
  baseUrl: string;
  token?: string;
  username?: string;
  password?: string;
  /** Version of the client whose pacts are published and verified. */
  consumerVersion?: string;
  consumerBranch?: string;
  /** Version recorded for the verified target; results are not published without it. */
  providerVersion?: string;
  providerBranch?: string;
  buildUrl?: string;
}

type Env = Record<string, string | undefined>;

/** The broker settings, or `undefined` when PACT_BROKER_BASE_URL is unset (the offline default). */
export function readBroker(env: Env): BrokerVerification | undefined {
  const baseUrl = env.PACT_BROKER_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`PACT_BROKER_BASE_URL is not a valid URL ("${baseUrl}"); fix it, or unset it to run the gate offline`);
  }
  const pick = (name: string): Partial<Record<string, string>> => {
    const v = env[name]?.trim();
    return v ? { [name]: v } : {};
  };
  const v = { ...pick('PACT_BROKER_TOKEN'), ...pick('PACT_BROKER_USERNAME'), ...pick('PACT_BROKER_PASSWORD'), ...pick('PACT_CONSUMER_VERSION'), ...pick('PACT_CONSUMER_BRANCH'), ...pick('PACT_PROVIDER_VERSION'), ...pick('PACT_PROVIDER_BRANCH'), ...pick('PACT_BUILD_URL') };
  registerSecret(v.PACT_BROKER_TOKEN);
  registerSecret(v.PACT_BROKER_PASSWORD);
  const out: BrokerVerification = { baseUrl: baseUrl.replace(/\/+$/, '') };
  if (v.PACT_BROKER_TOKEN) out.token = v.PACT_BROKER_TOKEN;
  if (v.PACT_BROKER_USERNAME) out.username = v.PACT_BROKER_USERNAME;
  if (v.PACT_BROKER_PASSWORD) out.password = v.PACT_BROKER_PASSWORD;
  if (v.PACT_CONSUMER_VERSION) out.consumerVersion = v.PACT_CONSUMER_VERSION;
  if (v.PACT_CONSUMER_BRANCH) out.consumerBranch = v.PACT_CONSUMER_BRANCH;
  if (v.PACT_PROVIDER_VERSION) out.providerVersion = v.PACT_PROVIDER_VERSION;
  if (v.PACT_PROVIDER_BRANCH) out.providerBranch = v.PACT_PROVIDER_BRANCH;
  if (v.PACT_BUILD_URL) out.buildUrl = v.PACT_BUILD_URL;
  return out;
}

/** The broker's URL of one pact version, which the Verifier fetches (with links, so it can publish results). */
export function brokerPactUrl(baseUrl: string, p: { consumer: string; provider: string }, consumerVersion: string): string {
  const e = encodeURIComponent;
  return `${baseUrl}/pacts/provider/${e(p.provider)}/consumer/${e(p.consumer)}/version/${e(consumerVersion)}`;
}

export interface PublishOutcome {
  file: string;
  ok: boolean;
  /** The broker's notices, or the error. Redacted. */
  message: string;
}

/** Publishes each pact file for `consumerVersion`; one POST per file, nothing else is sent. */
export async function publishPacts(broker: BrokerVerification, files: readonly string[], fetchFn: typeof fetch = fetch): Promise<PublishOutcome[]> {
  if (!broker.consumerVersion) throw new ConfigError('PACT_BROKER_BASE_URL is set but PACT_CONSUMER_VERSION is not; set it to the client version (e.g. the commit SHA), or unset the broker URL');
  const out: PublishOutcome[] = [];
  for (const file of files) {
    const pact = readPact(file);
    const body = {
      pacticipantName: pact.consumer.name,
      pacticipantVersionNumber: broker.consumerVersion,
      ...(broker.consumerBranch ? { branch: broker.consumerBranch } : {}),
      ...(broker.buildUrl ? { buildUrl: broker.buildUrl } : {}),
      contracts: [
        {
          consumerName: pact.consumer.name,
          providerName: pact.provider.name,
          specification: 'pact',
          contentType: 'application/json',
          content: readFileSync(file).toString('base64'),
        },
      ],
    };
    try {
      const res = await fetchFn(`${broker.baseUrl}/contracts/publish`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json, application/json', ...authHeader(broker) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      out.push({ file, ok: res.ok, message: redactText(res.ok ? notices(text) : `broker answered ${res.status}: ${text.slice(0, 300)}`) });
    } catch (e) {
      out.push({ file, ok: false, message: redactText(`broker unreachable: ${e instanceof Error ? e.message : String(e)}`) });
    }
  }
  return out;
}

function authHeader(b: BrokerVerification): Record<string, string> {
  if (b.token) return { Authorization: `Bearer ${b.token}` };
  if (b.username) return { Authorization: `Basic ${Buffer.from(`${b.username}:${b.password ?? ''}`).toString('base64')}` };
  return {};
}

function notices(text: string): string {
  try {
    const j = JSON.parse(text) as { notices?: { text?: string }[] };
    const lines = (j.notices ?? []).map((n) => n.text ?? '').filter(Boolean);
    return lines.length ? lines.join(' / ') : 'published';
  } catch {
    return 'published';
  }
}
