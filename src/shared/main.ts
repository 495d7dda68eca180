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
