/** Writes every report file for a run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../shared/report';
import { junitXml } from './junit';

export function writeReports(report: RunReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['conformance.json', `${JSON.stringify(report, null, 2)}\n`],
    ['junit.xml', junitXml(report)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
