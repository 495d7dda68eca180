/**
 * The response audit: every response any rule, walk, settle or probe receives is judged by every documented
 * statement it can be held to, whichever rule asked for it. A finding belongs to the rule that owns the statement
 * (the first one per owner is kept, so one fault stays one failure); the rule that merely carried the request is
 * unaffected. Checks that need nothing but the response run as it arrives; checks against the trusted reference
 * listing run when a rule ends (the reference may not exist yet when the response arrives).
 */
import type { Exchange, Query } from './http';
import { Blocked, type ViolationDetail } from './rule';

/** A statement broken by one response: the owner rule and what a person needs to act on it. */
export interface AuditNote {
  owner: string;
  detail: ViolationDetail;
  /**
   * Rules whose failure would explain this response as well (a cursor page out of order when the order itself is
   * wrong): the note is reported only when none of them failed, so one fault stays one failure.
   */
  unless?: readonly string[];
}

export interface AuditFinding extends AuditNote {
  /** The rule whose request showed it (the replay line runs that rule). */
  carrier: string | undefined;
}

/** Notes kept per owner: the first few, so one whose `unless` holds does not hide a later one that stands alone. */
const PER_OWNER = 4;

/** Findings of the audit by owner rule, in the order found. */
export class AuditLog {
  private readonly byOwner = new Map<string, AuditFinding[]>();

  add(note: AuditNote, carrier: string | undefined): void {
    const list = this.byOwner.get(note.owner) ?? [];
    const key = (n: AuditNote) => (n.unless ?? []).join();
    if (list.length >= PER_OWNER || list.some((f) => key(f) === key(note))) return;
    const by = carrier && carrier !== note.owner ? ` (found by the response audit on a request ${carrier} sent)` : '';
    list.push({ ...note, carrier, detail: { ...note.detail, expected: `${note.detail.expected}${by}` } });
    this.byOwner.set(note.owner, list);
  }

  /**
   * The finding each owner is reported with, given the rules whose own checks failed: notes that stand alone
   * first, then those whose `unless` rules all passed (a note applied counts as a failure for the next ones).
   */
  verdicts(failed: ReadonlySet<string>): Map<string, AuditFinding> {
    const out = new Map<string, AuditFinding>();
    const down = new Set(failed);
    const all = [...this.byOwner.values()].flat();
    const apply = (f: AuditFinding) => {
      if (out.has(f.owner) || down.has(f.owner)) return;
      if (f.unless?.some((u) => u !== f.owner && down.has(u))) return;
      out.set(f.owner, f);
      down.add(f.owner);
    };
    for (const f of all) if (!f.unless?.length) apply(f);
    // conditional notes, each once the notes of the rules that would explain it are decided (a cycle: in order)
    const left = all.filter((f) => f.unless?.length);
    while (left.length) {
      const ready = left.findIndex((f) => !left.some((g) => g.owner !== f.owner && f.unless?.includes(g.owner)));
      const [f] = left.splice(Math.max(0, ready), 1);
      if (f) apply(f);
    }
    return out;
  }

  /** Every note found, for tests and diagnostics. */
  all(): AuditFinding[] {
    return [...this.byOwner.values()].flat();
  }
}

/** Records a finding about one answer under the rule that owns its statement (`unless`: rules that explain it). */
export type Note = (owner: string, expected: string, actual: string, unless?: readonly string[]) => void;

/** The notes about one answer and the function that adds one, the answer attached as the finding's exchange. */
export function notesFor(ex: Exchange): { notes: AuditNote[]; note: Note } {
  const notes: AuditNote[] = [];
  const note: Note = (owner, expected, actual, unless) =>
    notes.push({ owner, detail: { expected, actual, exchange: ex }, ...(unless ? { unless } : {}) });
  return { notes, note };
}

/** The query a request was sent with, read back from its (redacted) URL: what the audit judges the answer by. */
export function sentQuery(ex: Exchange): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const [k, v] of new URL(ex.request.url).searchParams) if (!(k in out)) out[k] = v;
  } catch {
    // a URL we built ourselves always parses; nothing to judge otherwise
  }
  return out;
}

