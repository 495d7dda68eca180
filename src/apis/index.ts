/** Every API module the suite knows, by name. */
import { type ApiModule, type ApiName, asGenericApi } from '../shared/api';
import { betterprompt } from './betterprompt';
import { runtype } from './runtype';

export const apis: Record<ApiName, ApiModule> = {
  betterprompt: asGenericApi(betterprompt),
  runtype: asGenericApi(runtype),
};
