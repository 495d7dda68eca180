/**
 * Turns an API's rule catalogue into vitest tests against the provided target: one test per rule,
 * titled by its ID, with the rule ID in `task.meta` for reporters. The CLI runs the same catalogue.
 */
import { beforeAll, describe, inject, it } from 'vitest';
import { failureLines } from '../src/reporters/console';
import type { ApiModule, ApiName } from '../src/shared/api';
import { readConfig } from '../src/shared/config';
import type { BaseContext } from '../src/shared/context';
import { replayCommand } from '../src/shared/engine';
import { apiRoot, HttpClient } from '../src/shared/http';
import { reportViolation } from '../src/shared/report';
import { Skip, Violation } from '../src/shared/rule';

declare module 'vitest' {
  interface TaskMeta {
    ruleId?: string;
    basis?: string;
  }
}

export function describeCatalogue(name: ApiName, api: ApiModule): void {
  describe(`${api.title} conformance`, () => {
    let ctx: BaseContext;
    beforeAll(() => {
      const target = inject('targets')[name];
      if (!target) throw new Error(`no target provided for ${name}`);
      const config = readConfig([], process.env);
      const limits = config.limits(target.kind === 'configured', api.liveRate);
      const http = new HttpClient({ ...limits, root: apiRoot(target.baseUrl), apiKey: target.apiKey, apiKey2: target.apiKey2 });
      ctx = api.createContext(http, { ...config.settings, seed: inject('seed'), runs: inject('runs') });
    });
    for (const rule of api.rules) {
      it(`${rule.id} ${rule.summary}`, async (t) => {
        t.task.meta.ruleId = rule.id;
        t.task.meta.basis = rule.basis;
        try {
          await rule.check(ctx);
        } catch (e) {
          if (e instanceof Skip) return t.skip(e.message);
          if (e instanceof Violation) {
            const v = reportViolation(e.detail, replayCommand(name, rule.id, e.detail.seed ?? inject('seed'), e.detail.path));
            const lines = failureLines({ ...rule, api: name, status: 'fail', violation: v, requests: 0, cacheHits: 0, retries: 0, ms: 0 });
            throw new Error(`${rule.id} (${rule.basis}: ${rule.doc})\n${lines.join('\n')}`);
          }
          throw e;
        }
      });
    }
  });
}
