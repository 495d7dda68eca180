/**
 * How a provider state is arranged. On the embedded reference provider a state seeds exactly the data its
 * sentence names. A live target cannot be seeded: a state either holds there by observation (a few GETs
 * show it, and hand over the values the interaction needs, such as a cursor) or its interactions are skipped.
 */
import type { ApiName } from '../shared/api';
import type { HttpClient } from '../shared/http';
import type { Handler } from '../shared/server';

/** Values a state hands to the interaction (pact `fromProviderState` expressions), e.g. `{ lastRunId }`. */
export type StateParams = Record<string, string>;

export type Observation = { holds: true; params: StateParams } | { holds: false; reason: string };

export const holds = (params: StateParams = {}): Observation => ({ holds: true, params });
export const doesNotHold = (reason: string): Observation => ({ holds: false, reason });

export interface StateDef<Data> {
  /** Exactly the data the sentence names, for the embedded provider. */
  seed: () => Data;
  /** The params on the embedded provider, when the seed alone determines them. */
  seedParams?: (data: Data) => StateParams;
  /** The params are opaque (a cursor): read them by `observe` from the seeded embedded provider too. */
  observeOnEmbedded?: boolean;
  /**
   * Whether the state holds on a target, and the params it yields; GETs only. It answers "does not hold"
   * only on positive evidence (no second page, no such run): an answer it cannot read counts as holding,
   * so a broken provider fails verification instead of having its interactions skipped.
   */
  observe?: (http: HttpClient) => Promise<Observation>;
  /** Why the state cannot be arranged on a live target (when it cannot be observed). */
  unarrangeable?: string;
}

/** An embedded provider whose data the state handlers replace. */
export interface SeedableProvider<Data> {
  url: string;
  setData: (data: Data) => void;
  close: () => Promise<void>;
}

export interface ContractProvider<Data> {
  api: ApiName;
  /** One entry per state sentence the API's pact uses. */
  states: Readonly<Record<string, StateDef<Data>>>;
  /** Starts the reference provider with no data; `wrap` lets a self-test put a fault between it and the verifier. */
  startEmbedded: (apiKey: string, wrap?: (h: Handler) => Handler) => Promise<SeedableProvider<Data>>;
}

/**
 * Erases the data type for the registry. Sound because a provider's state handlers only ever hand it the
 * data its own `seed` functions built.
 */
export function asAnyProvider<Data>(p: ContractProvider<Data>): ContractProvider<unknown> {
  return p as unknown as ContractProvider<unknown>;
}
