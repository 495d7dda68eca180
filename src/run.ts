/** One conformance run: pick targets (configured or embedded), run each API's rules, build the report. */
import { apis as registry } from './apis';
import type { ApiModule, ApiName } from './shared/api';
import type { RunConfig } from './runner/config';
import { type RunHooks, runApi } from './runner/session';
import { openTarget } from './runner/target';
import { ConfigError, TargetError } from './shared/errors';
import { nearest } from './runner/config';
import { redactText } from './shared/redact';
import { type ApiReport, type RunReport, totals } from './shared/report';

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
    return m;
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
    const { target, close } = await openTarget(config.targets[m.name], (keys) => m.startProvider(keys), {
      secondAccount: !io.singleAccount,
    });
    io.log?.(
      `${m.title}: checking ${target.kind === 'embedded' ? 'the embedded reference provider' : 'the configured target'} at ${target.kind === 'embedded' ? target.baseUrl : `${m.env.baseUrl}=${redactText(target.baseUrl)}`}`,
    );
    try {
      const limits = { ...config.limits(target.kind === 'configured', m.liveRate), signal: io.signal };
      const report = await runApi(m, target, config.settings, limits, selected.get(m.name), io);
      reports.push(report);
      io.onApi?.(report);
    } catch (e) {
      // one unusable target must not throw away what the other APIs finished
      if (!(e instanceof TargetError)) throw e;
      targetErrors.push(e);
    } finally {
      await close();
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
