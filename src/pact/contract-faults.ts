/**
 * Test-only wrappers that break something a consumer relies on, between a reference provider and the
 * verifier. The self-test checks that verification then fails and names the interaction.
 */
import type { Handler } from '../shared/server';

/** Renames `from` to `to` wherever it occurs as a key in a 200 body (e.g. `hasMore` → `has_more`). */
export function renameField(from: string, to: string): (h: Handler) => Handler {
  return mapOkBody((v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k === from ? to : k, x]))
      : v,
  );
}

/** Drops the key `name` wherever it occurs in a 200 body (e.g. `nextCursor`). */
export function dropField(name: string): (h: Handler) => Handler {
  return mapOkBody((v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== name))
      : v,
  );
}

/** Replaces the value of the key `name` wherever it occurs in a 200 body (e.g. `credits` as a string). */
export function mapField(name: string, f: (v: unknown) => unknown): (h: Handler) => Handler {
  return mapOkBody((v) =>
    v && typeof v === 'object' && !Array.isArray(v) && name in v
      ? { ...v, [name]: f((v as Record<string, unknown>)[name]) }
      : v,
  );
}

/** Drops the query parameter `name` before the provider sees it (e.g. a provider that ignores `endingBefore`). */
export function ignoreQuery(name: string): (h: Handler) => Handler {
  return (h) => (req) => {
    const query = new URLSearchParams(req.query);
    query.delete(name);
    return h({ ...req, query });
  };
}

function mapOkBody(f: (v: unknown) => unknown): (h: Handler) => Handler {
  const deep = (v: unknown): unknown => {
    const w = f(v);
    if (Array.isArray(w)) return w.map(deep);
    if (w && typeof w === 'object') return Object.fromEntries(Object.entries(w).map(([k, x]) => [k, deep(x)]));
    return w;
  };
  return (h) => (req) => {
    const res = h(req);
    return res.status === 200 && res.body !== undefined ? { ...res, body: deep(res.body) } : res;
  };
}
