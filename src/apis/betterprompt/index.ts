/** BetterPrompt `GET /v1/runs` as one API module. */
import { type IsolationKnob, startAccounts } from '../../shared/accounts';
import type { ApiModule } from '../../shared/api';
import { everyWalk } from './compare';
import { BpContext } from './context';
import { auditFaults, extraFaults, faults } from './faults';
import { gaps } from './gaps';
import { bpAccounts, isolationGaps } from './isolation';
import type { BpKnob } from './provider';
import { type BpRuleId, rules } from './rules';

export const betterprompt: ApiModule<BpRuleId, BpContext, BpKnob | IsolationKnob> = {
  name: 'betterprompt',
  title: 'BetterPrompt GET /v1/runs',
  env: { baseUrl: 'BETTERPROMPT_BASE_URL', apiKey: 'BETTERPROMPT_API_KEY' },
  // published: 5 requests per second; stay under it with a margin for clock skew and latency jitter
  liveRate: 4,
  probe: { path: '/runs', query: { limit: 1 } },
  rules,
  rootCauses: {
    rules: ['BP-CURSOR-AFTER', 'BP-WALK-FORWARD'],
    because: 'the listing most rules compare against is walked with startingAfter',
  },
  gaps: [...gaps, ...isolationGaps],
  faults,
  // the fault matrix and RULES.md read every further fault, the audit's included
  extraFaults: [...extraFaults, ...auditFaults],
  // BetterPrompt's docs leave nothing to configure
  readSettings: () => undefined,
  createContext: (http, settings) => new BpContext(http, settings, everyWalk),
  // one handler per account (the second when apiKey2 is set), dispatched by key; isolation faults live there
  startProvider: (opts) => startAccounts(bpAccounts, opts),
};
