/** Writes every report file for a run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../shared/report';
import { htmlReport } from './html';
import { junitXml } from './junit';
import { markdownReport } from './markdown';

export function writeReports(report: RunReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['conformance.json', `${JSON.stringify(report, null, 2)}\n`],
    ['junit.xml', junitXml(report)],
    ['conformance.md', markdownReport(report)],
    ['conformance.html', htmlReport(report)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
