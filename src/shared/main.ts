/** The one way a command ends: its exit code, or a single stderr line for an error — never a stack. */
import { errorMessage, UsageError } from './errors';
import { redactText } from './redact';

/**
 * Runs a command's `main` and sets the exit code. Our own errors print `error: <problem>; <fix>` and exit 2;
 * anything else is labelled as our bug, still on one line and redacted.
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const msg = redactText(errorMessage(e)).replace(/\s+/g, ' ').trim();
      console.error(e instanceof UsageError ? `error: ${msg}` : `internal error: ${msg} (please report this)`);
      process.exitCode = 2;
    },
  );
}

/** How long after a signal the same signal again counts as a duplicate rather than a deliberate "exit now". */
export const DUPLICATE_SIGNAL_MS = 1000;

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Interrupts {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The signal that stopped the run, if any. */
  received(): StopSignal | undefined;
  /** Lingers until a duplicate of the signal can no longer arrive (the handlers stay on until exit). */
  settle(): Promise<void>;
}

/**
 * Ctrl-C (SIGINT) and a CI runner's cancel or timeout (SIGTERM) both stop the run gracefully: the first one
 * aborts `signal` so the command writes the report of what finished and exits with its documented code.
 * A terminal delivers Ctrl-C to the whole process group and `npm run` forwards it too, so the same signal
 * within {@link DUPLICATE_SIGNAL_MS} is absorbed; a later one exits at once (130 or 143) without a report.
 * `before` runs before the notice is printed (e.g. to clear a progress line).
 */
export function interrupts(what: string, before: () => void = () => undefined): Interrupts {
  const ac = new AbortController();
  let first: { signal: StopSignal; at: number } | undefined;
  const handler = (signal: StopSignal) => () => {
    if (first === undefined) {
      first = { signal, at: Date.now() };
      before();
      console.error(
        `${signal === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)'}: stopping ${what}, then writing the report of what finished`,
      );
      ac.abort(signal);
      return;
    }
    if (Date.now() - first.at > DUPLICATE_SIGNAL_MS) {
      before();
      console.error(`${signal} again: exiting without writing the report`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', handler('SIGINT'));
  process.on('SIGTERM', handler('SIGTERM'));
  return {
    signal: ac.signal,
    received: () => first?.signal,
    settle: async () => {
      // a duplicate landing while the process exits would kill it by signal, and npm would exit 130/143
      const since = first?.at;
      if (since !== undefined)
        await new Promise((r) => setTimeout(r, Math.max(0, since + DUPLICATE_SIGNAL_MS - Date.now())));
    },
  };
}
