/**
 * Starts the embedded reference provider for every API without a configured target,
 * and provides each API's target to the suites (vitest `provide`/`inject`).
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { apis } from '../src/apis';
import type { ApiName } from '../src/shared/api';
import { loadEnvFile, readConfig } from '../src/shared/config';
import type { RunningServer } from '../src/shared/server';

export interface SuiteTarget {
  kind: 'embedded' | 'configured';
  baseUrl: string;
  apiKey: string;
  /** A second account's key: the isolation rules are skipped without it. */
  apiKey2?: string | undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    targets: Partial<Record<ApiName, SuiteTarget>>;
    seed: number;
    runs: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.PACT_DO_NOT_TRACK = 'true';
  loadEnvFile();
  const config = readConfig([], process.env);
  const servers: RunningServer[] = [];
  const targets: Partial<Record<ApiName, SuiteTarget>> = {};
  for (const [name, api] of Object.entries(apis) as [ApiName, NonNullable<(typeof apis)[ApiName]>][]) {
    const configured = config.targets[name];
    if (configured) {
      targets[name] = { kind: 'configured', ...configured };
      continue;
    }
    const apiKey = `embedded-${randomBytes(8).toString('hex')}`;
    const apiKey2 = `embedded-${randomBytes(8).toString('hex')}`;
    const server = await api.startProvider({ apiKey, apiKey2 });
    servers.push(server);
    targets[name] = { kind: 'embedded', baseUrl: server.url, apiKey, apiKey2 };
  }
  project.provide('targets', targets);
  project.provide('seed', config.settings.seed);
  project.provide('runs', config.settings.runs);
  return async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
}
