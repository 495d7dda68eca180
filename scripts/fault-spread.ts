/**
 * `npm run fault-spread [-- <api> [seed]]`: runs every fault-injected provider once and prints, per API,
 * how many rules each fault fails (one fault should fail one rule) — the figure `npm run bench` also reports.
 */
import { apis } from '../src/apis';
import type { ApiModule } from '../src/shared/api';
import { distribution, faultMatrix } from '../src/selftest/fault-matrix';

const [only, seedArg] = process.argv.slice(2);
const seed = seedArg === undefined ? 42 : Number(seedArg);
for (const m of Object.values(apis).filter((x): x is ApiModule => x !== undefined && (!only || x.name === only))) {
  const outcomes = await faultMatrix(m, { seed });
  for (const o of outcomes) {
    const flag = !o.caught ? 'MISSED' : o.failed.length === 1 ? 'ok' : `+${o.failed.length - 1}`;
    console.log(
      `${m.name} ${o.rule.padEnd(24)} ${flag.padEnd(6)} failed [${o.failed.join(' ')}]${o.blocked.length ? ` blocked [${o.blocked.join(' ')}]` : ''}`,
    );
  }
  console.log(`${m.name}: ${JSON.stringify(distribution(outcomes))}`);
}
