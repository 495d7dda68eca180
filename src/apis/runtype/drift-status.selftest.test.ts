/** Issue 10: a correct Runtype server passes at 10 seeds when a prompt switches model every 20 requests (one file per condition, run in parallel). */
import { describe, it } from 'vitest';
import { expectCleanUnderDrift } from './selftest-cases';

describe('runtype self-test: a correct server whose data changes during the run', () => {
  it('passes when a prompt switches model every 20 requests, at 10 seeds (no false alarm)', () =>
    expectCleanUnderDrift('a prompt switches model every 20 requests'));
});
