/**
 * Developer check: the clean providers on changing accounts, at 10 seeds — which rules end other than passed
 * (an inconclusive must be earned by evidence the data changed; the goal is none). `tsx scripts/drift-verdicts.ts [api] [seeds]`
 */
import { apis } from '../src/apis';
import type { ApiName, Drift } from '../src/shared/api';
import { runEmbedded } from '../src/selftest/harness';

const names = (process.argv[2] ? [process.argv[2]] : Object.keys(apis)) as ApiName[];
const seeds = Number(process.argv[3] ?? 10);
const conditions: Record<string, Drift> = {
  busy: { addEvery: 20, statusEvery: 25, editEvery: 30 },
  'fast adds, frequent finishes': { addEvery: 5, statusEvery: 13 },
  'an edit every 20': { editEvery: 20 },
  'a status (Runtype: model) change every 20': { statusEvery: 20 },
};
let odd = 0;
for (const name of names) {
  const api = apis[name];
  if (!api) throw new Error(`unknown API "${name}"`);
  for (const [label, drift] of Object.entries(conditions))
    for (let seed = 1; seed <= seeds; seed++) {
      const report = await runEmbedded(api, { drift, seed: seed * 7919, dataSeed: seed });
      const results = report.apis.flatMap((a) => a.results).filter((r) => r.status !== 'pass' && r.status !== 'skip');
      if (!results.length) continue;
      odd += results.length;
      for (const r of results)
        console.log(
          `${name} ${label} seed ${seed}: ${r.id} ${r.status}: ${(r.reason ?? r.violation?.actual ?? '').slice(0, 200)}`,
        );
    }
}
console.log(`done: ${odd} rule verdicts other than pass/skip`);
process.exitCode = odd ? 1 : 0;
