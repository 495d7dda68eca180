/**
 * Where a run sends its requests: the configured target, or an embedded reference provider started here with
 * fresh keys. The CLI, the vitest suites and Pact verification all open their target through {@link openTarget}.
 */
import { randomBytes } from 'node:crypto';

/** A target from the environment (`<API>_BASE_URL`, `<API>_API_KEY`, `<API>_API_KEY_2`). */
export interface TargetConfig {
  baseUrl: string;
  apiKey: string;
  /** `<API>_API_KEY_2`: a second account's key; the tenant-isolation rules run only with it. */
  apiKey2?: string | undefined;
}

export interface Target extends TargetConfig {
  kind: 'embedded' | 'configured';
}

/** The keys an embedded provider is started with: one account, or two. */
export interface EmbeddedKeys {
  apiKey: string;
  apiKey2?: string;
}

export interface OpenTarget<Server> {
  target: Target;
  /** The embedded provider, when one was started. */
  server: Server | undefined;
  /** Stops the embedded provider, if any. */
  close(): Promise<void>;
}

/**
 * The configured target as it is, else the embedded provider `start` returns, started with fresh random keys:
 * a second account by default, so the isolation rules run against the reference too.
 */
export async function openTarget<Server extends { url: string; close(): Promise<void> }>(
  configured: TargetConfig | undefined,
  start: (keys: EmbeddedKeys) => Promise<Server>,
  opts: { secondAccount?: boolean } = {},
): Promise<OpenTarget<Server>> {
  if (configured)
    return { target: { kind: 'configured', ...configured }, server: undefined, close: () => Promise.resolve() };
  const apiKey = embeddedKey();
  const apiKey2 = opts.secondAccount === false ? undefined : embeddedKey();
  const server = await start({ apiKey, ...(apiKey2 ? { apiKey2 } : {}) });
  return { target: { kind: 'embedded', baseUrl: server.url, apiKey, apiKey2 }, server, close: () => server.close() };
}

function embeddedKey(): string {
  return `embedded-${randomBytes(8).toString('hex')}`;
}
