/**
 * Several accounts on one embedded provider, without touching the provider's handlers: one handler per account
 * (disjoint data: its own data seed, its own ids), dispatched by bearer token; an unknown token gets the first
 * account's handler, which answers its own 401. The tenant-isolation faults live here, as knobs, each in the
 * stage it breaks: authenticate → pick the account → answer.
 */
import type { EmbeddedOptions } from './api';
import {
  bearerToken,
  type Handler,
  type ProviderRequest,
  type ProviderResponse,
  type RunningServer,
  startJsonServer,
} from './server';

/** Isolation and authentication faults, shared by both APIs (each names the realistic bug it models). */
export const ISOLATION_KNOBS = [
  'first-page-cache-shared',
  'cursor-global',
  'filter-no-owner',
  'count-all-accounts',
  'cursor-trusted-500',
  'auth-skipped-with-cursor',
  'auth-non-bearer-unchecked',
  'key-prefix-match',
  'key-case-insensitive',
  'validate-before-auth',
  'owner-dropped-backward',
  'foreign-cursor-refused-apart',
  'foreign-filter-refused-apart',
] as const;
export type IsolationKnob = (typeof ISOLATION_KNOBS)[number];

const isIsolationKnob = (k: string): k is IsolationKnob => (ISOLATION_KNOBS as readonly string[]).includes(k);

/** Characters of a key the key-prefix-match fault compares: the "lookup prefix" such servers store in clear. */
export const KEY_PREFIX_LENGTH = 16;
/** Rows of the second account unless fewer are asked for: a different size, so counts differ between accounts. */
export const SECOND_ACCOUNT_ROWS = 61;
/** Added to the data seed per account, so no two accounts share an id. */
const SEED_STRIDE = 7919;

export interface AccountHandler<Row> {
  handle: Handler;
  /** Replaces the account's data. */
  setRows(rows: readonly Row[]): void;
}

/** What the wrapper needs to know about one API; everything else it learns by asking the handlers. */
export interface AccountsAdapter<Row, Knob extends string> {
  /** Rows a provider seeds when not told. */
  defaultRows: number;
  /** One account's handler, seeding itself from `rows` and `dataSeed` as the single-account provider does. */
  create(opts: EmbeddedOptions<Knob> & { dataSeed: number }): AccountHandler<Row>;
  /** The rows `create` seeds for these options; `account` > 0 may mark them as another user's (e.g. a userId). */
  seed(rows: number, dataSeed: number, account: number): Row[];
  id(row: Row): string;
  /** Query parameters that carry a cursor. */
  cursorParams: readonly string[];
  /** The row a cursor value points at, when it names one. */
  cursorRowId(value: string): string | undefined;
  /** Query parameters that filter the listing. */
  filterParams: readonly string[];
  /** A row's value for a filter parameter (foreign-filter-refused-apart: whose value a filter names). */
  filterValue?(row: Row, param: string): unknown;
  /** Parameters that make a request page backward (BetterPrompt's endingBefore), for the backward-only fault. */
  backwardParams?: readonly string[];
  /** count-all-accounts: the answer with the other accounts' counts for the same query added (APIs with a count). */
  addCounts?(body: unknown, others: readonly unknown[]): unknown;
  /** cursor-trusted-500: throws (a 500) when a cursor decodes to values the server would use unchecked. */
  trustCursor?(value: string): void;
}

interface Account<Row> {
  key: string;
  handler: AccountHandler<Row>;
  rows: number;
  dataSeed: number;
  ids?: Set<string>;
}

