import type { Reporter, TestModule } from 'vitest/node';

/**
 * Adds one plain closing line, `vitest: N passed, N failed[, N skipped]`, after vitest's own summary,
 * so CI and humans read the totals the same way whatever the reporter around it prints. A failed
 * file that ran no test (e.g. a syntax error) counts as one failure.
 */
export class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      passed += [...module.children.allTests('passed')].length;
      const failedHere = [...module.children.allTests('failed')].length;
      failed += failedHere === 0 && module.state() === 'failed' ? 1 : failedHere;
      skipped += [...module.children.allTests('skipped')].length;
    }
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
