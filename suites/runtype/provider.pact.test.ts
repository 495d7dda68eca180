/** The committed Runtype pact, replayed by the pact-js Verifier against the embedded reference provider. */
import { describeVerification } from '../../src/pact/verification-suite';

describeVerification('runtype', 'contracts/runtype pact verified against the embedded provider', () => ({
  kind: 'embedded',
}));
