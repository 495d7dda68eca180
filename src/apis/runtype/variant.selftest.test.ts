/** No false alarm on an independently written Runtype server that reads the docs' open points its own way. */
import { describe, expect, it } from 'vitest';
import type { ApiModule } from '../../shared/api';
import { runEmbedded } from '../../selftest/harness';
import { runtype } from './index';
import { startVariantRtProvider } from './variant';

describe('runtype against an independently written, conforming server', () => {
  it('passes every rule', async () => {
    for (const rows of [123, 7]) {
      const variant = {
        ...runtype,
        startProvider: (o: { apiKey: string }) => startVariantRtProvider({ ...o, rows }),
      } as unknown as ApiModule;
      for (const seed of [1, 2]) {
        const report = await runEmbedded(variant, { seed });
        const failures = report.apis[0]?.results
          .filter((r) => r.status === 'fail')
          .map((r) => `${r.id}: ${r.violation?.expected} / ${r.violation?.actual}`);
        expect(failures, `seed ${seed}, ${rows} prompts`).toEqual([]);
      }
    }
  });
});
