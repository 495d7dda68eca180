/**
 * Run progress on stderr: rules done / total and the current API's requests used / budget.
 * On a terminal one line is rewritten in place (and cleared around stdout lines); in CI or a pipe,
 * plain lines at each quarter of the run and at the end of each API, so logs stay readable.
 */
import type { ApiName } from '../shared/api';
import type { RuleResult } from '../shared/report';

export interface ProgressOptions {
  /** Rules selected for the run, over all APIs. */
  total: number;
  /** Request budget per API (CONFORMANCE_MAX_REQUESTS). */
  budget: number;
  /** Rewrite one line in place (a TTY outside CI) or print plain lines. */
  live: boolean;
  write: (text: string) => void;
}

/** A TTY outside CI: the rule, `CI` set or stdout not a terminal means plain lines. */
export function isLive(
  stdoutIsTty: boolean | undefined,
  stderrIsTty: boolean | undefined,
  env: Record<string, string | undefined>,
): boolean {
  return Boolean(stdoutIsTty && stderrIsTty) && !env.CI;
}

const CLEAR = '\r\x1b[2K';

export class Progress {
  private done = 0;
  private api: ApiName | undefined;
  private requests = 0;
  private shown = false;
  private lastQuarter = 0;
  private lastPlain = '';

  constructor(private readonly opts: ProgressOptions) {}

  /** Counts a finished rule and shows the new state. */
  rule(r: RuleResult): void {
    if (r.api !== this.api) {
      this.api = r.api;
      this.requests = 0;
    }
    this.done++;
    this.requests += r.requests;
    if (this.opts.live) {
      this.draw();
      return;
    }
    const quarter = Math.floor((this.done * 4) / Math.max(1, this.opts.total));
    if (quarter > this.lastQuarter && this.done < this.opts.total) {
      this.lastQuarter = quarter;
      this.plain();
    }
  }

  /** An API finished: a plain line says where the run stands (live mode keeps its line). */
  apiDone(): void {
    if (!this.opts.live) this.plain();
  }

  private plain(): void {
    const line = `progress: ${this.text()}\n`;
    if (line !== this.lastPlain) this.opts.write(line);
    this.lastPlain = line;
  }

  /** Removes the live line so a stdout line can be printed; call {@link draw} after it. */
  clear(): void {
    if (this.opts.live && this.shown) {
      this.opts.write(CLEAR);
      this.shown = false;
    }
  }

  draw(): void {
    if (!this.opts.live || this.done >= this.opts.total) return;
    this.opts.write(`${CLEAR}${this.text()}`);
    this.shown = true;
  }

  /** Clears the live line for good. */
  finish(): void {
    this.clear();
  }

  text(): string {
    return `${this.done}/${this.opts.total} rules · ${this.api ?? '—'} ${this.requests}/${this.opts.budget} requests`;
  }
}
