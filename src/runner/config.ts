/** Reads the run's configuration from flags, the environment and `.env`; every mistake is one ConfigError line. */
import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { apis as registry } from '../apis';
import { API_NAMES, type ApiModule, type ApiName, type Env } from '../shared/api';
import type { RunSettings } from '../shared/context';
import type { Limits } from './session';
import type { TargetConfig } from './target';

export type { TargetConfig } from './target';
import { ConfigError } from '../shared/errors';
import { registerSecret } from '../shared/redact';

export interface CliOptions {
  apis: ApiName[];
  rules: Set<string> | undefined;
  seed: number;
  path: string | undefined;
  shard: { index: number; count: number } | undefined;
  reportDir: string;
  baseline: string | undefined;
  /**
   * Refuse to run an API against its embedded reference provider (`--require-targets`, or
   * CONFORMANCE_REQUIRE_TARGETS=true as the nightly and gate workflows set). @defaultValue false
   */
  requireTargets?: boolean;
  help: boolean;
}

export interface RunConfig {
  cli: CliOptions;
  settings: RunSettings;
  /** Limits for a configured target; embedded runs lift the rate limit. */
  limits: (configured: boolean, liveRate: number) => Limits;
  targets: Partial<Record<ApiName, TargetConfig>>;
}

/** Loads `.env` (if present) without overriding the real environment. */
export function loadEnvFile(file = '.env'): void {
  if (existsSync(file)) loadDotenv({ path: file, quiet: true });
}

export function parseArgs(argv: readonly string[], env: Env): CliOptions {
  const opts: CliOptions = {
    apis: [...API_NAMES],
    rules: undefined,
    seed: envInt(env, 'CONFORMANCE_SEED', randomSeed(), 0),
    path: undefined,
    shard: undefined,
    reportDir: 'reports',
    baseline: undefined,
    requireTargets: flag(env, 'CONFORMANCE_REQUIRE_TARGETS'),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(`${flag} needs a value; see --help`);
      return v;
    };
    switch (flag) {
      case '--api': {
        // canonical order, no repeats: `--shard` slices depend on the order, and an API runs once
        const named = new Set(
          value()
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .map(apiName),
        );
        if (named.size === 0)
          throw new ConfigError(`--api needs at least one name; use one or more of ${API_NAMES.join(', ')}`);
        opts.apis = API_NAMES.filter((n) => named.has(n));
        break;
      }
      case '--rule':
        opts.rules = new Set([
          ...(opts.rules ?? []),
          ...value()
            .split(',')
            .map((s) => s.trim().toUpperCase())
            .filter(Boolean),
        ]);
        break;
      case '--seed':
      case '--replay':
        opts.seed = int(flag, value(), 0);
        break;
      case '--path':
        opts.path = value();
        break;
      case '--shard':
        opts.shard = shard(value());
        break;
      case '--report-dir':
        opts.reportDir = value();
        break;
      case '--baseline':
        opts.baseline = value();
        break;
      case '--require-targets':
        opts.requireTargets = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new ConfigError(`unknown option ${arg}; see --help`);
    }
  }
  return opts;
}

/**
 * Everything a run needs from flags and environment, parsed and checked up front — every selected API's own
 * settings included — so a mistake is one ConfigError line before the first request, never halfway through.
 */
export function readConfig(
  argv: readonly string[],
  env: Env,
  modules: Partial<Record<ApiName, ConfiguredModule>> = registry,
): RunConfig {
  checkVariableNames(env, knownVariables({ ...registry, ...modules }));
  const cli = parseArgs(argv, env);
  const depth = readDepth(env);
  const settings: RunSettings = {
    seed: cli.seed,
    runs: envInt(env, 'CONFORMANCE_RUNS', 20, 1),
    walkMaxRows: envInt(env, 'CONFORMANCE_WALK_MAX_ROWS', 1000, 1),
    path: cli.path,
    apiSettings: Object.fromEntries(cli.apis.map((name) => [name, modules[name]?.readSettings(env)])),
    depth,
  };
  // the deep profile (nightly) walks further and probes old data: it needs a larger budget and more time
  const deep = depth === 'deep';
  const maxRequests = envInt(env, 'CONFORMANCE_MAX_REQUESTS', deep ? 1500 : 800, 1);
  const timeoutMs = envInt(env, 'CONFORMANCE_TIMEOUT_MS', 10_000, 1);
  const deadlineS = envInt(env, 'CONFORMANCE_DEADLINE_S', deep ? 1200 : 600, 1);
  const rate = env.CONFORMANCE_RATE?.trim() ? envNumber(env, 'CONFORMANCE_RATE') : undefined;
  const allowWrites = writesAllowed(env);
  const startedAt = Date.now();
  const limits = (configured: boolean, liveRate: number): Limits => ({
    maxRequests,
    rate: rate ?? (configured ? liveRate : undefined),
    timeoutMs,
    deadline: startedAt + deadlineS * 1000,
    maxRetries: 4,
    backoffMs: 200,
    maxWaitMs: 30_000,
    // the embedded provider is ours; a configured target gets GET/HEAD only unless the run opts in
    allowWrites: !configured || allowWrites,
  });
  const targets: RunConfig['targets'] = {};
  for (const api of cli.apis) {
    const m = modules[api] ?? registry[api];
    const t = readTarget(env, m.env);
    if (t) targets[api] = t;
  }
  const config = { cli, settings, limits, targets };
  requireTargets(config, modules);
  return config;
}

