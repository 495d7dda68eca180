/**
 * A Pact Broker stand-in on 127.0.0.1 that speaks enough of the broker's HTTP API for the official
 * `pact broker` CLI (publish, can-i-deploy, record-deployment, record-release) and the pact-js Verifier (fetch a
 * pact, publish verification results). It keeps what it received, so tests can assert the round trip;
 * `npm run broker:local` (src/pact/broker-local.ts) runs it for a trial of the gate.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../shared/errors';

export interface StandInBrokerOptions {
  /** Accept only this bearer token. */
  token?: string;
  /** Accept only this basic-auth pair. */
  basic?: { username: string; password: string };
}

export interface BrokerRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface StandInBroker {
  /** With `localhost`, not 127.0.0.1: the broker CLI drops the port of an IP-literal base URL. */
  url: string;
  requests: BrokerRequest[];
  /** Pact JSON by `consumer|provider|consumerVersion`. */
  pacts: Map<string, unknown>;
  verifications: {
    consumer: string;
    provider: string;
    consumerVersion: string;
    providerVersion: string | undefined;
    success: boolean;
  }[];
  releases: { pacticipant: string; version: string; environment: string }[];
  /** `record-deployment`: the provider version now running in an environment (the last one replaces the rest). */
  deployments: { pacticipant: string; version: string; environment: string }[];
  close: () => Promise<void>;
}

const ENVIRONMENTS = ['staging', 'production'];

