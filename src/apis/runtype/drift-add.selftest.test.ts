/** Issue 10: a correct Runtype server passes at 10 seeds when a new prompt arrives every 20 requests (one file per condition, run in parallel). */
import { describe, it } from 'vitest';
import { expectCleanUnderDrift } from './selftest-cases';

describe('runtype self-test: a correct server whose data changes during the run', () => {
  it('passes when a new prompt arrives every 20 requests, at 10 seeds (no false alarm)', () =>
    expectCleanUnderDrift('a new prompt arrives every 20 requests'));
});
