/** Secret redaction: applied in the HTTP client before anything is logged or written. */

const MASK = '[redacted]';

/** Values shorter than this are not worth hunting for in free text (and would over-match). */
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();

/** Registers a key so that {@link redactText} removes it wherever it later appears. */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return;
  secrets.add(secret);
  // a target may echo it escaped: JSON (`\/`, `\u…`) or percent-encoded
  for (const v of [
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    encodeURIComponent(secret),
  ])
    if (v !== secret) secrets.add(v);
}

/** Masks an Authorization header value, keeping the scheme so a reader knows what was sent. */
export function redactAuthorization(value: string): string {
  const m = /^(\S+)\s+\S+/.exec(value);
  return m ? `${m[1]} ${MASK}` : MASK;
}

/** Removes every registered secret and any bearer token from free text (bodies, errors, URLs). */
export function redactText(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(MASK);
  // a target may echo a header we did not register (e.g. a wrong key we generated)
  return out.replace(/(Bearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi, `$1${MASK}`);
}

/** Header record with Authorization (and cookies) masked. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    out[k] = lower === 'authorization' ? redactAuthorization(v) : lower === 'cookie' ? MASK : redactText(v);
  }
  return out;
}

/** A copy-pasteable curl line with the key redacted (`-X`/`--data` only for a method other than GET). */
export function curlLine(
  url: string,
  headers: Record<string, string>,
  opts: { method?: string; body?: string } = {},
): string {
  const parts = ['curl', '-sS'];
  if (opts.method === 'HEAD') parts.push('-I');
  else if (opts.method && opts.method !== 'GET') parts.push('-X', opts.method);
  if (opts.body !== undefined) parts.push('--data', shellQuote(redactText(opts.body)));
  for (const [k, v] of Object.entries(redactHeaders(headers))) parts.push('-H', shellQuote(`${k}: ${v}`));
  parts.push(shellQuote(redactText(url)));
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
