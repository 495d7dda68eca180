/**
 * `tsx scripts/probe-drift.ts <api> <seed> <addEvery> <statusEvery> [editEvery] [knob,knob] [rule]`: one run (clean, or
 * with fault knobs) on a changing account, its non-pass verdicts in full.
 */
import { apis } from '../src/apis';
import type { ApiName } from '../src/shared/api';
import { runEmbedded } from '../src/selftest/harness';

const [name, seed, add, status, edit, knobs, rule] = process.argv.slice(2);
const api = apis[name as ApiName];
if (!api || !seed) throw new Error('usage: probe-drift.ts <api> <seed> <addEvery> <statusEvery> [editEvery]');
const drift = {
  ...(add ? { addEvery: Number(add) } : {}),
  ...(status ? { statusEvery: Number(status) } : {}),
  ...(edit ? { editEvery: Number(edit) } : {}),
};
const report = await runEmbedded(api, {
  drift,
  seed: Number(seed) * 7919,
  dataSeed: Number(seed),
  ...(knobs ? { knobs: knobs.split(',') } : {}),
  ...(rule ? { rules: [rule] } : {}),
});
for (const r of report.apis.flatMap((a) => a.results))
  if (r.status !== 'pass' && r.status !== 'skip') console.log(JSON.stringify(r, null, 1).slice(0, 2500));
