/** Issue 11: a fault only in old data (beyond the newest 1,000 prompts) is caught by the deep profile's longer walks. */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../run';
import type { ApiModule } from '../../shared/api';
import { failedIds, selfTestConfig } from '../../shared/selftest';
import { runtype } from './index';
import { type RtKnob, startRtProvider } from './provider';

async function run(depth: 'default' | 'deep', knobs: readonly RtKnob[]) {
  const cfg = selfTestConfig(runtype as unknown as ApiModule, { rules: ['RT-PROMPT-SCHEMA', 'RT-TOTAL-COUNT'] });
  const api = {
    ...runtype,
    startProvider: (p: { apiKey: string }) => startRtProvider({ ...p, rows: 1500, knobs }),
  } as unknown as ApiModule;
  return runConformance({ ...cfg, settings: { ...cfg.settings, depth } }, { modules: { runtype: api } });
}

describe('runtype self-test: old data', () => {
  it('RT-PROMPT-SCHEMA fails, under the deep profile, on a provider that sends estimatedTokens as a string only on prompts beyond the newest 1,000', async () => {
    expect(failedIds(await run('deep', ['old-rows-tokens-string']))).toEqual(['RT-PROMPT-SCHEMA']);
    // the default walk cap (1,000 rows) never sees it: why nightly runs the deep profile
    expect(failedIds(await run('default', ['old-rows-tokens-string']))).toEqual([]);
  });
  it('the deep profile passes the clean provider, walking all 1,500 prompts to their end', async () => {
    const report = await run('deep', []);
    expect(report.apis[0]?.results.map((r) => `${r.id}: ${r.status}`)).toEqual([
      'RT-PROMPT-SCHEMA: pass',
      'RT-TOTAL-COUNT: pass',
    ]);
  });
});
