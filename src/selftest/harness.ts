/** Self-test harness: run a catalogue against its embedded provider, clean or with one fault knob. */
import { runConformance } from '../run';
import { type ApiModule, asGenericApi } from '../shared/api';
import type { BaseContext } from '../shared/context';
import type { RunConfig } from '../runner/config';
import type { RunReport } from '../shared/report';
import type { Drift } from '../shared/api';
import type { Chaos } from '../shared/server';

export interface SelfTestOptions<Knob extends string> {
  knobs?: readonly Knob[];
  chaos?: Chaos;
  /** Data that changes during the run (see {@link Drift}). */
  drift?: Drift;
  /** Rows the provider seeds. */
  rows?: number;
  /** Seed of the provider's data (the run's seed is `seed`). */
  dataSeed?: number;
  seed?: number;
  runs?: number;
  rules?: readonly string[];
  maxRequests?: number;
  /** The embedded provider gets a second account, so the isolation rules run. @defaultValue true */
  secondAccount?: boolean;
}

/** A run config for an in-process check of `api` with fixed seed, no rate limit and no files written. */
export function selfTestConfig(
  api: ApiModule,
  o: {
    seed?: number;
    runs?: number;
    rules?: readonly string[];
    maxRequests?: number;
    configured?: { baseUrl: string; apiKey: string; apiKey2?: string };
  },
): RunConfig {
  return {
    cli: {
      apis: [api.name],
      rules: o.rules ? new Set(o.rules) : undefined,
      seed: o.seed ?? 42,
      path: undefined,
      shard: undefined,
      reportDir: 'reports',
      baseline: undefined,
      help: false,
    },
    settings: { seed: o.seed ?? 42, runs: o.runs ?? 20, walkMaxRows: 1000, path: undefined },
    limits: () => ({
      maxRequests: o.maxRequests ?? 5000,
      rate: undefined,
      timeoutMs: 5000,
      deadline: Date.now() + 120_000,
      maxRetries: 4,
      backoffMs: 5,
      maxWaitMs: 1000,
    }),
    targets: o.configured ? { [api.name]: o.configured } : {},
  };
}

/** Runs `api`'s catalogue against its provider with the given knobs (none: the clean provider). */
export async function runEmbedded<Id extends string, Ctx extends BaseContext, Knob extends string>(
  api: ApiModule<Id, Ctx, Knob>,
  opts: SelfTestOptions<Knob> = {},
): Promise<RunReport> {
  const generic = asGenericApi(api);
  const faulty: ApiModule = {
    ...generic,
    startProvider: (p) =>
      generic.startProvider({
        ...p,
        ...(opts.knobs ? { knobs: opts.knobs } : {}),
        ...(opts.chaos ? { chaos: opts.chaos } : {}),
        ...(opts.drift ? { drift: opts.drift } : {}),
        ...(opts.rows !== undefined ? { rows: opts.rows } : {}),
        ...(opts.dataSeed !== undefined ? { dataSeed: opts.dataSeed } : {}),
      }),
  };
  return runConformance(selfTestConfig(generic, opts), {
    modules: { [generic.name]: faulty },
    ...(opts.secondAccount === false ? { singleAccount: true } : {}),
  });
}

export function failedIds(report: RunReport): string[] {
  return report.apis.flatMap((a) => a.results.filter((r) => r.status === 'fail').map((r) => r.id));
}
