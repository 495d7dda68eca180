/** Every API module the suite knows, by name. */
import { type ApiModule, type ApiName, asGenericApi } from '../shared/api';
import { betterprompt } from './betterprompt';

export const apis: Partial<Record<ApiName, ApiModule>> = {
  betterprompt: asGenericApi(betterprompt),
};
