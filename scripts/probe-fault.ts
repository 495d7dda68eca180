/** `npx tsx scripts/probe-fault.ts <api> <knob[,knob]> [seed]`: one fault-injected run, its failing rules and why. */
import { apis } from '../src/apis';
import type { ApiModule } from '../src/shared/api';
import { runEmbedded } from '../src/selftest/harness';

const [name, knobs, seed] = process.argv.slice(2);
const api = Object.values(apis).find((a): a is ApiModule => a?.name === name);
if (!api || !knobs) throw new Error('usage: probe-fault.ts <api> <knob[,knob]> [seed]');
const report = await runEmbedded(api, { knobs: knobs.split(','), ...(seed ? { seed: Number(seed) } : {}) });
for (const r of report.apis.flatMap((a) => a.results))
  if (r.status === 'fail' || r.status === 'inconclusive')
    console.log(`${r.id} ${r.status}: expected ${r.violation?.expected} | actual ${r.violation?.actual}`.slice(0, 400));
// blocked rules and what blocked them: one fault should fail one rule and block, not fail, the rules it breaks
for (const r of report.apis.flatMap((a) => a.results))
  if (r.status === 'blocked' && process.env.SHOW_BLOCKED)
    console.log(`${r.id} blocked by ${r.blockedBy?.join(', ')}: ${r.reason}`.slice(0, 300));
