/**
 * Starts the embedded reference provider for every API the suites check there, and provides each API's target
 * and the run's environment to the suites (vitest `provide`/`inject`).
 *
 * `npm test` never touches a configured target: it checks the embedded providers whatever `.env` or the shell
 * says. Only `npm run conformance:vitest` (CONFORMANCE_VITEST_TARGETS=configured) loads `.env` and reads the
 * targets and settings the CLI would, all checked here, before any suite sends a request.
 */
import type { TestProject } from 'vitest/node';
import { apis } from '../src/apis';
import { openTarget, type Target } from '../src/runner/target';
import type { ApiName } from '../src/shared/api';
import { loadEnvFile, readConfig } from '../src/runner/config';
import { ConfigError } from '../src/shared/errors';

/** A configured target, or the embedded provider (two accounts) started here. */
export type SuiteTarget = Target;

declare module 'vitest' {
  export interface ProvidedContext {
    targets: Partial<Record<ApiName, SuiteTarget>>;
    /** What the suites pass to `readConfig`: the real environment only for `conformance:vitest`. */
    env: Record<string, string>;
  }
}

/** The switch `npm run conformance:vitest` sets; anything else (e.g. `npm test`) checks the embedded providers. */
export const TARGETS_SWITCH = 'CONFORMANCE_VITEST_TARGETS';

/** The environment the suites read their configuration from: none of the real one unless asked for. */
export function suiteEnv(env: NodeJS.ProcessEnv, load: () => void = loadEnvFile): Record<string, string> {
  const mode = env[TARGETS_SWITCH]?.trim() ?? '';
  if (mode === '' || mode === 'embedded') return {};
  if (mode !== 'configured')
    throw new ConfigError(
      `${TARGETS_SWITCH} must be configured or embedded (got "${mode}"); use npm run conformance:vitest for configured targets`,
    );
  load();
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.PACT_DO_NOT_TRACK = 'true';
  const env = suiteEnv(process.env);
  // a bad setting stops the run here, in one line, before any request; the seed is fixed for every suite file
  const config = readConfig([], env);
  const opened: { close(): Promise<void> }[] = [];
  const targets: Partial<Record<ApiName, SuiteTarget>> = {};
  for (const [name, api] of Object.entries(apis) as [ApiName, NonNullable<(typeof apis)[ApiName]>][]) {
    const t = await openTarget(config.targets[name], (keys) => api.startProvider(keys));
    opened.push(t);
    targets[name] = t.target;
  }
  project.provide('targets', targets);
  project.provide('env', { ...env, CONFORMANCE_SEED: String(config.settings.seed) });
  return async () => {
    await Promise.all(opened.map((t) => t.close()));
  };
}
