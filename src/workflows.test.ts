/** The CI workflows parse, trigger as intended, run scripts that exist, keep the reports, and never print a secret. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = join(ROOT, '.github', 'workflows');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};
const SCRIPTS = PACKAGE.scripts;
/**
 * Node release lines in LTS (active or maintenance) on the date of this change; 20 left LTS in April 2026.
 * engines still admits 20 because the project's own CI machines run it; ci.yml tests it beside the LTS lines.
 */
const LTS = [22, 24];
const SECRETS = ['BETTERPROMPT_BASE_URL', 'BETTERPROMPT_API_KEY', 'RUNTYPE_BASE_URL', 'RUNTYPE_API_KEY'];

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: string;
  'timeout-minutes'?: number;
  env?: Record<string, unknown>;
  steps?: Step[];
}
interface Workflow {
  name?: string;
  on?: Record<string, unknown>;
  env?: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs?: Record<string, Job>;
}

function load(file: string): Workflow {
  const doc: unknown = parse(readFileSync(join(DIR, file), 'utf8'));
  if (typeof doc !== 'object' || doc === null) throw new Error(`${file} is not a YAML mapping`);
  return doc as Workflow;
}

function steps(wf: Workflow): Step[] {
  return Object.values(wf.jobs ?? {}).flatMap((j) => j.steps ?? []);
}

