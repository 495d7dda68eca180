import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apis } from '../apis';
import { readConfig } from '../runner/config';
import { ConfigError } from '../shared/errors';
import { fixture } from './report-fixture';
import { baselineLines, runOutput } from './run-output';

const dir = mkdtempSync(join(tmpdir(), 'run-output-'));
const file = (name: string, entries: unknown[]) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify({ entries }));
  return f;
};

describe('runOutput', () => {
  it('refuses a malformed baseline before the run starts', () => {
    const bad = file('bad.json', [{ rule: 'BP-CURSOR-AFTER', reason: 'x', expires: 'soon' }]);
    expect(() => runOutput(readConfig(['--api', 'betterprompt', '--baseline', bad], {}), apis)).toThrow(ConfigError);
  });

  it('applies the baseline to the final report and prints what to do about expired and stale entries', () => {
    const f = file('ok.json', [
      { rule: 'BP-CURSOR-AFTER', reason: 'ticket 7', expires: '2026-01-01' },
      { rule: 'BP-LIMIT-MAX', reason: 'old', expires: '2030-01-01' },
    ]);
    const out = runOutput(readConfig(['--api', 'betterprompt', '--baseline', f], {}), apis, new Date('2026-06-01'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const report = out.finish(fixture);
    log.mockRestore();
    expect(report.totals.fail).toBe(1);
    expect(report.apis[0]?.results.find((r) => r.id === 'BP-CURSOR-AFTER')?.reason).toMatch(
      /^baseline entry expired on 2026-01-01/,
    );
    expect(baselineLines(report)).toEqual([
      `baseline: the entry for BP-CURSOR-AFTER expired on 2026-01-01 and the rule still fails; fix the target or renew the entry in ${f} with a new date and reason`,
      `baseline: BP-LIMIT-MAX passes now; remove its entry from ${f}`,
    ]);
  });
});
