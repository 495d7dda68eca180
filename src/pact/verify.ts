/**
 * Provider verification: replays a pact with the pact-js Verifier against the embedded reference provider
 * (state handlers seed exactly the named data) or a configured target (states must hold by observation; a
 * state that cannot be established there makes its interactions *not verifiable* there, with the reason:
 * never skipped, never passed, never a failure of the target). Only GETs reach a configured target, and its
 * key is put on the request by the proxy's request filter, so the verifier itself never sees it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { ApiName } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { apiRoot, HttpClient } from '../shared/http';
import { redactText, registerSecret } from '../shared/redact';
import { openTarget } from '../runner/target';
import type { Handler } from '../shared/server';
import { type BrokerVerification, brokerPactUrl } from './broker';
import { committedPact, pacticipants } from './names';
import { interactionLabel, type PactFile, type PactInteraction, readPact, stateOf } from './pact-file';
import type { ContractProvider, StateParams } from './provider-states';
import { contractProviders } from './registry';

export type VerifyTarget =
  | { kind: 'embedded'; wrap?: (h: Handler) => Handler }
  | { kind: 'configured'; baseUrl: string; apiKey: string };

/**
 * `unverifiable`: the interaction's provider state cannot be established on the target (not a finding, not a
 * pass: it keeps a gate from passing until the baseline accepts it). `known`: a failure or an unverifiable
 * interaction the baseline accepts until its expiry.
 */
export type OutcomeStatus = 'pass' | 'fail' | 'skip' | 'unverifiable' | 'known';

export const OUTCOME_STATUSES: readonly OutcomeStatus[] = ['pass', 'fail', 'skip', 'unverifiable', 'known'];

export interface InteractionOutcome {
  description: string;
  state: string | undefined;
  status: OutcomeStatus;
  /** Mismatches of a failure, or the reason for a skip. */
  detail: string[];
}

export interface VerificationReport {
  api: ApiName;
  target: 'embedded' | 'configured';
  pactFile: string;
  outcomes: InteractionOutcome[];
  counts: Record<OutcomeStatus, number>;
  /** The verifier's own account, ANSI stripped and redacted. */
  output: string[];
  /** What happened to verification results on the broker, when one is configured. */
  publication?: string;
}

export interface VerifyOptions {
  /** @defaultValue the committed contracts/<consumer>-<provider>.json */
  pactFile?: string;
  /** Set (configured targets only) to fetch the pact from the broker and publish the result. */
  broker?: BrokerVerification;
}

const STATE_PATH = '/_pactSetup';

