/** What every API's checks share: the HTTP client, the run settings, a memo, and a log of observations. */
import type { HttpClient } from './http';

export interface RunSettings {
  /** fast-check seed; every run prints it so a failure replays with `CONFORMANCE_SEED`. */
  seed: number;
  /** Generated cases per property. @defaultValue 20 */
  runs: number;
  /** Longest pagination walk on a target whose size we do not know. @defaultValue 1000 */
  walkMaxRows: number;
  /** Replays one counterexample path (with the seed) instead of generating. */
  path?: string | undefined;
}

export class BaseContext {
  /** Gap ID → distinct observations, in the order first seen. */
  readonly observations = new Map<string, Set<string>>();
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    readonly http: HttpClient,
    readonly settings: RunSettings,
  ) {}

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
}
