/** Broker publishing, against a stand-in broker on 127.0.0.1 (the gate never needs a real one offline). */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../shared/errors';
import { brokerPactUrl, publishPacts, readBroker } from './broker';
import { committedPact } from './names';

describe('Pact Broker publishing', () => {
  const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(status, { 'Content-Type': 'application/hal+json' }).end(JSON.stringify(status === 200 ? { notices: [{ text: 'Created pact' }] } : { error: 'token broker-token-123 rejected' }));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('is off unless PACT_BROKER_BASE_URL is set', () => {
    expect(readBroker({})).toBeUndefined();
    expect(() => readBroker({ PACT_BROKER_BASE_URL: 'not a url' })).toThrow(ConfigError);
  });

  it('needs a consumer version to publish', async () => {
    await expect(publishPacts({ baseUrl: url }, [committedPact('betterprompt')])).rejects.toThrow(/PACT_CONSUMER_VERSION/);
  });

  it('POSTs each pact to /contracts/publish with the version, branch and token', async () => {
    const broker = readBroker({ PACT_BROKER_BASE_URL: `${url}/`, PACT_BROKER_TOKEN: 'broker-token-123', PACT_CONSUMER_VERSION: '1.2.3', PACT_CONSUMER_BRANCH: 'main' });
    if (!broker) throw new Error('broker not read');
    const out = await publishPacts(broker, [committedPact('betterprompt')]);
    expect(out).toEqual([{ file: committedPact('betterprompt'), ok: true, message: 'Created pact' }]);
    const req = received.at(-1);
    expect(req).toMatchObject({ method: 'POST', url: '/contracts/publish' });
    expect(req?.headers.authorization).toBe('Bearer broker-token-123');
    const body = JSON.parse(req?.body ?? '{}') as { pacticipantName: string; pacticipantVersionNumber: string; branch: string; contracts: { content: string; providerName: string }[] };
    expect(body).toMatchObject({ pacticipantName: 'betterprompt-client', pacticipantVersionNumber: '1.2.3', branch: 'main' });
    expect(body.contracts[0]?.providerName).toBe('betterprompt-api');
    expect(Buffer.from(body.contracts[0]?.content ?? '', 'base64').toString()).toBe(readFileSync(committedPact('betterprompt'), 'utf8'));
  });

  it('reports a refusal without echoing the token', async () => {
    status = 401;
    const broker = readBroker({ PACT_BROKER_BASE_URL: url, PACT_BROKER_TOKEN: 'broker-token-123', PACT_CONSUMER_VERSION: '1.2.3' });
    const [out] = await publishPacts(broker ?? { baseUrl: url }, [committedPact('runtype')]);
    status = 200;
    expect(out?.ok).toBe(false);
    expect(out?.message).toMatch(/401/);
    expect(out?.message).not.toContain('broker-token-123');
  });

  it('verifies a published version from its broker URL', () => {
    expect(brokerPactUrl('https://broker.test', { consumer: 'runtype-client', provider: 'runtype-api' }, '1.2.3+b')).toBe('https://broker.test/pacts/provider/runtype-api/consumer/runtype-client/version/1.2.3%2Bb');
  });
});
