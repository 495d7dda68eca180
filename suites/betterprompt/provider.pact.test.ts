/** The committed BetterPrompt pact, replayed by the pact-js Verifier against the embedded reference provider. */
import { describeVerification } from '../../src/pact/verification-suite';

describeVerification('betterprompt', 'contracts/betterprompt pact verified against the embedded provider', () => ({
  kind: 'embedded',
}));
