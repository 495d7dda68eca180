/** What every API's checks share: the HTTP client, the run settings, a memo, and a log of observations. */
import type { AuthMode, Exchange, HttpClient, Query } from './http';
import { brief, expectThat } from './rule';

export interface RunSettings {
  /** fast-check seed; every run prints it so a failure replays with `CONFORMANCE_SEED`. */
  seed: number;
  /** Generated cases per property. @defaultValue 20 */
  runs: number;
  /** Longest pagination walk on a target whose size we do not know. @defaultValue 1000 */
  walkMaxRows: number;
  /** Replays one counterexample path (with the seed) instead of generating. */
  path?: string | undefined;
  /** Each selected API's own settings (`ApiModule.readSettings`), parsed by `readConfig`, by API name. */
  apiSettings?: Readonly<Record<string, unknown>>;
  /** 'deep' (nightly): walks reach old data beyond walkMaxRows, probes old data, at a larger request cost. @defaultValue 'default' */
  depth?: 'default' | 'deep' | undefined;
}

export abstract class BaseContext {
  /** Every answer seen this run, for the rules that judge all of them (no 5xx, JSON). */
  readonly seen: Exchange[] = [];
  /** The endpoint under the API root, e.g. `/runs`. */
  protected abstract readonly path: string;

  /** Gap ID → distinct observations, in the order first seen. */
  readonly observations = new Map<string, Set<string>>();
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    readonly http: HttpClient,
    readonly settings: RunSettings,
  ) {}

  private driftNotes: string[] = [];
  private coverageNote: string | undefined;
  /** The rule now running, for notes that belong to it. */
  currentRule: string | undefined;

  /** Called by the engine before each rule. */
  beginRule(id: string): void {
    this.currentRule = id;
    this.driftNotes = [];
    this.coverageNote = undefined;
  }

  /** Called by the engine after each rule: the drift it explained (distinct notes, at most 10) and its coverage note. */
  endRule(): { drift: string[]; coverage?: string } {
    const drift = [...new Set(this.driftNotes)].slice(0, 10);
    const coverage = this.coverageNote;
    this.driftNotes = [];
    this.coverageNote = undefined;
    this.currentRule = undefined;
    return coverage === undefined ? { drift } : { drift, coverage };
  }

  /**
   * Records how much of the listing a rule whose statement covers all of it actually checked ("checked over the
   * first 1,000 of 12,000 prompts; …"): reported in its verdict, so a pass is never read as complete when it is not.
   * The first note of a rule stands.
   */
  noteCoverage(what: string): void {
    this.coverageNote ??= what;
  }

  /**
   * Records a difference a rule explained as data that changed during the run, after re-reading the target
   * confirmed it: reported beside the rule's result so a reader sees what was excused and why.
   */
  noteDrift(what: string): void {
    this.driftNotes.push(what);
  }

  /** Records what the target did where the docs are silent; reported under "documentation gaps". */
  observe(gapId: string, what: string): void {
    const set = this.observations.get(gapId) ?? new Set<string>();
    this.observations.set(gapId, set);
    set.add(what);
  }

  /** Computes shared data (first page, walks) once per run, whichever rule asks first. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      // a failed load (budget, transport) may succeed for a later rule; don't pin the failure
      p.catch(() => this.memos.delete(key));
      this.memos.set(key, p);
    }
    return p;
  }

  /** GETs the endpoint; answers that went on the wire are logged in {@link seen}. */
  async get(query: Query, opts: { auth?: AuthMode; fresh?: boolean } = {}): Promise<Exchange> {
    const ex = await this.http.get(this.path, query, opts);
    if (!ex.fromCache) this.seen.push(ex);
    return ex;
  }

  /** No answer of the whole run so far was a 5xx. */
  expectNoServerErrorSeen(): void {
    const bad = this.seen.find((e) => e.status >= 500);
    expectThat(!bad, () => ({
      expected: 'no 5xx all run',
      actual: `${bad?.status} ${brief(bad?.text)}`,
      exchange: bad,
    }));
  }

  /** Every answer of the whole run so far, success or error, was JSON with a JSON content type. */
  expectAllJsonSeen(): void {
    const bad = this.seen.find((e) => !e.isJson || !/json/i.test(e.headers['content-type'] ?? ''));
    expectThat(!bad, () => ({
      expected: 'Content-Type application/json and a JSON body',
      actual: `${bad?.status} ${bad?.headers['content-type'] ?? 'no content type'}; ${brief(bad?.text, 80)}`,
      exchange: bad,
    }));
  }
}
