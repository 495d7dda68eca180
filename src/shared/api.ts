/** The shape every API folder exports; a diff between two API modules is the API difference. */
import type { BaseContext, RunSettings } from './context';
import type { HttpClient, Query } from './http';
import type { DocGap, Rule } from './rule';
import type { Chaos, RunningServer } from './server';

export const API_NAMES = ['betterprompt', 'runtype'] as const;
export type ApiName = (typeof API_NAMES)[number];

/** Environment variables as read by `readConfig` (`process.env`, or a test's object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A deliberate deviation of the reference provider that one rule must catch. */
export interface Fault<Knob extends string = string> {
  knob: Knob;
  /** What a real server doing this would look like. */
  description: string;
  /** Rows the provider needs for the fault to show (faults in old data). */
  rows?: number;
}

/**
 * Data that changes while the suite runs, as on a staging account that receives traffic. Counted in requests
 * the provider answers; each provider decides what a new row, a status change and an edit look like.
 */
export interface Drift {
  /** A new row (newest) arrives after every n-th request. */
  addEvery?: number;
  /** A row's status moves on (e.g. queued → running → succeeded) after every n-th request. */
  statusEvery?: number;
  /** A row is edited (name/text/updatedAt) after every n-th request. */
  editEvery?: number;
}

/** A further fault a rule must catch, beside the one in `faults`. */
export interface ExtraFault<Id extends string = string, Knob extends string = string> extends Fault<Knob> {
  rule: Id;
}

export interface EmbeddedOptions<Knob extends string = string> {
  apiKey: string;
  /** A second account with its own, disjoint data (see `src/shared/accounts.ts`); none when absent. */
  apiKey2?: string;
  knobs?: readonly Knob[];
  chaos?: Chaos;
  rows?: number;
  /** Seed of the provider's generated data. @defaultValue 1 */
  dataSeed?: number;
  drift?: Drift;
}

export interface ApiModule<
  Id extends string = string,
  Ctx extends BaseContext = BaseContext,
  Knob extends string = string,
  Own = unknown,
> {
  name: ApiName;
  /** e.g. "BetterPrompt GET /v1/runs". */
  title: string;
  /**
   * Env names for the target, and the module's own settings variables (what {@link readSettings} reads), so
   * the run's configuration knows every variable without a list of its own. `settings` @defaultValue []
   */
  env: { baseUrl: string; apiKey: string; settings?: readonly string[] };
  /** Requests per second on a configured target unless CONFORMANCE_RATE says otherwise. */
  liveRate: number;
  /** Path under /v1 and query of the cheap request that checks reachability and the key. */
  probe: { path: string; query: Query };
  rules: readonly Rule<Id, Ctx>[];
  /**
   * Rules whose failure makes others fail as a consequence (they vouch for the listing other rules
   * compare against); a failure of one becomes a hint in the report, so a reader fixes it first.
   */
  rootCauses: { rules: readonly Id[]; because: string };
  gaps: readonly DocGap[];
  faults: Record<Id, Fault<Knob>>;
  /** More faults for rules that cover combinations: each must fail its `rule`; `rows` when it hides in old data. */
  extraFaults?: readonly ExtraFault<Id, Knob>[];
  /**
   * Parses and checks this API's own settings (its env variables); `readConfig` calls it for every selected API,
   * so a bad value is a ConfigError before the first request. Given `{}`, it returns the defaults.
   */
  readSettings(env: Env): Own;
  /** `own`: what {@link readSettings} returned for this run. */
  createContext(http: HttpClient, settings: RunSettings, own: Own): Ctx;
  startProvider(opts: EmbeddedOptions<Knob>): Promise<RunningServer>;
}

/**
 * Erases the rule/context/knob type parameters for the engine, which treats every API alike.
 * Sound because each module's rules only ever receive the context its own `createContext` built.
 */
export function asGenericApi<Id extends string, Ctx extends BaseContext, Knob extends string, Own>(
  api: ApiModule<Id, Ctx, Knob, Own>,
): ApiModule {
  return api as unknown as ApiModule;
}
