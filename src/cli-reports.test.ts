/** Issue 12 (9): reports stay where the user put them — a replay or a shard does not overwrite the full report. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness';

describe('default report directories', () => {
  it('a --replay run writes to reports/replay-SEED and says so; reports/conformance.json is left alone', async () => {
    const run = await runCli(['--api', 'betterprompt', '--rule', 'BP-RESP-ENVELOPE', '--replay', '42'], {
      defaultReportDir: true,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/reports to reports\/replay-42/);
    expect(existsSync(join(run.reportDir, 'replay-42', 'conformance.json'))).toBe(true);
    expect(existsSync(join(run.reportDir, 'conformance.json'))).toBe(false);
  });

  it('a shard says which shard it is and writes to reports/shard-I-of-N', async () => {
    const run = await runCli(['--api', 'betterprompt', '--rule', 'BP-RESP-ENVELOPE,BP-RESP-JSON', '--shard', '2/2'], {
      defaultReportDir: true,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/· shard 2\/2 .*reports to reports\/shard-2-of-2/);
    expect(existsSync(join(run.reportDir, 'shard-2-of-2', 'conformance.json'))).toBe(true);
  });

  it('an explicit --report-dir is honoured as given, replay or not', async () => {
    const run = await runCli(['--api', 'betterprompt', '--rule', 'BP-RESP-ENVELOPE', '--replay', '42']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(run.reportDir, 'conformance.json'))).toBe(true);
  });
});
