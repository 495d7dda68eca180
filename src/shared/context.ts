/** What every API's checks share: the HTTP client, the run settings, a memo, and a log of observations. */
import { type AuditNote, AuditLog } from './audit';
import type { AuthMode, Exchange, HttpClient, Query } from './http';
import { Blocked, brief, expectThat, type ViolationDetail } from './rule';

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

  /** GETs the endpoint; answers that went on the wire are logged in {@link seen} and audited. */
  async get(query: Query, opts: { auth?: AuthMode; fresh?: boolean } = {}): Promise<Exchange> {
    const ex = await this.http.get(this.path, query, opts);
    if (!ex.fromCache) {
      this.seen.push(ex);
      this.carrierOf.set(ex, this.currentRule);
      for (const note of this.auditResponse(ex)) this.auditFinding(note);
    }
    return ex;
  }

  /** The response audit's findings, by owner rule (see audit.ts). */
  readonly audit = new AuditLog();
  private deferredAt = 0;
  /** The rule whose request each answer was, for the replay line of a finding it shows. */
  private readonly carrierOf = new WeakMap<Exchange, string | undefined>();

  /** Records an audit finding under its owner, carried by the rule that sent the request that showed it. */
  protected auditFinding(note: AuditNote): void {
    const ex = note.detail.exchange;
    this.audit.add(note, ex && this.carrierOf.has(ex) ? this.carrierOf.get(ex) : this.currentRule);
  }

  /** Rules that failed so far this run (the engine records each as it ends): what {@link blockedByFailed} reads. */
  readonly failedRules = new Set<string>();

  /**
   * Throws {@link Blocked} when one of `owners` already failed this run and its fault breaks every request this rule
   * would judge (a status filter that lists wrong rows breaks every status-filtered walk): one fault, one failure.
   */
  blockedByFailed(owners: readonly string[], why: string): void {
    const by = owners.filter((o) => this.failedRules.has(o));
    if (by.length) throw new Blocked(by, `${by.join(', ')} failed; ${why}`);
  }

  /**
   * A finding of the running rule's statement that another rule's failure would explain as well (a total off because
   * a filter lists the wrong rows): reported under `owner` after the run only when none of `unless` failed.
   */
  reportUnless(owner: string, detail: ViolationDetail, unless: readonly string[]): void {
    this.auditFinding({ owner, detail, unless });
  }

  /**
   * Judges one answer by every statement that needs nothing but the answer itself (schema, filters, window,
   * order, page arithmetic, owner). Each API overrides it; it must not send requests.
   */
  protected auditResponse(_ex: Exchange): AuditNote[] {
    return [];
  }

  /**
   * Judges answers against what the run has established (the trusted reference, the other account's rows).
   * Each API overrides it; `pending` are the answers not yet judged this way. It may re-read to tell drift
   * from a fault; findings go to {@link auditFinding}. Returns the answers it could not judge yet (the reference
   * not built): they are offered again.
   */
  protected async auditAgainstRun(_pending: readonly Exchange[]): Promise<Exchange[]> {
    return [];
  }

  /** Runs the deferred audit over the answers received since the last call; the engine calls it after each rule. */
  async flushAudit(): Promise<void> {
    const pending = [...this.waiting, ...this.seen.slice(this.deferredAt)];
    this.deferredAt = this.seen.length;
    this.waiting = await this.auditAgainstRun(pending);
  }
  /** Answers the deferred audit could not judge yet (no trusted reference so far). */
  private waiting: Exchange[] = [];

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
