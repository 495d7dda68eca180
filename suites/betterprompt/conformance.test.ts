import { betterprompt } from '../../src/apis/betterprompt';
import { asGenericApi } from '../../src/shared/api';
import { describeCatalogue } from '../run-catalogue';

describeCatalogue('betterprompt', asGenericApi(betterprompt));
