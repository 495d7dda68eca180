/** Runtype `GET /v1/prompts` as one API module. */
import { type IsolationKnob, startAccounts } from '../../shared/accounts';
import type { ApiModule } from '../../shared/api';
import { RtContext } from './context';
import { auditFaults, extraFaults, faults, isolationExtraFaults } from './faults';
import { gaps } from './gaps';
import { isolationGaps, PROBE_QUERY, rtAccounts } from './isolation';
import type { RtKnob } from './provider';
import { type RtRuleId, rules } from './rules';
import { RT_SETTINGS_VARIABLES, type RtSettings, readRtSettings } from './settings';

export const runtype: ApiModule<RtRuleId, RtContext, RtKnob | IsolationKnob, RtSettings> = {
  name: 'runtype',
  title: 'Runtype GET /v1/prompts',
  env: { baseUrl: 'RUNTYPE_BASE_URL', apiKey: 'RUNTYPE_API_KEY', settings: RT_SETTINGS_VARIABLES },
  // no rate limit is published for list endpoints (published facts); stay as polite as for BetterPrompt
  liveRate: 5,
  // the isolation rules take the second account's cursor from this page's answer to the second key
  probe: { path: '/prompts', query: PROBE_QUERY },
  rules,
  rootCauses: {
    rules: ['RT-WALK-FORWARD', 'RT-RESP-SHAPE'],
    because: 'the listing most rules compare against is walked with nextCursor and read from that shape',
  },
  gaps: [...gaps, ...isolationGaps],
  faults,
  // the fault matrix and RULES.md read every further fault, the audit's included
  extraFaults: [...extraFaults, ...isolationExtraFaults, ...auditFaults],
  readSettings: readRtSettings,
  createContext: (http, settings, own) => new RtContext(http, settings, own),
  // one handler per account (the second when apiKey2 is set), dispatched by key; isolation faults live there
  startProvider: (opts) => startAccounts(rtAccounts, opts),
};
