/** Type guards for JSON read off the wire: network data is `unknown` until one of these narrows it. */

/** A JSON object (not null, not an array): what a body or a field must be before its keys are read. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `keys` inside `v` (`at(body, 'data', 'rows')`), or undefined where a step is not an object. */
export function at(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}