export async function startStandInBroker(opts: StandInBrokerOptions = {}, port = 0): Promise<StandInBroker> {
  const state: Omit<StandInBroker, 'url' | 'close'> = {
    requests: [],
    pacts: new Map(),
    verifications: [],
    releases: [],
    deployments: [],
  };
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      state.requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      if (!authorised(req, opts)) return send(res, 401, { error: 'unauthorised' });
      try {
        const [status, answer] = route(req, body);
        send(res, status, answer);
      } catch (e) {
        send(res, 500, { error: String(e) });
      }
    });
  });
  const ok = (body: unknown): [number, unknown] => [200, body];
  const route = (req: IncomingMessage, body: string): [number, unknown] => {
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (method === 'GET' && parts.length === 0)
      return ok({
        _links: {
          'pb:publish-contracts': { href: `${base}/contracts/publish` },
          'pb:environments': { href: `${base}/environments` },
          'pb:pacticipant-version': { href: `${base}/pacticipants/{pacticipant}/versions/{version}`, templated: true },
        },
      });
    if (method === 'POST' && url.pathname === '/contracts/publish') {
      const j = JSON.parse(body) as {
        pacticipantName: string;
        pacticipantVersionNumber: string;
        contracts: { consumerName: string; providerName: string; content: string }[];
      };
      for (const c of j.contracts)
        state.pacts.set(
          key(c.consumerName, c.providerName, j.pacticipantVersionNumber),
          JSON.parse(Buffer.from(c.content, 'base64').toString('utf8')),
        );
      return ok({
        notices: j.contracts.map((c) => ({
          type: 'success',
          text: `Created pact for ${c.consumerName} version ${j.pacticipantVersionNumber} and provider ${c.providerName}`,
        })),
        _links: {},
      });
    }
    // /pacts/provider/P/consumer/C/version/V (GET) and …/verification-results (POST)
    if (parts[0] === 'pacts' && parts[1] === 'provider' && parts[3] === 'consumer' && parts[5] === 'version') {
      const [provider, consumer, version] = [parts[2] ?? '', parts[4] ?? '', parts[6] ?? ''];
      const pact = state.pacts.get(key(consumer, provider, version));
      if (!pact) return [404, { error: 'no such pact' }];
      if (method === 'GET') {
        const self = `${base}/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/version/${encodeURIComponent(version)}`;
        return ok({
          ...(pact as object),
          _links: { self: { href: self }, 'pb:publish-verification-results': { href: `${self}/verification-results` } },
        });
      }
      if (method === 'POST' && parts[7] === 'verification-results') {
        const j = JSON.parse(body) as { success: boolean; providerApplicationVersion?: string };
        state.verifications.push({
          consumer,
          provider,
          consumerVersion: version,
          providerVersion: j.providerApplicationVersion,
          success: j.success,
        });
        return ok({ success: j.success, _links: {} });
      }
    }
    if (method === 'GET' && url.pathname === '/matrix') return ok(matrix(url));
    if (method === 'GET' && url.pathname === '/environments')
      return ok({
        _embedded: {
          environments: ENVIRONMENTS.map((name) => ({
            uuid: `env-${name}`,
            name,
            displayName: name,
            production: name === 'production',
            _links: { self: { href: `${base}/environments/env-${name}` } },
          })),
        },
        _links: {},
      });
    // /pacticipants/P/versions/V (GET), …/released-versions/environment/E (POST)
    if (parts[0] === 'pacticipants' && parts[2] === 'versions') {
      const [pacticipant, version] = [parts[1] ?? '', parts[3] ?? ''];
      const self = `${base}/pacticipants/${encodeURIComponent(pacticipant)}/versions/${encodeURIComponent(version)}`;
      if (method === 'GET' && parts.length === 4)
        return ok({
          number: version,
          _links: {
            self: { href: self },
            'pb:record-release': ENVIRONMENTS.map((name) => ({
              name,
              href: `${self}/released-versions/environment/env-${name}`,
            })),
            'pb:record-deployment': ENVIRONMENTS.map((name) => ({
              name,
              href: `${self}/deployed-versions/environment/env-${name}`,
            })),
          },
        });
      if (method === 'POST' && parts[4] === 'released-versions') {
        const environment = (parts[6] ?? '').replace(/^env-/, '');
        state.releases.push({ pacticipant, version, environment });
        return ok({ _embedded: { version: { number: version }, environment: { name: environment } }, _links: {} });
      }
      if (method === 'POST' && parts[4] === 'deployed-versions') {
        const environment = (parts[6] ?? '').replace(/^env-/, '');
        state.deployments.push({ pacticipant, version, environment });
        return ok({ _embedded: { version: { number: version }, environment: { name: environment } }, _links: {} });
      }
    }
    return [404, { error: `no route for ${method} ${url.pathname}` }];
  };
  const matrix = (url: URL) => {
    const pacticipant = url.searchParams.get('q[][pacticipant]') ?? '';
    const version = url.searchParams.get('q[][version]') ?? '';
    const environment = url.searchParams.get('environment') ?? undefined;
    const rows = [...state.pacts.keys()]
      .map((k) => k.split('|') as [string, string, string])
      .filter(([c, , v]) => c === pacticipant && v === version)
      .map(([consumer, provider]) => {
        const deployed = deployedIn(provider, environment);
        const v = state.verifications
          .filter((x) => x.consumer === consumer && x.provider === provider && x.consumerVersion === version)
          // --to-environment: only the provider version deployed there counts, once one has been recorded
          .filter((x) => deployed === undefined || x.providerVersion === deployed)
          .at(-1);
        return {
          consumer: { name: consumer, version: { number: version } },
          provider: { name: provider, version: v?.providerVersion ? { number: v.providerVersion } : null },
          pact: { createdAt: new Date(0).toISOString() },
          verificationResult: v
            ? {
                success: v.success,
                verifiedAt: new Date(0).toISOString(),
                _links: { self: { href: `${base}/verification` } },
              }
            : null,
        };
      });
    const success = rows.filter((r) => r.verificationResult?.success === true).length;
    const failed = rows.filter((r) => r.verificationResult?.success === false).length;
    const unknown = rows.length - success - failed;
    const deployable = rows.length > 0 && failed === 0 && unknown === 0;
    const reason = deployable
      ? 'All required verification results are published and successful'
      : unknown
        ? 'There is no verified pact between the versions'
        : 'One or more verifications have failed';
    return {
      summary: { deployable, reason, success, failed, unknown },
      notices: [{ type: deployable ? 'success' : 'warning', text: reason }],
      matrix: rows,
    };
  };
  // a simplification: with no deployment of the provider recorded in the environment, any verification counts
  const deployedIn = (provider: string, environment: string | undefined) =>
    environment === undefined
      ? undefined
      : state.deployments.filter((d) => d.pacticipant === provider && d.environment === environment).at(-1)?.version;
  await new Promise<void>((done, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(new ConfigError(`cannot listen on 127.0.0.1:${port} (${e.code ?? e.message}); choose another --port`)),
    );
    server.listen(port, '127.0.0.1', done);
  });
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { ...state, url: base, close: () => new Promise((r) => server.close(() => r())) };
}

function key(consumer: string, provider: string, version: string): string {
  return `${consumer}|${provider}|${version}`;
}

function authorised(req: IncomingMessage, opts: StandInBrokerOptions): boolean {
  const got = req.headers.authorization;
  if (opts.token) return got === `Bearer ${opts.token}`;
  if (opts.basic)
    return got === `Basic ${Buffer.from(`${opts.basic.username}:${opts.basic.password}`).toString('base64')}`;
  return true;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/hal+json' }).end(JSON.stringify(body));
}