/** A request handler for every account in `opts` (`apiKey`, then `apiKey2` when set). */
export function accountsHandler<Row, Knob extends string>(
  adapter: AccountsAdapter<Row, Knob>,
  opts: EmbeddedOptions<Knob | IsolationKnob>,
): Handler {
  const all = opts.knobs ?? [];
  const iso = new Set(all.filter(isIsolationKnob));
  const providerKnobs = all.filter((k): k is Knob => !isIsolationKnob(k));
  const has = (k: IsolationKnob) => iso.has(k);
  const baseSeed = opts.dataSeed ?? 1;
  const { apiKey2, knobs: _knobs, ...shared } = opts;
  const accounts: Account<Row>[] = [];
  const add = (key: string, n: number | undefined, k: number) => {
    const rows = n ?? adapter.defaultRows;
    const dataSeed = baseSeed + k * SEED_STRIDE;
    const handler = adapter.create({ ...shared, apiKey: key, knobs: providerKnobs, rows, dataSeed });
    // another user's rows (e.g. their userId), not a copy of the first account's
    if (k > 0) handler.setRows(adapter.seed(rows, dataSeed, k));
    accounts.push({ key, handler, rows, dataSeed });
  };
  add(opts.apiKey, opts.rows, 0);
  if (apiKey2 !== undefined) add(apiKey2, Math.min(opts.rows ?? adapter.defaultRows, SECOND_ACCOUNT_ROWS), 1);
  const first = accounts[0] as Account<Row>;

  const idsOf = (a: Account<Row>) => {
    a.ids ??= new Set(adapter.seed(a.rows, a.dataSeed, accounts.indexOf(a)).map((r) => adapter.id(r)));
    return a.ids;
  };
  const withKey = (req: ProviderRequest, key: string): ProviderRequest => ({
    ...req,
    headers: { ...req.headers, authorization: `Bearer ${key}` },
  });
  const as = (a: Account<Row>, req: ProviderRequest) => a.handler.handle(withKey(req, a.key));
  const cursors = (req: ProviderRequest) =>
    adapter.cursorParams.map((p) => req.query.get(p)).filter((v): v is string => v !== null && v !== '');
  /** The account whose row a cursor names. */
  const cursorOwner = (req: ProviderRequest): Account<Row> | undefined => {
    for (const c of cursors(req)) {
      const id = adapter.cursorRowId(c);
      const owner = id === undefined ? undefined : accounts.find((a) => idsOf(a).has(id));
      if (owner) return owner;
    }
    return undefined;
  };

  // filter-no-owner: one handler over every account's rows, as a query without the owner condition would see
  let union: Account<Row> | undefined;
  const everyone = (): Account<Row> => {
    if (!union) {
      const key = `union-${first.key}`;
      const handler = adapter.create({ ...shared, apiKey: key, knobs: providerKnobs, rows: 0, dataSeed: baseSeed });
      handler.setRows(accounts.flatMap((a, k) => adapter.seed(a.rows, a.dataSeed, k)));
      union = { key, handler, rows: 0, dataSeed: baseSeed };
    }
    return union;
  };
  const firstPages = new Map<string, ProviderResponse>();

  /** Stage 1: whose request is it? `undefined`: nobody's. */
  const authenticate = (req: ProviderRequest): Account<Row> | undefined => {
    const header = req.headers.authorization;
    const token = bearerToken(req.headers);
    const known = accounts.find((a) => a.key === token);
    if (known) return known;
    // the key is looked up by its stored prefix and the rest never compared
    if (has('key-prefix-match') && token !== undefined) {
      const near = accounts.find(
        (a) => a.key.length === token.length && a.key.slice(0, KEY_PREFIX_LENGTH) === token.slice(0, KEY_PREFIX_LENGTH),
      );
      if (near) return near;
    }
    // a lower() in the key lookup
    if (has('key-case-insensitive') && token !== undefined) {
      const folded = accounts.find((a) => a.key.toLowerCase() === token.toLowerCase());
      if (folded) return folded;
    }
    // only "Bearer <token>" is verified; any other Authorization value falls through to the default account
    if (has('auth-non-bearer-unchecked') && typeof header === 'string' && token === undefined) return first;
    // a cursor is trusted as proof of an earlier authenticated page
    if (has('auth-skipped-with-cursor') && header === undefined && cursors(req).length)
      return cursorOwner(req) ?? first;
    return undefined;
  };

  return (req) => {
    const caller = authenticate(req);
    if (!caller) {
      if (has('validate-before-auth')) {
        const early = as(first, req);
        if (early.status >= 400 && early.status < 500 && early.status !== 401 && early.status !== 403) return early;
      }
      // the handler's own refusal: its key is not the one sent (provider auth faults still apply)
      return first.handler.handle(req);
    }
    // Stage 2: whose rows answer it
    const cursor = cursors(req);
    if (has('cursor-trusted-500')) for (const c of cursor) adapter.trustCursor?.(c);
    const filtered = adapter.filterParams.some((p) => req.query.get(p) !== null);
    if (has('filter-no-owner') && filtered) return as(everyone(), req);
    // the owner condition forgotten on the backward query path only
    const backward = (adapter.backwardParams ?? []).some((p) => req.query.get(p) !== null);
    if (has('owner-dropped-backward') && backward) return as(everyone(), req);
    // an ownership check of its own after the lookup: another account's row is refused as unauthorised, while an
    // id that exists nowhere gets the ordinary answer, so the answer tells which ids exist
    // the same for a filter value (a flow) that only another account's rows hold
    if (has('foreign-filter-refused-apart') && adapter.filterValue) {
      const value = adapter.filterValue;
      const holds = (a: Account<Row>, p: string, v: string) =>
        adapter.seed(a.rows, a.dataSeed, accounts.indexOf(a)).some((r) => value(r, p) === v);
      for (const p of adapter.filterParams) {
        const v = req.query.get(p);
        if (v && !holds(caller, p, v) && accounts.some((a) => a !== caller && holds(a, p, v)))
          return first.handler.handle(withKey(req, ''));
      }
    }
    if (has('foreign-cursor-refused-apart')) {
      const named = cursorOwner(req);
      if (named && named !== caller) return first.handler.handle(withKey(req, ''));
    }
    const owner = has('cursor-global') ? (cursorOwner(req) ?? caller) : caller;
    if (has('first-page-cache-shared') && !cursor.length && !filtered) {
      // cached by URL, not by account: the first account to ask fills it for everyone
      const key = `${req.path}?${req.query.toString()}`;
      const hit = firstPages.get(key);
      if (hit) return hit;
      const res = as(owner, req);
      if (res.status === 200) firstPages.set(key, res);
      return res;
    }
    // Stage 3: answer
    const res = as(owner, req);
    if (!has('count-all-accounts') || res.status !== 200 || !adapter.addCounts) return res;
    const others = accounts
      .filter((a) => a !== owner)
      .map((a) => as(a, req))
      .filter((r) => r.status === 200)
      .map((r) => r.body);
    return { ...res, body: adapter.addCounts(res.body, others) };
  };
}

/** Starts an embedded provider with one account per key in `opts`. */
export function startAccounts<Row, Knob extends string>(
  adapter: AccountsAdapter<Row, Knob>,
  opts: EmbeddedOptions<Knob | IsolationKnob>,
): Promise<RunningServer> {
  return startJsonServer(accountsHandler(adapter, opts), opts.chaos);
}
