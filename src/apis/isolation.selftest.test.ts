/**
 * Self-tests of tenant isolation and authentication on every path, for both APIs: the clean two-account
 * provider passes every rule of the group; each isolation fault fails its rule (and, within the group, only the
 * rules listed beside it); without a second key the isolation rules are skipped, never passed, while the
 * authentication rules still run.
 */
import { describe, expect, it } from 'vitest';
import type { IsolationKnob } from '../shared/accounts';
import { type ApiModule, asGenericApi } from '../shared/api';
import type { RunReport } from '../shared/report';
import { failedIds, runEmbedded } from '../selftest/harness';
import { betterprompt } from './betterprompt';
import { isolationFaults as bpFaults, isolationRules as bpRules } from './betterprompt/isolation';
import { runtype } from './runtype';
import { isolationFaults as rtFaults, isolationRules as rtRules } from './runtype/isolation';

interface Case {
  api: ApiModule;
  ids: string[];
  faults: Record<string, { knob: IsolationKnob; description: string }>;
  env2: string;
  /** Other rules of the group a knob also fails, because the same bug shows there too. */
  alsoFails: Partial<Record<IsolationKnob, string[]>>;
}

const cases: Case[] = [
  {
    api: asGenericApi(betterprompt),
    ids: bpRules.map((r) => r.id),
    faults: bpFaults,
    env2: 'BETTERPROMPT_API_KEY_2',
    // BP-ISO-FILTER's filtered foreign-cursor probe is skipped once BP-ISO-CURSOR failed: one failure
    alsoFails: {},
  },
  {
    api: asGenericApi(runtype),
    ids: rtRules.map((r) => r.id),
    faults: rtFaults,
    env2: 'RUNTYPE_API_KEY_2',
    // an id resolved in every account serves a tampered cursor the other account's rows too; a filtered
    // query without the owner condition counts every account's matches too
    alsoFails: { 'cursor-global': ['RT-ISO-TAMPERED-CURSOR'], 'filter-no-owner': ['RT-ISO-COUNT'] },
  },
];

const isIsolation = (id: string) => /-ISO-/.test(id);

/** Requests each API's group may send on its own (preflight included): its share of the cost goal (issue 20). */
const GROUP_REQUESTS: Record<string, number> = { betterprompt: 80, runtype: 50 };

function results(report: RunReport) {
  return report.apis[0]?.results ?? [];
}

describe.each(cases)('$api.name: tenant isolation and authentication', ({ api, ids, faults, env2, alsoFails }) => {
  it('the clean two-account provider passes every rule of the group, none skipped', async () => {
    const report = await runEmbedded(api, { rules: ids });
    expect(results(report).map((r) => `${r.id}:${r.status}`)).toEqual(ids.map((id) => `${id}:pass`));
  });

  it(`without a second key the isolation rules are skipped naming ${env2}; the authentication rules still pass`, async () => {
    const report = await runEmbedded(api, { rules: ids, secondAccount: false });
    for (const r of results(report)) {
      if (isIsolation(r.id)) expect(r, r.id).toMatchObject({ status: 'skip', reason: expect.stringContaining(env2) });
      else expect(r.status, r.id).toBe('pass');
    }
  });

  for (const id of ids) {
    const fault = faults[id];
    if (!fault) throw new Error(`no fault for ${id}`);
    const allowed = [id, ...(alsoFails[fault.knob] ?? [])];
    it(`${id} fails on a two-account provider that ${fault.description}${allowed.length > 1 ? ` (so does ${allowed.slice(1).join(', ')})` : ''}`, async () => {
      const report = await runEmbedded(api, { knobs: [fault.knob], rules: ids });
      expect(failedIds(report)).toEqual(allowed);
    });
    it(`${id} with that fault and no second key: ${isIsolation(id) ? 'skipped, not passed' : 'still fails (no second key needed)'}`, async () => {
      const report = await runEmbedded(api, { knobs: [fault.knob], rules: [id], secondAccount: false });
      expect(results(report)[0]?.status).toBe(isIsolation(id) ? 'skip' : 'fail');
    });
  }

  it('validate-before-auth (an unauthenticated bad request gets its 4xx, not 401) fails the authentication rules, and no isolation rule', async () => {
    const report = await runEmbedded(api, { knobs: ['validate-before-auth'], rules: ids });
    const failed = failedIds(report);
    // a 400 also refuses a malformed header, so only a 422 shows there
    expect(failed).toEqual(expect.arrayContaining(ids.filter((x) => /-AUTH-(EVERY-PATH|NEAR-KEY)$/.test(x))));
    expect(failed.filter(isIsolation)).toEqual([]);
  });

  it('key-case-insensitive (a lower() in the key lookup) fails the near-key rule only', async () => {
    const report = await runEmbedded(api, { knobs: ['key-case-insensitive'], rules: ids });
    expect(failedIds(report)).toEqual(ids.filter((x) => x.endsWith('-AUTH-NEAR-KEY')));
  });

  it(`the group stays within ${GROUP_REQUESTS[api.name]} requests on its own (no reference walk to reuse)`, async () => {
    const report = await runEmbedded(api, { rules: ids });
    expect(report.apis[0]?.stats.sent).toBeLessThanOrEqual(GROUP_REQUESTS[api.name] ?? 80);
  });
});
