/**
 * Turns an API's rule catalogue into vitest tests against the provided target: one test per rule, titled by its
 * ID, with the rule ID in `task.meta` for reporters. The rules run through the engine the CLI uses (preflight,
 * per-rule runner, baseline), so a rule means the same here as in `npm run conformance`.
 */
import { beforeAll, describe, inject, it } from 'vitest';
import { apis } from '../src/apis';
import { failureLines } from '../src/reporters/console';
import type { ApiModule, ApiName } from '../src/shared/api';
import { applyEntry, type BaselineEntry, baselinePath, findEntry, loadBaseline } from '../src/shared/baseline';
import { readConfig } from '../src/runner/config';
import type { BaseContext, RunSettings } from '../src/shared/context';
import { createContext, preflight, runRule } from '../src/runner/session';
import { apiRoot, HttpClient } from '../src/shared/http';
import { redactText } from '../src/shared/redact';
import type { ApiReport, RuleResult } from '../src/shared/report';

declare module 'vitest' {
  interface TaskMeta {
    ruleId?: string;
    basis?: string;
  }
}

interface SuiteRun {
  http: HttpClient;
  ctx: BaseContext;
  settings: RunSettings;
  target: ApiReport['target'];
  baseline: readonly BaselineEntry[];
  /** Set once the budget, the deadline or the preflight stopped the run: the rest is skipped with it. */
  stopped: string | undefined;
}

/** What a rule's result becomes in vitest: pass and fail as such; anything else is skipped, naming its status. */
export function outcome(
  r: RuleResult,
): { kind: 'pass' } | { kind: 'fail'; message: string } | { kind: 'skip'; reason: string } {
  switch (r.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      return {
        kind: 'fail',
        message: [`${r.id} (${r.basis}: ${r.doc})`, ...(r.reason ? [`  ${r.reason}`] : []), ...failureLines(r)].join(
          '\n',
        ),
      };
    default:
      // skip, known (baseline) and any status the engine adds later: not checked is not passed
      return { kind: 'skip', reason: `${r.status}: ${r.reason ?? 'no reason given'}` };
  }
}

export function describeCatalogue(name: ApiName, api: ApiModule): void {
  describe(`${api.title} conformance`, () => {
    let run: SuiteRun;
    beforeAll(async () => {
      const target = inject('targets')[name];
      if (!target) throw new Error(`no target provided for ${name}`);
      const config = readConfig([], inject('env'));
      const limits = config.limits(target.kind === 'configured', api.liveRate);
      const http = new HttpClient({
        ...limits,
        root: apiRoot(target.baseUrl),
        apiKey: target.apiKey,
        apiKey2: target.apiKey2,
      });
      const file = baselinePath(undefined);
      const known = new Map(Object.values(apis).flatMap((m) => m.rules.map((r) => [r.id, m.name] as const)));
      run = {
        http,
        ctx: createContext(api, http, config.settings),
        settings: config.settings,
        target: { kind: target.kind, url: redactText(target.baseUrl) },
        baseline: file ? loadBaseline(file, known) : [],
        stopped: undefined,
      };
      // an unusable target is one TargetError line here, not a transport failure per rule
      run.stopped = await preflight(api, http, target);
    });
    for (const rule of api.rules) {
      it(`${rule.id} ${rule.summary}`, async (t) => {
        t.task.meta.ruleId = rule.id;
        t.task.meta.basis = rule.basis;
        if (run.stopped) return t.skip(run.stopped);
        const raw = await runRule(api, rule, run.ctx, run.http, run.settings);
        if (raw.status === 'skip' && raw.reason?.startsWith('stopped:')) run.stopped = raw.reason;
        const o = outcome(applyEntry(raw, findEntry(run.baseline, raw, run.target), new Date()));
        if (o.kind === 'fail') throw new Error(o.message);
        if (o.kind === 'skip') t.skip(o.reason);
      });
    }
  });
}
