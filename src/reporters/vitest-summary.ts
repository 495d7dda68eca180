/**
 * A vitest reporter that ends the run with one plain line, "tests: N passed, N failed, N skipped",
 * which CI systems that do not parse vitest's own summary can read.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const m of testModules) {
      const before = count.failed;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed') count.failed++;
        else count.skipped++;
      }
      // a file that failed to load, or whose beforeAll failed (an unreachable target), failed without a failed test
      if (m.state() === 'failed' && count.failed === before) count.failed++;
    }
    process.stdout.write(`\ntests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