/** What the configuration reads of an API module: its variables and its own settings. */
export type ConfiguredModule = Pick<ApiModule, 'env' | 'readSettings'>;

/**
 * With `requireTargets`, every selected API needs a configured target: a nightly job or a release gate whose
 * secrets are missing must stop, not check the embedded providers and go green.
 */
export function requireTargets(
  config: Pick<RunConfig, 'cli' | 'targets'>,
  modules: Partial<Record<ApiName, ConfiguredModule>> = registry,
): void {
  if (!config.cli.requireTargets) return;
  const missing = config.cli.apis.filter((a) => !config.targets[a]);
  if (!missing.length) return;
  const vars = missing.map((a) => `${(modules[a] ?? registry[a]).env.baseUrl}/_API_KEY`).join(', ');
  throw new ConfigError(
    `--require-targets: no target configured for ${missing.join(', ')}; set ${vars} (repository secrets in CI)`,
  );
}

/** The run's own variables; each API module names its target's and settings' (`ApiModule.env`). */
const RUN_VARIABLES: readonly string[] = [
  'CONFORMANCE_SEED',
  'CONFORMANCE_RUNS',
  'CONFORMANCE_MAX_REQUESTS',
  'CONFORMANCE_RATE',
  'CONFORMANCE_TIMEOUT_MS',
  'CONFORMANCE_DEADLINE_S',
  'CONFORMANCE_WALK_MAX_ROWS',
  'CONFORMANCE_ALLOW_WRITES',
  'CONFORMANCE_ENV',
  'CONFORMANCE_DEPTH',
  'CONFORMANCE_REQUIRE_TARGETS',
  'CONFORMANCE_VITEST_TARGETS',
];

/**
 * Every variable of ours the suite reads. A name with one of our prefixes that is not here is a typo (or a
 * setting this version does not have): checking the embedded provider instead would pass silently.
 */
export function knownVariables(
  modules: Partial<Record<ApiName, Pick<ApiModule, 'env'>>> = registry,
): readonly string[] {
  const apis = Object.values(modules).flatMap((m) =>
    m ? [m.env.baseUrl, m.env.apiKey, `${m.env.apiKey}_2`, ...(m.env.settings ?? [])] : [],
  );
  return [...apis, ...RUN_VARIABLES];
}

/** The variables of the registered API modules and of the run. */
export const KNOWN_VARIABLES: readonly string[] = knownVariables();

/** The prefix that marks a variable as ours: BETTERPROMPT_, RUNTYPE_, CONFORMANCE_ (those of the known names). */
const prefix = (name: string): string => name.slice(0, name.indexOf('_') + 1);

/** Names an unknown BETTERPROMPT_* / RUNTYPE_* / CONFORMANCE_* variable with the nearest known one. */
export function checkVariableNames(env: Env, known: readonly string[] = KNOWN_VARIABLES): void {
  const ours = new Set(known.map(prefix).filter(Boolean));
  const unknown = Object.keys(env)
    .filter((k) => ours.has(prefix(k)) && !known.includes(k) && (env[k] ?? '') !== '')
    .sort();
  const [first] = unknown;
  if (first === undefined) return;
  const guess = nearest(first, known);
  throw new ConfigError(
    `unknown variable ${unknown.join(', ')}; ${guess ? `did you mean ${guess}? ` : ''}fix the name in .env or the environment (the README's "Pointing it at a target" lists them)`,
  );
}

