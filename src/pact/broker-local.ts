/**
 * `npm run broker:local [-- --port 9292]`: the stand-in broker (src/pact/stand-in-broker.ts) in the foreground,
 * for a trial of the gate's broker path without a real Pact Broker. It holds everything in memory; Ctrl-C ends it.
 */
import { ConfigError } from '../shared/errors';
import { runMain } from '../shared/main';
import { startStandInBroker } from './stand-in-broker';

/** `--port N` (default 9292, the Pact Broker's usual port); 0 picks a free one. */
export function brokerPort(argv: readonly string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return 9292;
  const raw = argv[i + 1] ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65_535)
    throw new ConfigError(`--port must be a port number (got "${raw}"); e.g. --port 9292`);
  return n;
}

async function main(): Promise<number> {
  const broker = await startStandInBroker({}, brokerPort(process.argv.slice(2)));
  console.log(`stand-in Pact Broker at ${broker.url} (in memory; Ctrl-C stops it)`);
  console.log(`in another shell: PACT_BROKER_BASE_URL=${broker.url} CLIENT_VERSION=0.1.0 npm run gate`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(
    `received ${broker.pacts.size} pact(s), ${broker.verifications.length} verification result(s), ${broker.deployments.length} deployment(s), ${broker.releases.length} release(s)`,
  );
  await broker.close();
  return 0;
}

if (process.argv[1]?.endsWith('broker-local.ts')) runMain(main);
