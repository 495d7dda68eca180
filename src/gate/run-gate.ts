/**
 * The release gate's phases and verdict, run by `npm run gate` (scripts/gate.ts is its thin entry; that file
 * documents the options, exit codes and broker steps).
 */
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import {
  conformanceRows,
  type GateItem,
  type GateRow,
  gateJunit,
  markdown,
  summarise,
  table,
  verificationRows,
} from './gate';
import { checkBaseline, gateConformance } from './conformance';
import { CONTRACTS_DIR, committedPact, pacticipants } from '../pact/names';
import { publishPacts, readBroker } from '../pact/broker';
import { canIDeploy, recordDeployment, recordRelease } from '../pact/broker-cli';
import { verifyAll } from '../pact/verify-all';
import { writeReports } from '../reporters/index';
import type { ApiName } from '../shared/api';
import { loadEnvFile, readConfig } from '../runner/config';
import { ConfigError } from '../shared/errors';
import { interrupts } from '../shared/main';
import { redactText } from '../shared/redact';
import { VERDICT_EXIT } from '../shared/report';
import { baselinePath, loadInteractionBaseline } from '../shared/baseline';

const ROOT = join(CONTRACTS_DIR, '..');

interface Part {
  rows: GateRow[];
  failures: GateItem[];
  skipped: GateItem[];
  /** Neither passed nor failed: not verifiable, inconclusive, incomplete. */
  open?: GateItem[];
  notes?: string[];
}

/** One broker step (can-i-deploy, a record) per API: a row each, and a failure for each refused one. */
function brokerPart(
  pillar: 'can-i-deploy' | 'release record' | 'deployment record',
  apis: readonly ApiName[],
  answers: readonly { ok: boolean; output: string }[],
  env: string,
  version: string,
  detail: (output: string) => string,
): Part {
  return {
    rows: apis.map((api, k) => {
      const ok = answers[k]?.ok === true;
      return { pillar, api, target: env, pass: ok ? 1 : 0, fail: ok ? 0 : 1, skip: 0, known: 0 };
    }),
    failures: apis.flatMap((api, k) =>
      answers[k]?.ok
        ? []
        : [
            {
              pillar,
              api,
              target: env,
              item: `${pillar === 'deployment record' ? pacticipants[api].provider : pacticipants[api].consumer} ${version}`,
              detail: detail(answers[k]?.output ?? ''),
            },
          ],
    ),
    skipped: [],
  };
}

interface VitestJson {
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}

