/** Developer check: every BetterPrompt fault once, its owner's status and how many rules failed (the distribution). */
import { betterprompt } from '../src/apis/betterprompt';
import { extraFaults } from '../src/apis/betterprompt/faults';
import type { BpKnob } from '../src/apis/betterprompt/provider';
import type { Drift } from '../src/shared/api';
import { failedIds, runEmbedded } from '../src/shared/selftest';

const seed = Number(process.argv[2] ?? 42);
const drift: Drift = process.argv.includes('--drift') ? { addEvery: 20, statusEvery: 25 } : {};
const all: { rule: string; knob: BpKnob; rows?: number }[] = [...betterprompt.rules.map((r) => ({ rule: r.id, knob: betterprompt.faults[r.id].knob })), ...extraFaults];
const counts: number[] = [];
for (const f of all) {
  const report = await runEmbedded(betterprompt, { knobs: [f.knob], seed, drift, ...(f.rows ? { rows: f.rows } : {}) });
  const failed = failedIds(report);
  counts.push(failed.length);
  const owner = report.apis[0]?.results.find((r) => r.id === f.rule);
  const mark = failed.includes(f.rule) ? 'ok  ' : 'MISS';
  console.log(`${mark} ${f.rule} ${f.knob}: owner ${owner?.status}${owner?.blockedBy ? ` by ${owner.blockedBy}` : ''}; failed ${failed.length} [${failed.filter((id) => id !== f.rule).join(',')}] sent ${report.apis[0]?.stats.sent}`);
}
counts.sort((a, b) => a - b);
console.log(`failing rules per fault: median ${counts[Math.floor(counts.length / 2)]}, max ${counts.at(-1)}`);