/** Verifies one API's pact against one target, in this process. */
export async function verifyPact(
  api: ApiName,
  target: VerifyTarget,
  opts: VerifyOptions = {},
): Promise<VerificationReport> {
  const provider = contractProviders[api];
  const pactFile = opts.pactFile ?? committedPact(api);
  const pact = readPact(pactFile);
  const plan = target.kind === 'embedded' ? planEmbedded(pact, provider) : await planConfigured(pact, provider, target);
  const runnable = pact.interactions.filter((i) => !plan.skipped.has(i) && !plan.unverifiable.has(i));
  const base: Omit<VerificationReport, 'outcomes' | 'counts' | 'output'> = { api, target: target.kind, pactFile };
  const unsent = (i: PactInteraction): InteractionOutcome | undefined => {
    const unverifiable = plan.unverifiable.get(i);
    if (unverifiable) return outcome(i, 'unverifiable', [unverifiable]);
    const skip = plan.skipped.get(i);
    return skip ? outcome(i, 'skip', [skip]) : undefined;
  };
  if (!runnable.length)
    return finish(
      base,
      pact.interactions.map((i) => unsent(i) ?? outcome(i, 'skip', ['skipped'])),
      [],
    );

  const scratch = mkdtempSync(join(tmpdir(), `verify-${api}-`));
  // the embedded provider has one account: the pact's interactions are one consumer's
  const opened = await openTarget(
    target.kind === 'configured' ? target : undefined,
    (keys) => provider.startEmbedded(keys.apiKey, target.kind === 'embedded' ? target.wrap : undefined),
    { secondAccount: false },
  );
  const { apiKey } = opened.target;
  registerSecret(apiKey);
  const embedded = opened.server;
  try {
    // a live run replays only the arrangeable interactions: the rest are listed as skipped, not sent
    let file = pactFile;
    if (runnable.length < pact.interactions.length) {
      file = join(scratch, 'filtered.json');
      writeFileSync(file, JSON.stringify({ ...pact, interactions: runnable }));
    }
    const stateErrors = new Map<string, string>();
    const stateHandlers = handlers(provider, embedded && { ...embedded, apiKey }, plan.params, stateErrors);
    const brokerOpts = brokerOptions(api, opts.broker, target, plan.skipped.size + plan.unverifiable.size);
    const options: VerifierOptions = {
      providerBaseUrl: providerBase(opened.target.baseUrl),
      pactUrls: [brokerOpts.pactUrl ?? file],
      stateHandlers,
      requestFilter: requestFilter(apiKey, target.kind === 'configured'),
      logLevel: 'error',
      ...brokerOpts.verifier,
    };
    const raw = await new Verifier(options).verifyProvider().then(
      (s) => s,
      (e: unknown) => errorMessage(e),
    );
    const result = parseResult(raw);
    const outcomes = pact.interactions.map((i) => {
      const notSent = unsent(i);
      if (notSent) return notSent;
      const stateError = stateErrors.get(stateOf(i) ?? '');
      if (stateError) return outcome(i, 'fail', [`provider state could not be arranged: ${stateError}`]);
      return judged(i, result);
    });
    return finish(
      { ...base, ...(brokerOpts.note ? { publication: brokerOpts.note } : {}) },
      outcomes,
      result?.output ?? [redactText(raw)],
    );
  } finally {
    await opened.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Plan {
  /** Never sent, by design (a non-GET to a live target). */
  skipped: Map<PactInteraction, string>;
  /** Not sent because their state cannot be established on the target: not verifiable there, with the reason. */
  unverifiable: Map<PactInteraction, string>;
  /** Params observed on a live target, by state. */
  params: Map<string, StateParams>;
}

function planEmbedded(pact: PactFile, provider: ContractProvider<unknown>): Plan {
  const skipped = new Map<PactInteraction, string>();
  for (const i of pact.interactions) {
    const s = stateOf(i);
    // a state the reference provider has no handler for would pass by accident: refuse it outright
    if (s !== undefined && !provider.states[s])
      throw new Error(
        `${pact.consumer.name} pact names the state "${s}" but src/pact has no handler for it; add one to the ${provider.api} states`,
      );
  }
  return { skipped, unverifiable: new Map(), params: new Map() };
}

async function planConfigured(
  pact: PactFile,
  provider: ContractProvider<unknown>,
  target: { baseUrl: string; apiKey: string },
): Promise<Plan> {
  const skipped = new Map<PactInteraction, string>();
  const unverifiable = new Map<PactInteraction, string>();
  const params = new Map<string, StateParams>();
  const reasons = new Map<string, string>();
  const http = observer(target.baseUrl, target.apiKey, true);
  for (const i of pact.interactions) {
    if (i.request.method.toUpperCase() !== 'GET') {
      skipped.set(i, `${i.request.method} is never sent to a configured target (GET only)`);
      continue;
    }
    const s = stateOf(i);
    if (s === undefined) continue;
    if (!params.has(s) && !reasons.has(s)) {
      const def = provider.states[s];
      if (!def) reasons.set(s, `no handler for the state "${s}"`);
      else if (!def.observe)
        reasons.set(
          s,
          `state "${s}" ${def.unarrangeable ?? 'cannot be arranged on a live target'}; the interaction cannot be verified there`,
        );
      else {
        const seen = await def
          .observe(http)
          .catch((e: unknown) => ({ holds: false as const, reason: redactText(errorMessage(e)) }));
        if (seen.holds) params.set(s, seen.params);
        // not a pass and not a skip: the gate cannot pass on it (a faulty target's hasMore fails its conformance
        // rule too), yet an account whose data cannot satisfy the state is not a failing provider
        else
          reasons.set(
            s,
            `provider state "${s}" cannot be established on the target: ${seen.reason}; not verifiable there (fix the account's data, or accept the interaction in the baseline's "interactions" with an expiry)`,
          );
      }
    }
    const why = reasons.get(s);
    if (why) unverifiable.set(i, why);
  }
  return { skipped, unverifiable, params };
}

/** One handler per state; embedded: seed, then hand over params. Failures are kept: pact-js would only log them. */
function handlers(
  provider: ContractProvider<unknown>,
  embedded: { url: string; apiKey: string; setData: (d: unknown) => void } | undefined,
  observed: Map<string, StateParams>,
  errors: Map<string, string>,
): NonNullable<VerifierOptions['stateHandlers']> {
  const out: NonNullable<VerifierOptions['stateHandlers']> = {
    // interactions without a state (the 401 and 4xx ones) need nothing arranged
    '': async () => undefined,
  };
  for (const [state, def] of Object.entries(provider.states)) {
    // a plain function is a setup handler (pact-js wraps it as { setup })
    out[state] = async (_params?: unknown) => {
      try {
        if (!embedded) return observed.get(state) ?? {};
        const data = def.seed();
        embedded.setData(data);
        if (def.seedParams) return def.seedParams(data);
        if (!def.observeOnEmbedded || !def.observe) return {};
        // without the params the verifier sends the pact's example value, and the interaction fails visibly
        const seen = await def.observe(observer(embedded.url, embedded.apiKey, false));
        return seen.holds ? seen.params : {};
      } catch (e) {
        errors.set(state, redactText(errorMessage(e)));
        throw e;
      }
    };
  }
  return out;
}

interface FilterRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}
interface FilterResponse {
  status: (code: number) => { json: (body: unknown) => void };
}

/** Swaps the pact's example bearer token for the real key; a request without one stays without (the 401 case). */
function requestFilter(apiKey: string, getOnly: boolean) {
  return (req: FilterRequest, res: FilterResponse, next: () => void): void => {
    if (req.path === STATE_PATH) {
      next();
      return;
    }
    if (getOnly && req.method !== 'GET') {
      res
        .status(405)
        .json({ error: `verification sends only GET to a configured target; refused ${req.method} ${req.path}` });
      return;
    }
    if (req.headers.authorization !== undefined) req.headers.authorization = `Bearer ${apiKey}`;
    next();
  };
}

/** The pact paths carry `/v1`, so the verifier's base is the API root without it. */
function providerBase(baseUrl: string): string {
  return apiRoot(baseUrl).replace(/\/v1$/, '');
}

/** A small HTTP client for observing states: GET only, redacted, polite. */
function observer(baseUrl: string, apiKey: string, live: boolean): HttpClient {
  return new HttpClient({
    root: apiRoot(baseUrl),
    apiKey,
    maxRequests: 20,
    rate: live ? 2 : undefined,
    timeoutMs: 10_000,
    deadline: Date.now() + 120_000,
    maxRetries: 2,
    backoffMs: 500,
    maxWaitMs: 10_000,
  });
}

function brokerOptions(
  api: ApiName,
  broker: BrokerVerification | undefined,
  target: VerifyTarget,
  skipped: number,
): { pactUrl?: string; verifier?: Partial<VerifierOptions>; note?: string } {
  if (!broker) return {};
  if (target.kind === 'embedded')
    return { note: 'not published: the embedded reference provider is not the real provider' };
  if (skipped)
    return {
      note: `not published: ${skipped} interaction(s) skipped or not verifiable, and a partial verification must not count as the provider's`,
    };
  if (!broker.providerVersion)
    return { note: 'not published: set PACT_PROVIDER_VERSION to publish verification results' };
  if (!broker.consumerVersion) return { note: 'not published: set PACT_CONSUMER_VERSION (the pact version to verify)' };
  return {
    pactUrl: brokerPactUrl(broker.baseUrl, pacticipants[api], broker.consumerVersion),
    verifier: {
      publishVerificationResult: true,
      providerVersion: broker.providerVersion,
      ...(broker.providerBranch ? { providerVersionBranch: broker.providerBranch } : {}),
      ...(broker.token ? { pactBrokerToken: broker.token } : {}),
      ...(broker.username ? { pactBrokerUsername: broker.username, pactBrokerPassword: broker.password ?? '' } : {}),
      ...(broker.buildUrl ? { buildUrl: broker.buildUrl } : {}),
    },
    note: `published for provider version ${broker.providerVersion}`,
  };
}

interface VerifierJson {
  result?: boolean;
  interactionResults?: { description: string; result: string }[];
  errors?: {
    interaction: string;
    mismatch?: { mismatches?: { mismatch?: string; path?: string }[]; message?: string; type?: string };
  }[];
  output: string[];
}

function parseResult(raw: string): VerifierJson | undefined {
  try {
    const j = JSON.parse(raw) as Partial<VerifierJson>;
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    return { ...j, output: (j.output ?? []).flatMap((l) => l.replace(ansi, '').split('\n')).map(redactText) };
  } catch {
    return undefined;
  }
}

function judged(i: PactInteraction, result: VerifierJson | undefined): InteractionOutcome {
  if (!result) return outcome(i, 'fail', ['the verifier did not run (see its output)']);
  const r = result.interactionResults?.find((x) => x.description === i.description);
  if (!r) return outcome(i, 'fail', ['the verifier reported nothing for this interaction']);
  if (r.result === 'OK') return outcome(i, 'pass', []);
  const suffix = `- ${i.description}`;
  const detail = (result.errors ?? [])
    .filter((e) => e.interaction.endsWith(suffix))
    .flatMap(
      (e) =>
        e.mismatch?.mismatches?.map((m) => `${m.path ? `${m.path} ` : ''}${m.mismatch ?? ''}`.trim()) ?? [
          e.mismatch?.message ?? 'failed',
        ],
    )
    .map(redactText);
  return outcome(i, 'fail', detail.length ? detail : [`verifier result: ${r.result}`]);
}

function outcome(i: PactInteraction, status: OutcomeStatus, detail: string[]): InteractionOutcome {
  return { description: i.description, state: stateOf(i), status, detail };
}

function finish(
  base: Omit<VerificationReport, 'outcomes' | 'counts' | 'output'>,
  outcomes: InteractionOutcome[],
  output: string[],
): VerificationReport {
  const counts = emptyCounts();
  for (const o of outcomes) counts[o.status]++;
  return { ...base, outcomes, counts, output };
}

export function emptyCounts(): Record<OutcomeStatus, number> {
  return { pass: 0, fail: 0, skip: 0, unverifiable: 0, known: 0 };
}

/** Counts from outcomes (after the baseline, which may turn some into `known`). */
export function countOutcomes(outcomes: readonly InteractionOutcome[]): Record<OutcomeStatus, number> {
  const counts = emptyCounts();
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** "2 passed, 0 failed, 1 skipped" and, when they occur, "1 not verifiable", "1 known". */
export function countsText(c: Record<OutcomeStatus, number>): string {
  return `${c.pass} passed, ${c.fail} failed, ${c.skip} skipped${c.unverifiable ? `, ${c.unverifiable} not verifiable` : ''}${c.known ? `, ${c.known} known` : ''}`;
}

const MARK: Record<OutcomeStatus, string> = { pass: '✓', fail: '✗', skip: '-', unverifiable: '?', known: '!' };
const PREFIX: Record<OutcomeStatus, string> = {
  pass: '',
  fail: '',
  skip: 'skipped: ',
  unverifiable: 'not verifiable: ',
  known: 'known: ',
};

/** Lines for a console: one per interaction, failures with their mismatches. */
export function reportLines(r: VerificationReport): string[] {
  const against = r.target === 'embedded' ? 'the embedded reference provider' : 'the configured target';
  const lines = [`${r.api} pact vs ${against}: ${countsText(r.counts)}`];
  for (const o of r.outcomes) {
    lines.push(`  ${MARK[o.status]} ${interactionLabel(o)}`);
    for (const d of o.detail) lines.push(`      ${PREFIX[o.status]}${d}`);
  }
  if (r.publication) lines.push(`  verification results: ${r.publication}`);
  return lines;
}