/** The consumer pact tests (typed clients vs the mock server, staleness) and the pact-file schema checks. */
async function consumerContracts(apis: readonly ApiName[]): Promise<Part> {
  const dir = mkdtempSync(join(tmpdir(), 'gate-'));
  const out = join(dir, 'vitest.json');
  try {
    console.log('\n== consumer contracts (typed clients against the Pact mock server)');
    // async, so a SIGINT/SIGTERM reaches this process's handlers while the tests run (the child gets its own)
    await new Promise<void>((done) => {
      const child = spawn(
        join(ROOT, 'node_modules', '.bin', 'vitest'),
        [
          'run',
          'consumer.pact',
          'src/pact/pact-files',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${out}`,
        ],
        { cwd: ROOT, stdio: 'inherit', env: process.env },
      );
      child.on('close', () => done());
      child.on('error', () => done());
    });
    const parts: Part = { rows: [], failures: [], skipped: [] };
    const json: VitestJson = existsSync(out)
      ? (JSON.parse(readFileSync(out, 'utf8')) as VitestJson)
      : { testResults: [] };
    for (const api of apis) {
      const row: GateRow = {
        pillar: 'consumer contracts',
        api,
        target: 'mock server',
        pass: 0,
        fail: 0,
        skip: 0,
        known: 0,
      };
      const files = json.testResults.filter(
        (f) => f.name.includes(`${sep}${api}${sep}`) || f.name.endsWith(`pact-files.test.ts`),
      );
      for (const f of files) {
        for (const t of f.assertionResults.filter(
          (a) => f.name.includes(`${sep}${api}${sep}`) || a.fullName.includes(api),
        )) {
          const item = {
            pillar: 'consumer contracts' as const,
            api,
            target: 'mock server',
            item: t.fullName,
            detail: (t.failureMessages ?? [])
              .join('\n')
              .split('\n')
              .filter((l) => !/^\s*at /.test(l))
              .slice(0, 8)
              .join('\n'),
          };
          if (t.status === 'passed') row.pass++;
          else if (t.status === 'failed') {
            row.fail++;
            parts.failures.push(item);
          } else {
            row.skip++;
            parts.skipped.push({ ...item, detail: 'skipped' });
          }
        }
      }
      parts.rows.push(row);
    }
    return parts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The gate, start to end: what `npm run gate` runs; returns the exit code. */
export async function runGate(argv: readonly string[]): Promise<number> {
  const started = new Date();
  loadEnvFile();
  const wantRelease = argv.includes('--record-release');
  // --require-targets is the CLI's too (readConfig refuses a missing target before anything runs): a release
  // gate that quietly checked the embedded providers would pass without ever seeing staging
  const config = readConfig(
    argv.filter((a) => a !== '--record-release'),
    process.env,
  );
  const apis = config.cli.apis;
  const broker = readBroker(process.env);
  // one version where one is meant: CLIENT_VERSION is also the pact's consumer version
  const clientVersion = process.env.CLIENT_VERSION?.trim() || broker?.consumerVersion;
  if (clientVersion) console.log(`release gate for client version ${clientVersion}`);
  if (broker && !broker.consumerVersion)
    throw new ConfigError(
      'PACT_BROKER_BASE_URL is set but CLIENT_VERSION is not; set it to the client version (e.g. the tag), or unset the broker URL',
    );
  if (wantRelease && !broker?.environment)
    throw new ConfigError(
      '--record-release needs PACT_BROKER_BASE_URL and PACT_BROKER_ENVIRONMENT; set both, or drop --record-release',
    );
  // a malformed baseline or an unwritable report dir is found now, not after minutes of checks
  const baseline = checkBaseline(config);
  try {
    mkdirSync(config.cli.reportDir, { recursive: true });
    accessSync(config.cli.reportDir, constants.W_OK);
  } catch (e) {
    throw new ConfigError(
      `cannot write reports to ${config.cli.reportDir} (${(e as { code?: string }).code ?? 'error'}); choose a writable --report-dir`,
    );
  }
  const stop = interrupts('the gate');
  const parts: Part[] = [await consumerContracts(apis)];
  const notRun: string[] = [];

  const consumerFailed = (parts[0]?.failures.length ?? 1) > 0;
  if (broker && consumerFailed) {
    // a pact the consumer tests did not reproduce must not reach the broker
    const reason = 'consumer contract tests failed; nothing published';
    parts.push({
      rows: apis.map((api) => ({
        pillar: 'pact publication',
        api,
        target: 'broker',
        pass: 0,
        fail: 0,
        skip: 1,
        known: 0,
      })),
      failures: [],
      skipped: apis.map((api) => ({
        pillar: 'pact publication',
        api,
        target: 'broker',
        item: committedPact(api),
        detail: reason,
      })),
    });
  } else if (broker) {
    console.log(`\n== publishing pacts to the broker ($PACT_BROKER_BASE_URL)`);
    const published = await publishPacts(broker, apis.map(committedPact));
    parts.push({
      rows: apis.map((api, k) => ({
        pillar: 'pact publication',
        api,
        target: 'broker',
        pass: published[k]?.ok ? 1 : 0,
        fail: published[k]?.ok ? 0 : 1,
        skip: 0,
        known: 0,
      })),
      failures: published.flatMap((p, k) =>
        p.ok
          ? []
          : [
              {
                pillar: 'pact publication' as const,
                api: apis[k] as ApiName,
                target: 'broker',
                item: p.file,
                detail: p.message,
              },
            ],
      ),
      skipped: [],
    });
  }

  if (stop.signal.aborted) notRun.push('provider verification');
  else {
    console.log('\n== provider verification (pact-js Verifier)');
    parts.push(
      verificationRows(
        await verifyAll({
          apis,
          targets: config.targets,
          broker,
          log: (l) => console.log(l),
          baseline: loadInteractionBaseline(baselinePath(config.cli.baseline)),
        }),
      ),
    );
  }

  if (stop.signal.aborted) notRun.push('conformance');
  else {
    console.log('\n== conformance');
    const report = await gateConformance(config, { signal: stop.signal, baseline });
    writeReports(report, config.cli.reportDir);
    parts.push(conformanceRows(report, apis));
  }
  // the staging deployment of the provider, so can-i-deploy --to-environment staging knows which version runs there
  const deployed = apis.filter((api) => config.targets[api]);
  if (broker?.providerVersion && broker.providerEnvironment && deployed.length && !stop.signal.aborted) {
    const env = broker.providerEnvironment;
    const version = broker.providerVersion;
    console.log(`\n== record-deployment of the provider to ${env}`);
    const recorded = await Promise.all(
      deployed.map((api) => recordDeployment(broker, pacticipants[api].provider, version, env)),
    );
    for (const r of recorded) console.log(r.output);
    parts.push(brokerPart('deployment record', deployed, recorded, env, version, (out) => out));
  }
  if (broker?.environment && broker.consumerVersion && !stop.signal.aborted) {
    const env = broker.environment;
    const version = broker.consumerVersion;
    console.log(`\n== can-i-deploy to ${env}`);
    const answers = await Promise.all(apis.map((api) => canIDeploy(broker, pacticipants[api].consumer, version, env)));
    for (const a of answers) console.log(a.output);
    parts.push(brokerPart('can-i-deploy', apis, answers, env, version, (out) => out.split('\n').slice(-6).join('\n')));
  }
  const stopped = stop.received();
  const interruption = stopped
    ? [
        `${stopped === 'SIGINT' ? 'interrupted' : 'terminated'} (${stopped})${notRun.length ? `: not run: ${notRun.join(', ')}` : ''}; the gate cannot pass`,
      ]
    : [];

  const summarised = summarise(
    started,
    parts.flatMap((p) => p.rows),
    parts.flatMap((p) => p.failures),
    parts.flatMap((p) => p.skipped),
    [
      ...interruption,
      `targets: ${apis.map((a) => `${a} ${config.targets[a] ? 'configured' : 'embedded'}`).join(', ')}`,
      ...(broker ? [] : ['no PACT_BROKER_BASE_URL: nothing published (offline gate)']),
      ...parts.flatMap((p) => p.notes ?? []),
    ],
    clientVersion,
    parts.flatMap((p) => p.open ?? []),
    // an interrupted gate checked less than it was asked to: never a PASS
    stopped !== undefined,
  );
  let summary = summarised;
  // the release is recorded only for a gate that passed: the broker's record must not say otherwise
  if (wantRelease && broker?.environment && broker.consumerVersion) {
    const env = broker.environment;
    const version = broker.consumerVersion;
    if (summary.passed) {
      console.log(`\n== record-release to ${env}`);
      const recorded = await Promise.all(
        apis.map((api) => recordRelease(broker, pacticipants[api].consumer, version, env)),
      );
      for (const r of recorded) console.log(r.output);
      const { rows, failures } = brokerPart('release record', apis, recorded, env, version, (out) => out);
      summary = summarise(
        started,
        [...summary.rows, ...rows],
        [...summary.failures, ...failures],
        summary.skipped,
        summary.notes,
        clientVersion,
        summary.open,
      );
    } else summary = { ...summary, notes: [...summary.notes, `release not recorded in ${env}: the gate did not pass`] };
  }
  mkdirSync(config.cli.reportDir, { recursive: true });
  writeFileSync(join(config.cli.reportDir, 'gate.json'), `${redactText(JSON.stringify(summary, null, 2))}\n`);
  writeFileSync(join(config.cli.reportDir, 'gate.md'), redactText(markdown(summary)));
  writeFileSync(join(config.cli.reportDir, 'gate-junit.xml'), redactText(gateJunit(summary)));
  console.log('\n== release gate');
  for (const l of table(summary, config.cli.reportDir)) console.log(redactText(l));
  await stop.settle();
  // as the CLI: a failure found is 1 even in an interrupted gate; INCOMPLETE is 2, INCONCLUSIVE 3
  if (summary.verdict === 'INCOMPLETE')
    console.error(
      `incomplete: ${interruption[0] ?? 'something could not be checked (not verifiable, or an incomplete run)'} (see ${config.cli.reportDir}/gate.md)`,
    );
  if (summary.verdict === 'INCONCLUSIVE')
    console.error(`inconclusive: run the gate again (see ${config.cli.reportDir}/gate.md)`);
  return VERDICT_EXIT[summary.verdict];
}
