/**
 * Issue 12 (1): the gate reads conformance.baseline.json as `npm run conformance` does. A rule the baseline
 * lists is `known` in the gate's table and does not block the release; an unlisted failure still does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { betterprompt } from '../apis/betterprompt';
import type { BpKnob } from '../apis/betterprompt/provider';
import { type ApiModule, asGenericApi } from '../shared/api';
import type { RunReport } from '../shared/report';
import { selfTestConfig } from '../selftest/harness';
import { conformanceRows, summarise } from './gate';
import { gateConformance } from './conformance';

const KNOBS: readonly BpKnob[] = ['cursor-tie-skip'];
const generic = asGenericApi(betterprompt);
const faulty: ApiModule = { ...generic, startProvider: (p) => generic.startProvider({ ...p, knobs: KNOBS }) };
const RULE = 'BP-CURSOR-AFTER';

function baselineFile(entries: unknown[]): string {
  const f = join(mkdtempSync(join(tmpdir(), 'gate-baseline-')), 'conformance.baseline.json');
  writeFileSync(f, JSON.stringify({ entries }));
  return f;
}

async function gate(baseline: string): Promise<{ report: RunReport; passed: boolean }> {
  const base = selfTestConfig(generic, { rules: [RULE] });
  const config = { ...base, cli: { ...base.cli, baseline } };
  const report = await gateConformance(config, {
    modules: { betterprompt: faulty },
    now: new Date('2026-01-01T00:00:00Z'),
  });
  const part = conformanceRows(report, ['betterprompt']);
  return { report, passed: summarise(new Date(), part.rows, part.failures, part.skipped, []).passed };
}

describe('gate: conformance with the known-deviations baseline', () => {
  it('a baselined failure is known, not a failure, and the gate passes', async () => {
    const { report, passed } = await gate(
      baselineFile([{ rule: RULE, reason: 'vendor ticket #12', expires: '2099-12-31' }]),
    );
    expect(report.apis[0]?.results.map((r) => [r.id, r.status])).toEqual([[RULE, 'known']]);
    expect(conformanceRows(report).rows[0]).toMatchObject({ known: 1, fail: 0 });
    expect(passed).toBe(true);
  });

  it('without the entry (or once it expired) the same failure blocks the release', async () => {
    expect((await gate(baselineFile([]))).passed).toBe(false);
    expect(
      (await gate(baselineFile([{ rule: RULE, reason: 'vendor ticket #12', expires: '2025-12-31' }]))).passed,
    ).toBe(false);
  });
});

describe('gate: conformance statuses are read defensively', () => {
  const report = (statuses: string[], extra: Partial<RunReport> = {}): RunReport =>
    ({
      apis: [
        {
          api: 'betterprompt',
          title: 'BetterPrompt',
          target: { kind: 'configured', url: '' },
          gaps: [],
          results: statuses.map((status, i) => ({ id: `BP-${i}`, api: 'betterprompt', summary: 's', status })),
        },
      ],
      ...extra,
    }) as unknown as RunReport;
  const passes = (r: RunReport, apis: ('betterprompt' | 'runtype')[] = ['betterprompt']) => {
    const p = conformanceRows(r, apis);
    return summarise(new Date(), p.rows, p.failures, p.skipped, [], undefined, p.open).passed;
  };

  it('blocked is listed as skipped, never counted as a pass', () => {
    expect(conformanceRows(report(['pass', 'blocked'])).rows[0]).toMatchObject({ pass: 1, skip: 1 });
  });
  it('inconclusive, or a status this version does not know, makes the gate not green', () => {
    expect(passes(report(['pass', 'inconclusive']))).toBe(false);
    expect(passes(report(['pass', 'something-new']))).toBe(false);
  });
  it('an incomplete run, or an API whose target could not be checked, keeps the gate from passing', () => {
    expect(
      passes(
        report(['pass'], {
          apis: [{ ...(report(['pass']).apis[0] as RunReport['apis'][number]), incomplete: 'deadline' }],
        }),
      ),
    ).toBe(false);
    expect(passes(report(['pass'], { targetError: 'runtype: connection refused' }), ['betterprompt', 'runtype'])).toBe(
      false,
    );
  });
});
