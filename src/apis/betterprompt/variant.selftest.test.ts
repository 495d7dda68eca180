/** No false alarm on a server that reads the docs' open points differently from our reference provider. */
import { describe, expect, it } from 'vitest';
import type { ApiModule } from '../../shared/api';
import { failedIds, runEmbedded } from '../../selftest/harness';
import { betterprompt } from './index';
import { startVariantBpProvider } from './variant';

describe('betterprompt against an independently shaped, conforming server', () => {
  it('passes every rule', async () => {
    const variant = {
      ...betterprompt,
      startProvider: (o: { apiKey: string }) => startVariantBpProvider(o),
    } as unknown as ApiModule;
    for (const seed of [1, 2, 3]) {
      const report = await runEmbedded(variant, { seed });
      const failures = report.apis[0]?.results
        .filter((r) => r.status === 'fail')
        .map((r) => `${r.id}: ${r.violation?.expected} / ${r.violation?.actual}`);
      expect(failures, `seed ${seed}`).toEqual([]);
      expect(failedIds(report)).toEqual([]);
    }
  });
});
