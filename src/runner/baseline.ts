/** The run's known-deviations baseline, loaded once per run by every entry point (CLI, vitest suites, gate). */
import type { ApiModule } from '../shared/api';
import { type BaselineEntry, baselinePath, loadBaseline } from '../shared/baseline';

export interface RunBaseline {
  file: string;
  entries: BaselineEntry[];
}

/**
 * The baseline named by `--baseline`, else `./conformance.baseline.json` when present, checked against the
 * rules of `modules` (a malformed file is a ConfigError before any request); `undefined` when there is none.
 */
export function loadRunBaseline(
  explicit: string | undefined,
  modules: Iterable<Pick<ApiModule, 'name' | 'rules'> | undefined>,
): RunBaseline | undefined {
  const file = baselinePath(explicit);
  if (!file) return undefined;
  const known = new Map([...modules].flatMap((m) => (m ? m.rules.map((r) => [r.id, m.name] as const) : [])));
  return { file, entries: loadBaseline(file, known) };
}
