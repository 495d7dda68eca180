/**
 * The gate's conformance phase: the same run the CLI does, through the CLI's output (per-rule lines, the
 * progress line on stderr) and with the same known-deviations baseline, so a baselined rule is `known` in
 * every entry point, never a gate failure.
 */
import { apis as registry } from '../apis';
import { loadRunBaseline, type RunBaseline } from '../runner/baseline';
import { runOutput } from '../reporters/run-output';
import { runConformance } from '../run';
import type { ApiModule, ApiName } from '../shared/api';
import type { RunConfig } from '../runner/config';
import type { RunReport } from '../shared/report';

export interface GateConformanceIo {
  signal?: AbortSignal;
  /** Modules to use instead of the registry (tests inject fault-injected variants). */
  modules?: Partial<Record<ApiName, ApiModule>>;
  now?: Date;
  /** The baseline {@link checkBaseline} loaded; loaded here when absent. */
  baseline?: RunBaseline | undefined;
}

/** Runs the catalogues with the baseline applied (a malformed baseline is a ConfigError before any request). */
export async function gateConformance(config: RunConfig, io: GateConformanceIo = {}): Promise<RunReport> {
  const modules = { ...registry, ...io.modules };
  const output = runOutput(
    config,
    modules,
    io.now,
    'baseline' in io ? io.baseline : loadRunBaseline(config.cli.baseline, Object.values(modules)),
  );
  try {
    return output.finish(
      await runConformance(config, { ...output.hooks, modules, ...(io.signal ? { signal: io.signal } : {}) }),
    );
  } finally {
    output.close();
  }
}

/** Reads the baseline the conformance phase will use, so a malformed one stops the gate before any request. */
export function checkBaseline(config: RunConfig): RunBaseline | undefined {
  return loadRunBaseline(config.cli.baseline, Object.values(registry));
}
