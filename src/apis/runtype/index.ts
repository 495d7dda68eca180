/** Runtype `GET /v1/prompts` as one API module. */
import type { ApiModule } from '../../shared/api';
import { RtContext } from './context';
import { faults } from './faults';
import { gaps } from './gaps';
import { type RtKnob, startRtProvider } from './provider';
import { type RtRuleId, rules } from './rules';
import { type RtSettings, readRtSettings } from './settings';

export const runtype: ApiModule<RtRuleId, RtContext, RtKnob, RtSettings> = {
  name: 'runtype',
  title: 'Runtype GET /v1/prompts',
  env: { baseUrl: 'RUNTYPE_BASE_URL', apiKey: 'RUNTYPE_API_KEY' },
  // no rate limit is published for list endpoints (published facts); stay as polite as for BetterPrompt
  liveRate: 5,
  probe: { path: '/prompts', query: { limit: 1 } },
  rules,
  rootCauses: { rules: ['RT-WALK-FORWARD', 'RT-RESP-SHAPE'], because: 'the listing most rules compare against is walked with nextCursor and read from that shape' },
  gaps,
  faults,
  readSettings: readRtSettings,
  createContext: (http, settings, own) => new RtContext(http, settings, own),
  startProvider: (opts) => startRtProvider(opts),
};
