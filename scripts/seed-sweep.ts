/** Developer check (not CI): does every fault get caught by its rule under many seeds? */
import { apis } from '../src/apis';
import type { ApiName } from '../src/shared/api';
import { failedIds, runEmbedded } from '../src/shared/selftest';

const registered = apis[(process.argv[2] ?? 'betterprompt') as ApiName];
const seeds = Number(process.argv[3] ?? 8);
// optional row count: a bigger data set than the walk cap exercises the live-target code paths
const rows = process.argv[4] ? Number(process.argv[4]) : undefined;
if (!registered) throw new Error('usage: seed-sweep <api> [seeds] [rows]');
const api: typeof registered = rows === undefined ? registered : { ...registered, startProvider: (o) => registered.startProvider({ ...o, rows }) };
let misses = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const clean = failedIds(await runEmbedded(api, { seed }));
  if (clean.length) console.log(`seed ${seed}: FALSE ALARM ${clean.join(',')}`);
  for (const rule of api.rules) {
    const fault = api.faults[rule.id];
    if (!fault) continue;
    const failed = failedIds(await runEmbedded(api, { seed, knobs: [fault.knob], rules: [rule.id] }));
    if (!failed.includes(rule.id)) {
      misses++;
      console.log(`seed ${seed}: ${rule.id} missed fault ${fault.knob}`);
    }
  }
}
console.log(`done: ${misses} misses`);
