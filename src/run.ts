/** One conformance run: pick targets (configured or embedded), run each API's rules, build the report. */
import { randomBytes } from 'node:crypto';
import { apis as registry } from './apis';
import type { ApiModule, ApiName } from './shared/api';
import type { RunConfig } from './runner/config';
import { type RunHooks, runApi, type Target } from './runner/session';
import { ConfigError, TargetError } from './shared/errors';
import { nearest } from './runner/config';
import { PropertyNotRun } from './shared/property';
import { redactText } from './shared/redact';
import { type ApiReport, type RuleResult, type RunReport, totals } from './shared/report';
import { Skip } from './shared/rule';
import type { RunningServer } from './shared/server';

export interface RunIo extends RunHooks {
  /** Progress and notices. */
  log?: (line: string) => void;
  onApi?: (report: ApiReport) => void;
  signal?: AbortSignal;
  /** Modules to use instead of the registry (self-tests inject fault-injected variants). */
  modules?: Partial<Record<ApiName, ApiModule>>;
  /** Embedded providers get one account only, so the isolation rules are skipped (self-tests of that path). */
  singleAccount?: boolean;
}

/** Rule IDs of this shard, over all selected APIs in catalogue order, so n shards cover each rule once. */
export function shardRules(
  mods: readonly ApiModule[],
  shard: { index: number; count: number } | undefined,
  only: ReadonlySet<string> | undefined,
): Map<ApiName, Set<string>> {
  const out = new Map<ApiName, Set<string>>();
  let k = 0;
  for (const m of mods) {
    const ids = new Set<string>();
    for (const r of m.rules) {
      if (only && !only.has(r.id)) continue;
      if (!shard || k % shard.count === shard.index - 1) ids.add(r.id);
      k++;
    }
    out.set(m.name, ids);
  }
  return out;
}

export async function runConformance(config: RunConfig, io: RunIo = {}): Promise<RunReport> {
  const started = Date.now();
  const modules = config.cli.apis.map((name) => {
    const m = io.modules?.[name] ?? registry[name];
    if (!m) throw new ConfigError(`API "${name}" is not implemented in this version; drop it from --api`);
    return propertiesNotRunAreSkips(m);
  });
  const only = config.cli.rules;
  if (only) {
    const known = new Set(modules.flatMap((m) => m.rules.map((r) => r.id)));
    const unknown = [...only].filter((id) => !known.has(id));
    const [first] = unknown;
    if (first !== undefined) {
      const guess = nearest(first, [...known]);
      throw new ConfigError(
        `unknown rule ${unknown.join(', ')} for --api ${config.cli.apis.join(',')}; ${guess ? `did you mean ${guess}? ` : ''}rule IDs are listed in RULES.md`,
      );
    }
  }
  const selected = shardRules(modules, config.cli.shard, only);
  const reports: ApiReport[] = [];
  const targetErrors: TargetError[] = [];
  for (const m of modules) {
    const configured = config.targets[m.name];
    let server: RunningServer | undefined;
    let target: Target;
    if (configured) {
      target = { kind: 'configured', ...configured };
    } else {
      const apiKey = `embedded-${randomBytes(8).toString('hex')}`;
      // a second account by default, so the isolation rules run against the reference too
      const apiKey2 = io.singleAccount ? undefined : `embedded-${randomBytes(8).toString('hex')}`;
      server = await m.startProvider({ apiKey, ...(apiKey2 ? { apiKey2 } : {}) });
      target = { kind: 'embedded', baseUrl: server.url, apiKey, apiKey2 };
    }
    io.log?.(
      `${m.title}: checking ${target.kind === 'embedded' ? 'the embedded reference provider' : 'the configured target'} at ${target.kind === 'embedded' ? target.baseUrl : `${m.env.baseUrl}=${redactText(target.baseUrl)}`}`,
    );
    try {
      const limits = { ...config.limits(target.kind === 'configured', m.liveRate), signal: io.signal };
      const onRule = (r: RuleResult) => io.onRule?.(typedNotRun(r));
      const raw = await runApi(m, target, config.settings, limits, selected.get(m.name), { ...io, onRule });
      const report = { ...raw, results: raw.results.map(typedNotRun) };
      reports.push(report);
      io.onApi?.(report);
    } catch (e) {
      // one unusable target must not throw away what the other APIs finished
      if (!(e instanceof TargetError)) throw e;
      targetErrors.push(e);
    } finally {
      await server?.close();
    }
  }
  const [firstError] = targetErrors;
  if (firstError && reports.length === 0) throw firstError;
  const incomplete = firstError?.message ?? reports.find((r) => r.incomplete)?.incomplete;
  return {
    tool: 'prompt-api-conformance',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    seed: config.settings.seed,
    runs: config.settings.runs,
    apis: reports,
    totals: totals(reports),
    ...(incomplete ? { incomplete } : {}),
    ...(firstError ? { targetError: firstError.message } : {}),
  };
}

/**
 * A property fast-check could not run (too many rejected inputs, interrupted) is the suite's own problem, never a
 * finding: the rule is skipped with the reason instead of reaching the engine's "internal error" failure.
 */
export function propertiesNotRunAreSkips(m: ApiModule): ApiModule {
  return {
    ...m,
    rules: m.rules.map((r) => ({
      ...r,
      check: async (ctx) => {
        try {
          await r.check(ctx);
        } catch (e) {
          if (e instanceof PropertyNotRun) throw new Skip(`not run: ${e.message}`);
          throw e;
        }
      },
    })),
  };
}

// the engine still says "stopped: <why>" in the reason; this is the one place that reads it, so every reader
// after it tests the typed `notRun` field (the engine should set the field itself; see the handover notes)
const STOPPED_PREFIX = 'stopped: ';

/** The engine's result with `notRun` set when the rule was skipped because the run had stopped. */
export function typedNotRun(r: RuleResult): RuleResult {
  if (r.status !== 'skip' || r.notRun !== undefined || !r.reason?.startsWith(STOPPED_PREFIX)) return r;
  return { ...r, notRun: r.reason.slice(STOPPED_PREFIX.length) };
}