/** The candidate closest to `name` (edit distance, case-insensitive), if it is close enough to be a typo. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(name.toUpperCase(), c.toUpperCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}"); fix the value`);
}

function readTarget(env: Env, names: ApiModule['env']): TargetConfig | undefined {
  const urlName = names.baseUrl;
  const keyName = names.apiKey;
  const baseUrl = env[urlName]?.trim();
  const apiKey = env[keyName]?.trim();
  const apiKey2 = env[`${keyName}_2`]?.trim() || undefined;
  // registered first so that even a configuration error quoting them is redacted
  if (apiKey) registerSecret(apiKey);
  registerSecret(apiKey2);
  if (!baseUrl && apiKey2)
    throw new ConfigError(
      `${keyName}_2 is set but ${urlName} is not; set the URL of the target both keys belong to, or unset ${keyName}_2 (the embedded provider has its own two accounts)`,
    );
  if (!baseUrl && !apiKey) return undefined;
  // half a target is a mistake either way round: checking the embedded provider instead would pass silently
  if (!apiKey)
    throw new ConfigError(
      `${urlName} is set but ${keyName} is not; add the key to .env, or unset the URL to check the embedded provider`,
    );
  if (!baseUrl)
    throw new ConfigError(
      `${keyName} is set but ${urlName} is not; add the URL to .env, or unset the key to check the embedded provider`,
    );
  if (apiKey2 === apiKey)
    throw new ConfigError(
      `${keyName}_2 is the same key as ${keyName}; set it to a key of a second account (another user), or unset it`,
    );
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      `${urlName} is not a valid URL ("${baseUrl}"); use e.g. https://api.example.com or https://api.example.com/v1`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${urlName} must be http:// or https:// (got ${url.protocol}); fix the URL in .env`);
  if (url.username || url.password) {
    registerSecret(url.password);
    registerSecret(safeDecode(url.password));
    throw new ConfigError(
      `${urlName} must not carry credentials (user:password@); remove them and put the key in ${keyName}`,
    );
  }
  if (url.search || url.hash)
    throw new ConfigError(`${urlName} must not carry a query or fragment; remove "${url.search}${url.hash}"`);
  return { baseUrl, apiKey, ...(apiKey2 ? { apiKey2 } : {}) };
}

/** `CONFORMANCE_DEPTH`: `default` (every run) or `deep` (nightly: older data, longer walks). */
function readDepth(env: Env): 'default' | 'deep' {
  const raw = (env.CONFORMANCE_DEPTH ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'default') return 'default';
  if (raw === 'deep') return 'deep';
  throw new ConfigError(`CONFORMANCE_DEPTH must be default or deep (got "${raw}"); fix the value or unset it`);
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no', '']);

/**
 * `CONFORMANCE_ALLOW_WRITES=true` lets rules send methods other than GET/HEAD to a configured target;
 * `CONFORMANCE_ENV=production` refuses that outright, whatever else is set.
 */
export function writesAllowed(env: Env): boolean {
  const raw = (env.CONFORMANCE_ALLOW_WRITES ?? '').trim().toLowerCase();
  if (!TRUE.has(raw) && !FALSE.has(raw))
    throw new ConfigError(`CONFORMANCE_ALLOW_WRITES must be true or false (got "${raw}"); fix the value`);
  const allow = TRUE.has(raw);
  const envName = (env.CONFORMANCE_ENV ?? '').trim().toLowerCase();
  if (allow && (envName === 'production' || envName === 'prod'))
    throw new ConfigError(
      'CONFORMANCE_ALLOW_WRITES=true is refused with CONFORMANCE_ENV=production; unset CONFORMANCE_ALLOW_WRITES (writes are never sent to production)',
    );
  return allow;
}

function apiName(s: string): ApiName {
  const n = s.toLowerCase();
  if ((API_NAMES as readonly string[]).includes(n)) return n as ApiName;
  throw new ConfigError(`unknown API "${s}" in --api; use one or more of ${API_NAMES.join(', ')} (comma-separated)`);
}

function shard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new ConfigError(`--shard must be i/n with 1 ≤ i ≤ n (got "${s}"); e.g. --shard 2/4`);
  return { index, count };
}

function int(name: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
    throw new ConfigError(`${name} must be an integer ≥ ${min} (got "${raw}"); fix the value`);
  return Number(raw);
}

function envInt(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  return raw ? int(name, raw, min) : fallback;
}

function envNumber(env: Env, name: string): number {
  const raw = (env[name] ?? '').trim();
  const n = Number(raw);
  if (!raw || !Number.isFinite(n) || n <= 0)
    throw new ConfigError(`${name} must be a positive number (got "${raw}"); fix the value`);
  return n;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
