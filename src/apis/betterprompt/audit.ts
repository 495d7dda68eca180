/**
 * The response audit for `GET /v1/runs`: every answer to either key, whichever rule asked, is held to every
 * statement its request fixes (see src/shared/audit.ts). Each check names the rule that owns the statement.
 */
import {
  type AuditNote,
  hasRepeatedParam,
  intParam,
  type Note,
  notesFor,
  notJson,
  type Path,
  Sightings,
  sentQuery,
} from '../../shared/audit';
import { json } from '../../shared/expect';
import { at, isRecord } from '../../shared/guards';
import type { Exchange } from '../../shared/http';
import { idsWithTimes, isRunStatus, MAX_LIMIT, type Reference, type RowView, rowAt, rowView, second } from './pager';

const DEFAULT_LIMIT = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request the docs fix the answer of: valid parameters only (a 200 to an invalid one is a validation rule's). */
export interface RunsRequest {
  limit: number;
  limitSent: boolean;
  status: string | undefined;
  since: number | undefined;
  until: number | undefined;
  startingAfter: string | undefined;
  endingBefore: string | undefined;
  auth: 'key' | 'second';
}

/** The request behind an answer, when it is one the docs fix; undefined for invalid or other-auth requests. */
export function runsRequest(ex: Exchange): RunsRequest | undefined {
  const auth = ex.request.auth;
  if ((auth !== 'key' && auth !== 'second') || hasRepeatedParam(ex)) return undefined;
  const q = sentQuery(ex);
  const limit = q.limit === undefined ? DEFAULT_LIMIT : intParam(q.limit);
  const since = q.since === undefined ? undefined : intParam(q.since);
  const until = q.until === undefined ? undefined : intParam(q.until);
  const valid =
    limit !== undefined &&
    limit >= 1 &&
    limit <= MAX_LIMIT &&
    (q.since === undefined || since !== undefined) &&
    (q.until === undefined || until !== undefined) &&
    (since === undefined || until === undefined || since < until) &&
    (q.status === undefined || isRunStatus(q.status)) &&
    !(q.startingAfter !== undefined && q.endingBefore !== undefined) &&
    [q.startingAfter, q.endingBefore].every((c) => c === undefined || UUID.test(c));
  if (!valid) return undefined;
  return {
    limit,
    limitSent: q.limit !== undefined,
    status: q.status,
    since,
    until,
    startingAfter: q.startingAfter,
    endingBefore: q.endingBefore,
    auth,
  };
}

/** A 200 page read without judging its shape (the shape rules do that); undefined when rows cannot be read. */
export function lenientRows(ex: Exchange): { rows: RowView[]; hasMore: boolean } | undefined {
  const data = at(ex.body, 'data');
  if (!isRecord(data) || (data.rows !== null && !Array.isArray(data.rows)) || typeof data.hasMore !== 'boolean')
    return undefined;
  // rows null on an empty page is BP-EMPTY-PAGE's finding, read as no rows
  const rows = (Array.isArray(data.rows) ? data.rows : []).map(rowView);
  return { rows, hasMore: data.hasMore };
}

/** What the audit has learnt from every answer so far: each account's runs by id, and the paths that listed them. */
export class RunsSeen {
  readonly byAuth = { key: new Map<string, RowView>(), second: new Map<string, RowView>() };
  readonly sightings = new Sightings({
    plain: 'BP-ISO-DISJOINT',
    cursor: 'BP-ISO-CURSOR',
    filter: 'BP-ISO-FILTER',
  });
}

/** Judges one answer by every statement its request fixes, without any other knowledge than the runs seen. */
export function auditRunsAnswer(ex: Exchange, seen: RunsSeen): AuditNote[] {
  const req = runsRequest(ex);
  if (!req || ex.status !== 200) return [];
  const { notes, note } = notesFor(ex);
  if (!ex.isJson) {
    note('BP-RESP-JSON', 'a JSON body on a 200 page of runs', notJson(ex));
    return notes;
  }
  const status = at(ex.body, 'status');
  if (status !== 'SUCCESS') note('BP-RESP-ENVELOPE', 'status "SUCCESS"', `status ${json(status)}`);
  const page = lenientRows(ex);
  if (!page) return notes;
  const { rows, hasMore } = page;
  const filtered = req.status !== undefined || req.since !== undefined || req.until !== undefined;
  const backward = req.endingBefore !== undefined;
  if (rows.length > req.limit)
    note(
      backward ? 'BP-CURSOR-BEFORE' : req.limitSent ? 'BP-LIMIT-BOUND' : 'BP-LIMIT-DEFAULT',
      `at most ${req.limit} rows${req.limitSent ? '' : ' (the default limit)'}`,
      `${rows.length} rows`,
      // forward pages over the limit too: the limit's own rules report it
      backward ? ['BP-LIMIT-BOUND', 'BP-LIMIT-DEFAULT'] : undefined,
    );
  const timed = rows.every((r) => !Number.isNaN(r.ms));
  const k = timed ? rows.findIndex((r, i) => i > 0 && r.ms > rowAt(rows, i - 1).ms) : -1;
  // the order of an endingBefore page is that cursor's statement (BP-GAP-BACKWARD-ORDER: newest first assumed)
  if (k > 0)
    note(
      backward ? 'BP-CURSOR-BEFORE' : 'BP-ORDER-NEWEST-FIRST',
      'rows newest first (createdAt non-increasing)',
      `position ${k} ${idsWithTimes([rowAt(rows, k)], 1)} is newer than position ${k - 1} ${idsWithTimes([rowAt(rows, k - 1)], 1)}`,
      backward ? ['BP-ORDER-NEWEST-FIRST'] : undefined,
    );
  // a runStatus outside the documented values is BP-ROW-STATUS's finding, not the filter's
  const valid = isRunStatus;
  const wrongStatus =
    req.status === undefined ? undefined : rows.find((r) => valid(r.runStatus) && r.runStatus !== req.status);
  if (wrongStatus)
    note(
      'BP-STATUS-FILTER',
      `every row runStatus ${json(req.status)} (${describe(req)})`,
      `run ${wrongStatus.runId} has runStatus ${json(wrongStatus.runStatus)}`,
      // an endingBefore page that drops the filters is that cursor's statement (BP-FILTER-BEFORE)
      backward ? ['BP-FILTER-BEFORE'] : undefined,
    );
  windowEdges(req, rows, note);
  cursorSide(req, rows, seen.byAuth[req.auth], filtered, note);
  if (hasMore && rows.length < req.limit && req.endingBefore === undefined)
    note(
      'BP-HASMORE-FULL',
      `${req.limit} rows on a page with hasMore true (${describe(req)})`,
      `${rows.length} rows with hasMore true`,
      // a short page while more follow is also the limit's own statement (exactly limit rows while more follow)
      ['BP-LIMIT-BOUND'],
    );
  ownerAndIdentity(req, ex, rows, seen, note);
  return notes;
}

/**
 * Rows outside since/until. On a first page the bound's own rule owns it; on a cursor page a row just at the
 * edge is still the bound's (an off-by-one there), one far outside means the window was dropped for the cursor.
 */
function windowEdges(req: RunsRequest, rows: readonly RowView[], note: Note): void {
  const cursor = req.startingAfter !== undefined || req.endingBefore !== undefined;
  const dropped = req.endingBefore !== undefined ? 'BP-FILTER-BEFORE' : 'BP-FILTER-WALK';
  const { since, until } = req;
  const early = since === undefined ? undefined : rows.find((r) => timedRow(r) && second(r) < since);
  if (early && req.since !== undefined) {
    const edge = !cursor || second(early) === req.since - 1;
    note(
      edge ? 'BP-SINCE-INCLUSIVE' : dropped,
      `only runs created at or after ${req.since} (${describe(req)})`,
      `run ${early.runId} created ${early.createdAt}`,
      edge ? ORDER_OWNERS : ['BP-SINCE-INCLUSIVE', ...ORDER_OWNERS],
    );
  }
  const late = until === undefined ? undefined : rows.find((r) => timedRow(r) && second(r) >= until);
  if (late && req.until !== undefined) {
    const edge = !cursor || second(late) === req.until;
    note(
      edge ? 'BP-UNTIL-EXCLUSIVE' : dropped,
      `only runs created before ${req.until} (${describe(req)})`,
      `run ${late.runId} created ${late.createdAt}`,
      edge ? ORDER_OWNERS : ['BP-UNTIL-EXCLUSIVE', ...ORDER_OWNERS],
    );
  }
}

function timedRow(r: RowView): boolean {
  return !Number.isNaN(r.ms);
}

/** Rows on the documented side of the cursor, the cursor itself excluded (ties may sit on either side). */
function cursorSide(
  req: RunsRequest,
  rows: readonly RowView[],
  known: ReadonlyMap<string, RowView>,
  filtered: boolean,
  note: Note,
): void {
  const after = req.startingAfter;
  const before = req.endingBefore;
  const id = after ?? before;
  if (id === undefined) return;
  const cursor = known.get(id);
  const self = rows.find((r) => r.runId === id);
  if (after !== undefined) {
    const owner = filtered && !self ? 'BP-FILTER-CURSOR' : 'BP-CURSOR-AFTER';
    const newer = cursor && timedRow(cursor) ? rows.find((r) => timedRow(r) && r.ms > cursor.ms) : undefined;
    if (self || newer)
      note(
        owner,
        `startingAfter ${id}${cursor ? ` (${cursor.createdAt})` : ''}: only runs created before it, not the run itself (${describe(req)})`,
        self ? `the cursor run ${id} is on the page` : `run ${newer?.runId} created ${newer?.createdAt}`,
        ORDER_OWNERS,
      );
    return;
  }
  const older = cursor && timedRow(cursor) ? rows.find((r) => timedRow(r) && r.ms < cursor.ms) : undefined;
  if (self || older)
    note(
      self ? 'BP-WALK-BACKWARD' : filtered ? 'BP-FILTER-BEFORE' : 'BP-CURSOR-BEFORE',
      `endingBefore ${id}${cursor ? ` (${cursor.createdAt})` : ''}: only runs created after it, not the run itself (${describe(req)})`,
      self ? `the cursor run ${id} is on the page` : `run ${older?.runId} created ${older?.createdAt}`,
      ORDER_OWNERS,
    );
}

const ISO_OWNERS = ['BP-ISO-DISJOINT', 'BP-ISO-CURSOR', 'BP-ISO-FILTER'];

/** A listing whose order is wrong puts rows on the wrong side of any cursor: the order's rules report that. */
const ORDER_OWNERS = ['BP-ORDER-NEWEST-FIRST', 'BP-DETERMINISTIC'];

/** Every rule about what a valid request lists: a difference from the reference that one of them explains is its. */
const LISTING_OWNERS = [
  'BP-ORDER-NEWEST-FIRST',
  'BP-DETERMINISTIC',
  'BP-LIMIT-BOUND',
  'BP-LIMIT-DEFAULT',
  'BP-HASMORE',
  'BP-HASMORE-FULL',
  'BP-STATUS-FILTER',
  'BP-SINCE-INCLUSIVE',
  'BP-UNTIL-EXCLUSIVE',
  'BP-CURSOR-AFTER',
  'BP-CURSOR-BEFORE',
  'BP-WALK-FORWARD',
  'BP-WALK-BACKWARD',
  'BP-FILTER-WALK',
  'BP-FILTER-CURSOR',
  'BP-FILTER-BEFORE',
  ...ISO_OWNERS,
];

/** Records which paths listed each run (per key); the same run keeps its creation fields wherever it is listed. */
function ownerAndIdentity(req: RunsRequest, ex: Exchange, rows: readonly RowView[], seen: RunsSeen, note: Note): void {
  const mine = seen.byAuth[req.auth];
  for (const r of rows) seen.sightings.add(req.auth, r.runId, kind(req), ex);
  for (const r of rows) {
    const before = mine.get(r.runId);
    if (before && (before.createdAt !== r.createdAt || before.raw.promptVersionId !== r.raw.promptVersionId)) {
      note(
        'BP-DETERMINISTIC',
        `run ${r.runId} with the same createdAt and promptVersionId wherever it is listed`,
        `createdAt ${json(before.createdAt)} → ${json(r.createdAt)}, promptVersionId ${json(before.raw.promptVersionId)} → ${json(r.raw.promptVersionId)}`,
        ['BP-ROW-CREATED-AT', 'BP-ROW-SCHEMA'],
      );
      break;
    }
  }
  for (const r of rows) if (!mine.has(r.runId)) mine.set(r.runId, r);
}

/** How a request reached its rows: the plain listing, through a cursor, or through a filter. */
function kind(req: RunsRequest): Path {
  if (req.startingAfter !== undefined || req.endingBefore !== undefined) return 'cursor';
  return req.status !== undefined || req.since !== undefined || req.until !== undefined ? 'filter' : 'plain';
}

export function describe(req: RunsRequest): string {
  const parts = Object.entries({
    limit: req.limitSent ? req.limit : undefined,
    status: req.status,
    since: req.since,
    until: req.until,
    startingAfter: req.startingAfter,
    endingBefore: req.endingBefore,
  }).filter(([, v]) => v !== undefined);
  return parts.length ? parts.map(([k, v]) => `${k}=${v}`).join('&') : 'no parameters';
}

/**
 * Judges a page against the trusted reference: without a status filter (statuses move; the filter rules settle
 * those), the runs it holds from before the reference's anchor must be, second by second, those the reference
 * filtered and paged by the documented rules predicts. Seconds the page or the reference cuts are not compared
 * (tie order within a second is BP-DETERMINISTIC's business).
 */
export function auditAgainstReference(ex: Exchange, ref: Reference): AuditNote | undefined {
  const req = runsRequest(ex);
  const page = ex.status === 200 && ex.isJson ? lenientRows(ex) : undefined;
  if (req?.auth !== 'key' || req.status !== undefined || !page || ref.anchor === undefined) return undefined;
  const anchor = ref.anchor;
  if (!page.rows.every(timedRow) || page.rows.length > req.limit) return undefined;
  const pos = new Map(ref.rows.map((r, i) => [r.runId, i]));
  const cursorId = req.startingAfter ?? req.endingBefore;
  const at = cursorId === undefined ? undefined : pos.get(cursorId);
  if (cursorId !== undefined && at === undefined) return undefined;
  const inWindow = (r: RowView) =>
    (req.since === undefined || second(r) >= req.since) && (req.until === undefined || second(r) < req.until);
  const full = page.rows.length === req.limit;
  // a short page that says more follow is BP-HASMORE-FULL's finding; nothing to predict from
  if (page.hasMore && !full && req.endingBefore === undefined) return undefined;
  let want: RowView[];
  if (req.endingBefore !== undefined) want = ref.rows.slice(0, at).filter(inWindow).slice(-req.limit);
  else want = ref.rows.slice(at === undefined ? 0 : at + 1).filter(inWindow);
  // rows outside the window or on the wrong side of the cursor are the immediate checks' findings
  const got = page.rows.filter((r) => second(r) < anchor && inWindow(r));
  const cursorSecond = at === undefined ? undefined : second(rowAt(ref.rows, at));
  const tail = ref.rows.at(-1);
  const compared = (s: number) => {
    if (s >= anchor || s === cursorSecond) return false;
    if (!ref.complete && tail && s <= second(tail)) return false;
    if (req.endingBefore !== undefined) {
      // the page holds the `limit` runs nearest the cursor: its newest second may be cut
      const first = page.rows[0];
      return !(full && first && s >= second(first));
    }
    const last = page.rows.at(-1);
    return !(full && last && s <= second(last));
  };
  const bySecond = (rows: readonly RowView[]) => {
    const m = new Map<number, Set<string>>();
    for (const r of rows) if (compared(second(r))) m.set(second(r), (m.get(second(r)) ?? new Set()).add(r.runId));
    return m;
  };
  const ended = endedEarly(req, page, want, ref, anchor);
  if (ended) return { ...ended, detail: { ...ended.detail, exchange: ex } };
  const a = bySecond(want);
  const b = bySecond(got);
  // on a full backward page only seconds between the cursor and the page's newest run are predicted
  for (const s of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => y - x)) {
    const w = a.get(s) ?? new Set<string>();
    const g = b.get(s) ?? new Set<string>();
    const missing = [...w].find((id) => !g.has(id));
    const extra = [...g].find((id) => !w.has(id));
    if (missing === undefined && extra === undefined) continue;
    const row = ref.rows.find((r) => r.runId === (missing ?? extra)) ?? page.rows.find((r) => r.runId === extra);
    const owner = referenceOwner(req, s, missing !== undefined, page.hasMore, got.at(-1));
    return {
      owner,
      unless: LISTING_OWNERS.filter((o) => o !== owner),
      detail: {
        expected: `${describe(req)}: in second ${s}, the runs the reference listing holds there ${idsWithTimes(
          want.filter((r) => second(r) === s),
          4,
        )}`,
        actual: `${missing !== undefined ? `run ${missing} is missing` : `run ${extra} is extra`}${row ? ` (${row.createdAt})` : ''}; got ${idsWithTimes(got, 4)}`,
        exchange: ex,
      },
    };
  }
  return undefined;
}

