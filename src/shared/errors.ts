/**
 * Errors the suite raises on purpose. Each carries a one-line message that names the
 * problem and the fix; the CLI prints `message` alone (never a stack) and exits 2.
 */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** Our own configuration is wrong (env, flags, baseline file). */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
}

/** The target cannot be checked at all (unreachable, TLS, key refused, not JSON). */
export class TargetError extends UsageError {
  override readonly name = 'TargetError';
}

/** The request budget or the run deadline ran out: remaining work is skipped, not passed. */
export class BudgetExhausted extends Error {
  override readonly name = 'BudgetExhausted';
}

/** A write (non-GET/HEAD) on a run that does not allow writes: the rule needing it is skipped, nothing is sent. */
export class WriteRefused extends UsageError {
  override readonly name = 'WriteRefused';
}

/** A network-level failure after retries (refused, reset, timeout, DNS, TLS). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
