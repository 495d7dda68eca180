/** `--replay SEED --rule ID [--path P]`, exactly as a failure prints it, reruns that one case and fails the same way. */
import { describe, expect, it } from 'vitest';
import { betterprompt } from '../apis/betterprompt';
import type { BpKnob } from '../apis/betterprompt/provider';
import { runConformance } from '../run';
import { type ApiModule, asGenericApi } from '../shared/api';
import { readConfig } from '../runner/config';
import { runEmbedded } from './harness';

const KNOBS: readonly BpKnob[] = ['cursor-tie-skip'];
const generic = asGenericApi(betterprompt);
const faulty: ApiModule = { ...generic, startProvider: (p) => generic.startProvider({ ...p, knobs: KNOBS }) };

/** The argv of a printed `npm run conformance -- …` command (single-quoted words as the shell reads them). */
function argvOf(command: string): string[] {
  const rest = command.replace(/^npm run conformance -- /, '');
  return [...rest.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('replaying a failure', () => {
  it('the printed replay command of each shrunk failure reproduces it: one rule, same counterexample', async () => {
    const full = await runEmbedded(betterprompt, { knobs: KNOBS });
    const failures = (full.apis[0]?.results ?? []).filter(
      (r) => r.status === 'fail' && r.violation?.counterexample !== undefined,
    );
    expect(failures.map((r) => r.id)).toContain('BP-CURSOR-AFTER');
    for (const original of failures) {
      const v = original.violation;
      if (!v) continue;
      const argv = argvOf(v.replay);
      expect(argv).toEqual([
        '--api',
        'betterprompt',
        '--rule',
        original.id,
        '--replay',
        String(v.seed),
        ...(v.path ? ['--path', v.path] : []),
      ]);
      const replay = await runConformance(readConfig(argv, {}), { modules: { betterprompt: faulty } });
      const results = replay.apis[0]?.results ?? [];
      expect(results.map((r) => [r.id, r.status])).toEqual([[original.id, 'fail']]);
      const again = results[0]?.violation;
      expect({
        id: original.id,
        counterexample: again?.counterexample,
        seed: again?.seed,
        expected: again?.expected,
        actual: again?.actual,
      }).toEqual({
        id: original.id,
        counterexample: v.counterexample,
        seed: v.seed,
        expected: v.expected,
        actual: v.actual,
      });
    }
  });
});
