/**
 * `npm run contracts`: regenerates contracts/ from the consumer pact tests (the typed clients against the
 * Pact mock server). The tests write into a scratch folder; contracts/ changes only when they all pass.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACTS_DIR } from '../src/pact/names';
import { normalisePact, readPact } from '../src/pact/pact-file';

process.env.PACT_DO_NOT_TRACK = 'true';

function main(): number {
  const out = mkdtempSync(join(tmpdir(), 'contracts-'));
  try {
    const vitest = join(CONTRACTS_DIR, '..', 'node_modules', '.bin', 'vitest');
    const run = spawnSync(vitest, ['run', '--project', 'contracts', 'consumer.pact'], {
      stdio: 'inherit',
      env: { ...process.env, PACT_OUT_DIR: out },
    });
    if (run.status !== 0) {
      console.error(
        'contracts: a consumer pact test failed; contracts/ left as it was. Fix the test or the client, then run npm run contracts again',
      );
      return 1;
    }
    const fresh = readdirSync(out).filter((f) => f.endsWith('.json'));
    if (!fresh.length) {
      console.error('contracts: the consumer tests wrote no pact file; contracts/ left as it was');
      return 1;
    }
    mkdirSync(CONTRACTS_DIR, { recursive: true });
    for (const f of fresh) {
      const target = join(CONTRACTS_DIR, f);
      const same =
        existsSync(target) &&
        JSON.stringify(normalisePact(readPact(target))) === JSON.stringify(normalisePact(readPact(join(out, f))));
      // an unchanged contract keeps its bytes, so a pact-js upgrade alone does not churn contracts/
      if (!same) copyFileSync(join(out, f), target);
      console.log(`contracts/${f}: ${same ? 'unchanged' : 'written'}`);
    }
    for (const f of readdirSync(CONTRACTS_DIR).filter((n) => n.endsWith('.json') && !fresh.includes(n))) {
      rmSync(join(CONTRACTS_DIR, f));
      console.log(`contracts/${f}: removed (no consumer test produces it)`);
    }
    return 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

process.exitCode = main();
