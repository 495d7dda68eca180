/** Developer check: one BetterPrompt self-run with knobs/drift from argv, failures and statuses printed. */
import { betterprompt } from '../src/apis/betterprompt';
import type { BpKnob } from '../src/apis/betterprompt/provider';
import type { Drift } from '../src/shared/api';
import { runEmbedded } from '../src/selftest/harness';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const knobs = (arg('knobs') ?? '').split(',').filter(Boolean) as BpKnob[];
const num = (n: string) => (arg(n) === undefined ? undefined : Number(arg(n)));
const drift: Drift = {};
if (num('add')) drift.addEvery = num('add') as number;
if (num('status')) drift.statusEvery = num('status') as number;
if (num('edit')) drift.editEvery = num('edit') as number;
const rules = arg('rules')?.split(',');
const report = await runEmbedded(betterprompt, {
  knobs,
  drift,
  seed: num('seed') ?? 42,
  ...(num('data') !== undefined ? { dataSeed: num('data') as number } : {}),
  ...(num('rows') !== undefined ? { rows: num('rows') as number } : {}),
  ...(rules ? { rules } : {}),
});
const api = report.apis[0];
for (const r of api?.results ?? []) {
  if (r.status === 'pass') continue;
  console.log(
    `${r.status.padEnd(12)} ${r.id} ${r.reason ?? ''} ${r.blockedBy ?? ''} ${r.violation ? `${r.violation.expected} / ${r.violation.actual}`.slice(0, 300) : ''}${r.drift ? ` drift: ${r.drift.join('; ')}` : ''}`,
  );
}
console.log(`requests ${api?.stats.sent}`);