/** Whether a parameter was sent more than once (repeated parameters are a documentation gap: not judged). */
export function hasRepeatedParam(ex: Exchange): boolean {
  try {
    const keys = [...new URL(ex.request.url).searchParams.keys()];
    return new Set(keys).size !== keys.length;
  } catch {
    return true;
  }
}

/** A decimal integer as the docs' integer parameters take it ("10", not "10.0", "1e1" or " 10"). */
export function intParam(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

/** Where parsing a body stopped, for a finding a person can act on. */
export function notJson(ex: Exchange): string {
  let where = '';
  try {
    JSON.parse(ex.text);
  } catch (e) {
    where = `; parsing stopped: ${e instanceof Error ? e.message : String(e)}`;
  }
  const declared = ex.headers['content-length'];
  return `${Buffer.byteLength(ex.text)} bytes received${declared === undefined ? '' : ` (Content-Length ${declared})`}, content type ${JSON.stringify(ex.headers['content-type'] ?? 'none')}${where}; starts ${JSON.stringify(ex.text.slice(0, 60))}`;
}

/**
 * A page answer no check can read: a 200 whose body is not JSON (`<prefix>-RESP-JSON`'s one finding, with where
 * parsing stopped) or a 5xx (`<prefix>-NO-5XX`'s, which judges every answer of the run). Either blocks the check
 * that needed the page; every API's page reader calls this first.
 */
export function expectReadablePage(ex: Exchange, prefix: string, noun: string): void {
  if (ex.status === 200 && !ex.isJson)
    throw new Blocked([`${prefix}-RESP-JSON`], `a 200 page is not JSON (${notJson(ex)}); this check reads its ${noun}`);
  if (ex.status >= 500)
    throw new Blocked(
      [`${prefix}-NO-5XX`],
      `the target answered ${ex.status} to ${ex.request.url}; this check reads its ${noun}`,
    );
}

export type { Query };

/** How a request reached its rows: the plain listing, through a cursor, or through a filter. */
export type Path = 'plain' | 'cursor' | 'filter';
type Auth = 'key' | 'second';

/**
 * Which rows each key was shown, by path, for the tenant-isolation statement: no row is listed under both keys.
 * The account whose plain listing holds the row owns it; the other key's sightings are the leak, reported under
 * the isolation rule of their path (when both plain listings hold it, the listing itself leaks).
 */
export class Sightings {
  private readonly byAuth = {
    key: new Map<string, Map<Path, Exchange>>(),
    second: new Map<string, Map<Path, Exchange>>(),
  };
  private readonly reported = new Set<string>();

  constructor(
    private readonly owners: Readonly<Record<Path, string>>,
    /** Other rules whose failure explains a leak (a filter over every account's rows). */
    private readonly alsoExplain: readonly string[] = [],
  ) {}

  add(auth: Auth, id: string, path: Path, ex: Exchange): void {
    const paths = this.byAuth[auth].get(id) ?? new Map<Path, Exchange>();
    if (!paths.has(path)) paths.set(path, ex);
    this.byAuth[auth].set(id, paths);
  }

  /** Rows listed under both keys not reported before, judged on everything seen so far. */
  leaks(noun: string): AuditNote[] {
    const notes: AuditNote[] = [];
    const iso = [...Object.values(this.owners), ...this.alsoExplain];
    for (const [id, first] of this.byAuth.key) {
      const second = this.byAuth.second.get(id);
      if (!second || this.reported.has(id)) continue;
      this.reported.add(id);
      const leak =
        first.has('plain') && !second.has('plain')
          ? second
          : second.has('plain') && !first.has('plain')
            ? first
            : undefined;
      const path: Path = leak ? (leak.has('cursor') ? 'cursor' : 'filter') : 'plain';
      notes.push({
        owner: this.owners[path],
        // the isolation rules' own probes name the path more precisely when they see it
        unless: iso,
        detail: {
          expected: `only ${noun}s of the account whose key asked, on ${path === 'plain' ? 'the plain listing' : `${path} pages`}`,
          actual: `${noun} ${id} is listed under both keys`,
          exchange: leak?.get(path) ?? second.values().next().value,
        },
      });
    }
    return notes;
  }
}