/** A full forward page that says nothing follows while the reference holds older runs that match it. */
function endedEarly(
  req: RunsRequest,
  page: { rows: RowView[]; hasMore: boolean },
  want: readonly RowView[],
  ref: Reference,
  anchor: number,
): AuditNote | undefined {
  const last = page.rows.at(-1);
  if (page.hasMore || req.endingBefore !== undefined || !last || page.rows.length < req.limit) return undefined;
  const tail = ref.rows.at(-1);
  const older = want.find(
    (r) =>
      second(r) < second(last) &&
      second(r) < anchor &&
      (ref.complete || (tail !== undefined && second(r) > second(tail))),
  );
  if (!older) return undefined;
  return {
    owner: 'BP-HASMORE',
    unless: LISTING_OWNERS.filter((o) => o !== 'BP-HASMORE'),
    detail: {
      expected: `hasMore true: ${describe(req)} matches older runs than this full page's last (${last.runId}, ${last.createdAt})`,
      actual: `hasMore false, yet run ${older.runId} (${older.createdAt}) matches and follows`,
    },
  };
}

/** The rule a difference from the reference belongs to, by where it sits and what the request carried. */
function referenceOwner(
  req: RunsRequest,
  s: number,
  missing: boolean,
  hasMore: boolean,
  last: RowView | undefined,
): string {
  const filtered = req.since !== undefined || req.until !== undefined;
  if (missing && req.since !== undefined && s === req.since) return 'BP-SINCE-INCLUSIVE';
  if (missing && req.until !== undefined && s === req.until - 1) return 'BP-UNTIL-EXCLUSIVE';
  // a window walked by startingAfter is the filtered walk's statement
  if (req.startingAfter !== undefined) return filtered ? 'BP-FILTER-WALK' : 'BP-CURSOR-AFTER';
  if (req.endingBefore !== undefined) return filtered ? 'BP-FILTER-BEFORE' : 'BP-CURSOR-BEFORE';
  // runs older than the page's last one are missing and the page says nothing follows: it ended early
  if (missing && !hasMore && last && s < second(last)) return 'BP-HASMORE';
  if (req.since !== undefined && req.until !== undefined) return 'BP-FILTER-WALK';
  if (req.since !== undefined) return 'BP-SINCE-INCLUSIVE';
  if (req.until !== undefined) return 'BP-UNTIL-EXCLUSIVE';
  return 'BP-WALK-FORWARD';
}