/** Ways a workflow could print a secret: on a command line, via `set -x`, echoed, or mapped into a renamed variable. */
function secretProblems(wf: Workflow): string[] {
  const out: string[] = [];
  for (const s of steps(wf)) {
    const run = s.run ?? '';
    if (/secrets\./.test(run)) out.push(`${s.name ?? run}: secrets belong in env:, not in run:`);
    if (/set -[a-z]*x/.test(run)) out.push(`${s.name ?? run}: set -x echoes expanded secrets`);
    for (const name of SECRETS)
      if (new RegExp(`(echo|printf|cat|tee)[^\\n]*\\$\\{?${name}\\b`).test(run))
        out.push(`${s.name ?? run}: prints ${name}`);
    // a secret is only ever mapped whole into an env variable of the same name
    for (const [k, v] of Object.entries({ ...s.env, ...s.with }))
      if (typeof v === 'string' && v.includes('secrets.') && v !== `\${{ secrets.${k} }}`)
        out.push(`${s.name ?? k}: ${k} gets ${v}`);
  }
  for (const job of Object.values(wf.jobs ?? {}))
    if (JSON.stringify(job.env ?? {}).includes('secrets.'))
      out.push('job-level env holds a secret (every step would see it)');
  return out;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

describe('workflows', () => {
  it('nightly.yml and release-gate.yml exist', () => {
    expect(files).toEqual(expect.arrayContaining(['nightly.yml', 'release-gate.yml']));
  });

  describe.each(files)('%s', (file) => {
    const wf = load(file);

    it('has a name, triggers, jobs with a runner, a time limit and steps that each use or run something', () => {
      expect(wf.name).toBeTruthy();
      expect(Object.keys(wf.on ?? {}).length).toBeGreaterThan(0);
      expect(Object.keys(wf.jobs ?? {}).length).toBeGreaterThan(0);
      for (const job of Object.values(wf.jobs ?? {})) {
        expect(job['runs-on']).toBeTruthy();
        expect(job['timeout-minutes']).toBeGreaterThan(0);
        expect(job.steps?.length).toBeGreaterThan(0);
        for (const s of job.steps ?? []) expect(Boolean(s.uses) !== Boolean(s.run)).toBe(true);
      }
    });

    it('sets PACT_DO_NOT_TRACK=true and pins every action to a version', () => {
      expect(wf.env?.PACT_DO_NOT_TRACK).toBe('true');
      for (const s of steps(wf)) if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@[\w.-]+$/);
    });

    it('runs only npm scripts that exist', () => {
      for (const s of steps(wf)) {
        for (const m of (s.run ?? '').matchAll(/\bnpm run(?:-script)? ([\w:-]+)/g))
          expect(Object.keys(SCRIPTS), `${file}: npm run ${m[1]}`).toContain(m[1]);
        for (const m of (s.run ?? '').matchAll(/\bnpm (\w+)/g))
          expect(['ci', 'run', 'test'], `${file}: npm ${m[1]}`).toContain(m[1]);
      }
    });

    it('never puts a secret on a command line or prints one', () => {
      expect(secretProblems(wf)).toEqual([]);
    });

    it('sets up a Node LTS line that package.json engines admits (the engines minimum only in the test matrix)', () => {
      const min = Number(/^>=\s*(\d+)/.exec(PACKAGE.engines.node)?.[1]);
      // engines admits what the tests run on: the LTS lines, and the minimum that ci.yml also tests
      const allowed = file === 'ci.yml' ? [min, ...LTS] : LTS;
      for (const s of steps(wf).filter((x) => x.uses?.startsWith('actions/setup-node@'))) {
        const v = String(s.with?.['node-version']);
        const versions = v.includes('matrix.')
          ? Object.values(wf.jobs ?? {}).flatMap(
              (j) => (j as { strategy?: { matrix?: { node?: number[] } } }).strategy?.matrix?.node ?? [],
            )
          : [Number(v)];
        expect(versions.length).toBeGreaterThan(0);
        for (const n of versions) {
          expect(allowed, `${file}: node-version ${n}`).toContain(n);
          expect(n).toBeGreaterThanOrEqual(min);
        }
      }
    });

    it.runIf(file !== 'ci.yml')('keeps the reports even when the run fails, and publishes the JUnit results', () => {
      const upload = steps(wf).find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(upload?.if).toMatch(/always\(\)/);
      expect(String(upload?.with?.path)).toMatch(/^reports\/$/m);
      const junit = steps(wf).find((s) => JSON.stringify(s.with ?? {}).includes('reports/junit.xml'));
      expect(junit?.if).toMatch(/always\(\)/);
    });
  });

  it('the secret check catches the leaks it looks for', () => {
    const secret = (n: string) => `\${{ secrets.${n} }}`;
    const leaky: Workflow = {
      jobs: {
        j: {
          env: { TOKEN: secret('BETTERPROMPT_API_KEY') },
          steps: [
            { run: `curl -H "Authorization: Bearer ${secret('BETTERPROMPT_API_KEY')}" https://x` },
            { run: 'set -eux\necho "key is $BETTERPROMPT_API_KEY"' },
            { run: 'true', env: { KEY: secret('RUNTYPE_API_KEY') } },
          ],
        },
      },
    };
    expect(secretProblems(leaky)).toHaveLength(5);
  });

  it('nightly.yml: scheduled and manual, runs the conformance job on the staging secrets', () => {
    const wf = load('nightly.yml');
    const schedule = wf.on?.schedule as { cron: string }[];
    expect(schedule[0]?.cron.trim().split(/\s+/)).toHaveLength(5);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    const run = steps(wf).find((s) => /npm run conformance\b/.test(s.run ?? ''));
    expect(run?.run).toMatch(/--report-dir reports\b/);
    for (const name of SECRETS) expect(run?.env?.[name]).toBe(`\${{ secrets.${name} }}`);
  });

  it('nightly.yml and release-gate.yml require their targets (issue 18 (2)): missing secrets are never green', () => {
    for (const file of ['nightly.yml', 'release-gate.yml']) {
      const wf = load(file);
      expect(wf.env?.CONFORMANCE_REQUIRE_TARGETS, file).toBe('true');
      const run = steps(wf).find((s) => /npm run (conformance|gate)\b/.test(s.run ?? ''));
      expect(run?.run, file).toMatch(/--require-targets/);
    }
  });

  it('ci.yml: the tests run on every LTS line and on the engines minimum', () => {
    const wf = load('ci.yml');
    const job = Object.values(wf.jobs ?? {})[0] as Job & { strategy?: { matrix?: { node?: number[] } } };
    const min = Number(/^>=\s*(\d+)/.exec(PACKAGE.engines.node)?.[1]);
    expect(job.strategy?.matrix?.node).toEqual([...new Set([min, ...LTS])]);
    expect(steps(wf).some((s) => s.run === '.ci/run')).toBe(true);
  });

  describe('release-gate.yml (issue 12 (2))', () => {
    const wf = load('release-gate.yml');
    const gate = steps(wf).find((s) => /\bnpm run gate\b/.test(s.run ?? ''));

    it('manual or called by a client release, runs npm run gate with the secrets declared', () => {
      expect(wf.on).toHaveProperty('workflow_dispatch');
      const call = wf.on?.workflow_call as { secrets?: Record<string, unknown> };
      expect(Object.keys(call.secrets ?? {}).sort()).toEqual(
        [...SECRETS, 'PACT_BROKER_BASE_URL', 'PACT_BROKER_TOKEN'].sort(),
      );
      for (const name of SECRETS) expect(gate?.env?.[name]).toBe(`\${{ secrets.${name} }}`);
    });

    it('checks out the suite, not the calling client repository', () => {
      const checkout = steps(wf).find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with?.repository).toMatch(/inputs\.suite-repository/);
      expect(checkout?.with?.ref).toMatch(/inputs\.suite-ref/);
      const inputs =
        (wf.on?.workflow_call as { inputs?: Record<string, { required?: boolean }> } | undefined)?.inputs ?? {};
      expect(inputs['suite-repository']?.required).toBe(true);
    });

    it('refuses to pass without its targets: secrets required, checked before the gate, and --require-targets', () => {
      const call = wf.on?.workflow_call as { secrets?: Record<string, { required?: boolean }> };
      for (const name of SECRETS) expect(call.secrets?.[name]?.required, name).toBe(true);
      const all = steps(wf);
      const check = all.findIndex((s) => SECRETS.every((n) => (s.run ?? '').includes(n)) && /exit 2/.test(s.run ?? ''));
      expect(check).toBeGreaterThanOrEqual(0);
      expect(check).toBeLessThan(all.indexOf(gate as Step));
      expect(gate?.run).toMatch(/--require-targets/);
    });

    it('records the client version: CLIENT_VERSION is passed and the gate reads it', () => {
      expect(gate?.env?.CLIENT_VERSION).toBe(`\${{ inputs.client-version }}`);
      expect(readFileSync(join(ROOT, 'src', 'gate', 'run-gate.ts'), 'utf8')).toMatch(/process\.env\.CLIENT_VERSION/);
    });

    it('issue 18 (4): publishes verification results for the staging deployment, and CLIENT_VERSION is the one version', () => {
      expect(gate?.env?.PACT_PROVIDER_VERSION).toMatch(/inputs\.provider-version/);
      expect(gate?.env?.PACT_PROVIDER_ENVIRONMENT).toBe('staging');
      expect(gate?.env).not.toHaveProperty('PACT_CONSUMER_VERSION');
      expect(gate?.env?.PACT_BROKER_ENVIRONMENT).toBe(`\${{ inputs.broker-environment }}`);
      expect(gate?.run).toMatch(/\$RECORD_RELEASE/);
      const inputs = (wf.on?.workflow_call as { inputs?: Record<string, unknown> } | undefined)?.inputs ?? {};
      expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['provider-version', 'record-release']));
    });

    it('shows the gate table in the job summary and publishes the Pact results as JUnit', () => {
      const summary = steps(wf).find((s) => (s.run ?? '').includes('GITHUB_STEP_SUMMARY'));
      expect(summary?.run).toMatch(/reports\/gate\.md/);
      const junit = steps(wf).find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
      expect(String(junit?.with?.report_paths)).toMatch(/reports\/gate-junit\.xml/);
    });
  });
});
