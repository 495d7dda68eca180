import { runtype } from '../../src/apis/runtype';
import { asGenericApi } from '../../src/shared/api';
import { describeCatalogue } from '../run-catalogue';

describeCatalogue('runtype', asGenericApi(runtype));
