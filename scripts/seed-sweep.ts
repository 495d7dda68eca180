/**
 * Developer check: is every fault caught by its rule at every seed? `npm exec tsx scripts/seed-sweep.ts -- <api> [seeds] [rows] [--drift] [--only=knob,knob]`
 * Sweeps each API's `faults` and, when its faults.ts exports them, its `extraFaults` and `auditFaults`. `--drift` runs on a busy
 * account (new rows, status changes, edits); `rows` sets a data size beyond the walk cap.
 */
import { apis } from '../src/apis';
import type { ApiName } from '../src/shared/api';
import { type SweepFault, sweep } from '../src/selftest/sweep';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const name = (args[0] ?? 'betterprompt') as ApiName;
const api = apis[name];
if (!api) throw new Error(`unknown API "${name}"; use one of ${Object.keys(apis).join(', ')}`);
const seeds = Array.from({ length: Number(args[1] ?? 10) }, (_, i) => i + 1);
const rows = args[2] ? Number(args[2]) : undefined;
const drift = process.argv.includes('--drift') ? { addEvery: 20, statusEvery: 25, editEvery: 30 } : undefined;
// extraFaults is optional per API: several faults per rule where a rule covers combinations
const mod = (await import(`../src/apis/${name}/faults.ts`)) as {
  extraFaults?: readonly SweepFault[];
  isolationExtraFaults?: readonly SweepFault[];
  auditFaults?: readonly SweepFault[];
};
// --only=knob,knob narrows the sweep to those faults (a fault under study)
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const faults: SweepFault[] = [
  ...api.rules.map((r) => ({ rule: r.id, knob: (api.faults[r.id] as { knob: string }).knob })),
  ...(mod.extraFaults ?? []),
  ...(mod.isolationExtraFaults ?? []),
  ...(mod.auditFaults ?? []).map((f) => ({ ...f, whole: true })),
].filter((f) => !only || only.includes(f.knob));
const result = await sweep(api, faults, { seeds, ...(rows ? { rows } : {}), ...(drift ? { drift } : {}) });
for (const line of [...result.falseAlarms, ...result.misses]) console.log(line);
console.log(
  `done: ${faults.length} faults × ${seeds.length} seeds, ${result.misses.length} misses, ${result.falseAlarms.length} false alarms`,
);
process.exitCode = result.misses.length || result.falseAlarms.length ? 1 : 0;
