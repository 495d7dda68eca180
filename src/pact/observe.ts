/**
 * Lenient reads of a list page for state observation. They look only for positive evidence that a state
 * does not hold; anything unreadable is left for verification to judge (see `StateDef.observe`).
 */
import type { HttpClient, Query } from '../shared/http';

export interface SeenPage {
  /** The page's items, when the body has an array where the docs put it. */
  items: unknown[] | undefined;
  /** `hasMore`, when it is a boolean where the docs put it. */
  hasMore: boolean | undefined;
  body: Record<string, unknown> | undefined;
}

/** GET and pick out items/hasMore at the given places; `undefined` fields mean "could not tell". */
export async function seePage(
  http: HttpClient,
  path: string,
  query: Query,
  where: { items: readonly string[]; hasMore: readonly string[] },
): Promise<SeenPage> {
  const ex = await http.get(path, query);
  const body = ex.status === 200 && isObject(ex.body) ? ex.body : undefined;
  const items = at(body, where.items);
  const hasMore = at(body, where.hasMore);
  return {
    items: Array.isArray(items) ? items : undefined,
    hasMore: typeof hasMore === 'boolean' ? hasMore : undefined,
    body,
  };
}

export function at(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
