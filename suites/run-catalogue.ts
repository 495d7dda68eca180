/**
 * Turns an API's rule catalogue into vitest tests against the provided target: one test per rule, titled by its
 * ID, with the rule ID in `task.meta` for reporters. The catalogue runs as one session, as in
 * `npm run conformance` (preflight, rules, then the response audit's findings applied to the rules that own
 * them), so a rule means the same here as there; each test then reports its rule's result, baseline applied.
 */
import { beforeAll, describe, inject, it } from 'vitest';
import { apis } from '../src/apis';
import { failureLines } from '../src/reporters/console';
import { loadRunBaseline } from '../src/runner/baseline';
import { readConfig } from '../src/runner/config';
import { runApi } from '../src/runner/session';
import type { ApiModule, ApiName } from '../src/shared/api';
import { applyEntry, findEntry } from '../src/shared/baseline';
import type { ApiReport, RuleResult } from '../src/shared/report';

declare module 'vitest' {
  interface TaskMeta {
    ruleId?: string;
    basis?: string;
  }
}

/** What a rule's result becomes in vitest: pass and fail as such; anything else is skipped, naming its status. */
export function outcome(
  r: RuleResult,
): { kind: 'pass' } | { kind: 'fail'; message: string } | { kind: 'skip'; reason: string } {
  // the run stopped (budget, deadline, signal) before or during this rule: not checked, so not passed
  if (r.notRun !== undefined) return { kind: 'skip', reason: `stopped: ${r.notRun}` };
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
    const target = inject('targets')[name];
    // read here (global-setup has checked it), so the session's deadline also bounds the hook that runs it
    const config = readConfig([], inject('env'));
    const limits = config.limits(target?.kind === 'configured', api.liveRate);
    let report: ApiReport;
    let withBaseline: (r: RuleResult) => RuleResult;
    beforeAll(
      async () => {
        if (!target) throw new Error(`no target provided for ${name}`);
        const baseline = loadRunBaseline(undefined, Object.values(apis))?.entries ?? [];
        // an unusable target is one TargetError line here, not a transport failure per rule
        report = await runApi(api, target, config.settings, limits, undefined);
        const now = new Date();
        withBaseline = (r) => applyEntry(r, findEntry(baseline, r, report.target), now);
      },
      Math.max(0, limits.deadline - Date.now()) + 60_000,
    );
    for (const rule of api.rules) {
      it(`${rule.id} ${rule.summary}`, (t) => {
        t.task.meta.ruleId = rule.id;
        t.task.meta.basis = rule.basis;
        const raw = report.results.find((r) => r.id === rule.id);
        if (!raw) throw new Error(`${rule.id}: the session returned no result for it`);
        const o = outcome(withBaseline(raw));
        if (o.kind === 'fail') throw new Error(o.message);
        if (o.kind === 'skip') t.skip(o.reason);
      });
    }
  });
}
