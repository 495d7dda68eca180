/**
 * What both APIs' tenant-isolation and authentication rules share: the second-key gate, the leak test
 * ("a row of account A seen under B's key"), and the refusal test for requests that must not authenticate.
 */
import type { BaseContext } from './context';
import type { AuthMode, Exchange, Query } from './http';
import { Blocked, brief, expectThat, Skip } from './rule';

/** Pages each account's listing is walked for the isolation rules: bounds their cost on a live target. */
export const ISOLATION_PAGES = 4;

/** One account's rows as far as walked: the ids are what "its own rows" means to the rules. */
export interface Listing {
  ids: string[];
  /** The walk ended on the last page (not at the page cap or on an error). */
  complete: boolean;
  /** The answers walked, first page first. */
  pages: Exchange[];
}

/** Throws a Skip (never a pass) when no second account's key is configured. */
export function requireSecondKey(ctx: BaseContext, env: string): void {
  if (ctx.http.secondKeyRefused)
    throw new Skip('the embedded provider refused the second key: it serves one account, so isolation is not checked');
  if (!ctx.http.hasSecondKey)
    throw new Skip(
      `no second account: set ${env} to a key of another user on the same target to check tenant isolation`,
    );
}

/** Ids listed under one key and not the other: a row of `own` seen under the other key is a leak. */
export function onlyIn(own: Listing, other: Listing): Set<string> {
  const theirs = new Set(other.ids);
  return new Set(own.ids.filter((id) => !theirs.has(id)));
}

/** The rule that owns "every answer is JSON" for the API the request went to. */
function jsonRuleOf(ex: Exchange): string {
  return new URL(ex.request.url).pathname.endsWith('/prompts') ? 'RT-RESP-JSON' : 'BP-RESP-JSON';
}

/**
 * A 4xx (refused) or a page holding none of `foreign`: anything else is a leak or a crash.
 * `rows` reads a 200 page's row ids, `undefined` when the answer is not a page.
 */
export function expectRefusedOrOwn(
  ex: Exchange,
  rows: (ex: Exchange) => string[] | undefined,
  foreign: ReadonlySet<string>,
  what: string,
): void {
  if (ex.status >= 400 && ex.status < 500) return;
  // a 200 that is not JSON is the JSON rule's one finding (the audit reports it): nothing to judge here
  if (ex.status === 200 && !ex.isJson)
    throw new Blocked([jsonRuleOf(ex)], `a 200 answer is not JSON; this check reads its rows for ${what}`);
  const ids = ex.status === 200 ? rows(ex) : undefined;
  expectThat(ids !== undefined, () => ({
    expected: `a 4xx or a page of the caller's own rows for ${what}`,
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
  const leaked = ids.filter((id) => foreign.has(id));
  expectThat(leaked.length === 0, () => ({
    expected: `only the caller's own rows for ${what}`,
    actual: `${leaked.length} of ${ids.length} rows belong to the other account (e.g. ${leaked[0]})`,
    exchange: ex,
  }));
}

/**
 * No existence leak: where another account's id is refused, an id that exists nowhere, sent the same way with the
 * same key, gets the same status and a body of the same shape (its top-level keys). Otherwise the answer tells a
 * caller which ids exist in other accounts. A foreign id answered with a page of the caller's own rows is judged
 * by {@link expectRefusedOrOwn}.
 */
export function expectAnsweredAsUnknown(foreign: Exchange, unknown: Exchange, what: string): void {
  if (foreign.status < 400 || foreign.status >= 500) return;
  const shape = (ex: Exchange) =>
    ex.isJson && typeof ex.body === 'object' && ex.body !== null ? Object.keys(ex.body).sort().join(',') : 'not JSON';
  expectThat(foreign.status === unknown.status && shape(foreign) === shape(unknown), () => ({
    expected: `${what} answered as an id that exists nowhere is (${unknown.status}, body keys ${shape(unknown)}), so the answer does not tell that it exists`,
    actual: `${foreign.status}, body keys ${shape(foreign)}: ${brief(foreign.text, 80)}`,
    exchange: foreign,
  }));
}

/** One request that must not authenticate: what it sends and how to describe it. */
export interface AuthProbe {
  path: string;
  query: Query;
}

export const AUTH_LABEL: Record<AuthMode, string> = {
  key: 'the key',
  second: "the second account's key",
  none: 'no Authorization header',
  wrong: 'a random wrong key',
  near: 'a near-miss key (same length and prefix, last character changed)',
  'near-case': "a near-miss key (the real key with its last letter's case flipped)",
  empty: '"Authorization: Bearer " with an empty token',
  raw: 'the real key without the "Bearer " scheme',
  'raw-wrong': 'a wrong key without the "Bearer " scheme',
};

/** Headers that are not "Bearer <token>": a 400 (RFC 6750 invalid_request) refuses them as well as a 401/403. */
const MALFORMED: ReadonlySet<AuthMode> = new Set(['empty', 'raw', 'raw-wrong']);

/**
 * Every probe with every mode is refused: 401 or 403 (or 400 for a malformed header), and no row of `known`
 * in the body beyond the ids the request itself carried (a server may echo a cursor back).
 */
export async function expectRefusedEverywhere(
  ctx: BaseContext,
  modes: readonly AuthMode[],
  probes: readonly AuthProbe[],
  known: ReadonlySet<string>,
  gap: string,
): Promise<void> {
  for (const auth of modes) {
    for (const p of probes) {
      const ex = await ctx.get(p.query, { auth });
      // which refusal status each kind of bad credential gets is a documentation gap: record it
      ctx.observe(gap, `${AUTH_LABEL[auth]} → ${ex.status}`);
      const sent = Object.values(p.query).map(String);
      const where = `${AUTH_LABEL[auth]} on ${p.path}`;
      const allowed = MALFORMED.has(auth) ? [400, 401, 403] : [401, 403];
      expectThat(allowed.includes(ex.status), () => ({
        expected: `${allowed.join(' or ')} for ${where}`,
        actual: `${ex.status} ${brief(ex.text)}`,
        exchange: ex,
      }));
      const leaked = [...known].find((id) => !sent.includes(id) && ex.text.includes(id));
      expectThat(leaked === undefined, () => ({
        expected: `no rows in the refusal for ${where}`,
        actual: `the body names row ${leaked}: ${brief(ex.text)}`,
        exchange: ex,
      }));
    }
  }
}
