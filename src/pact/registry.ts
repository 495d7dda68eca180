/** The contract provider (state handlers + embedded provider) of every API with a pact. */
import type { ApiName } from '../shared/api';
import { bpContract } from './betterprompt-states';
import { asAnyProvider, type ContractProvider } from './provider-states';
import { rtContract } from './runtype-states';

export const contractProviders: Record<ApiName, ContractProvider<unknown>> = {
  betterprompt: asAnyProvider(bpContract),
  runtype: asAnyProvider(rtContract),
};
