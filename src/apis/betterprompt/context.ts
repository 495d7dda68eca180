/** BetterPrompt checks' shared view of the target: pages, walks and every exchange seen. */
import { BaseContext } from '../../shared/context';
import type { Exchange, Query } from '../../shared/http';
import { brief, expectThat, Skip } from '../../shared/rule';

/** The minimum every relation needs from a row; full shape is BP-ROW-SCHEMA's business. */
export interface RowView {
  runId: string;
  createdAt: string;
  /** createdAt in ms (NaN when unreadable). */
  ms: number;
  runStatus: unknown;
  raw: Record<string, unknown>;
}

export interface Page {
  ex: Exchange;
  rows: RowView[];
  hasMore: boolean;
  query: Query;
}

export interface Walk {
  rows: RowView[];
  pages: Page[];
  /** A page said hasMore false; otherwise the walk stopped at the row cap. */
  complete: boolean;
}

export const PATH = '/runs';
export const MAX_LIMIT = 50;

export class BpContext extends BaseContext {
  protected readonly path = PATH;

  /** A 200 page read leniently: shape deviations are other rules' findings, but rows need id and time. */
  async page(query: Query, opts: { fresh?: boolean } = {}): Promise<Page> {
    const ex = await this.get(query, opts);
    return readPage(ex, query);
  }

  /** Forward walk by `startingAfter` (last row's runId) until hasMore is false or `maxRows`. */
  async walk(query: Query, limit: number, maxRows = this.settings.walkMaxRows): Promise<Walk> {
    const pages: Page[] = [];
    const rows: RowView[] = [];
    const ids = new Set<string>();
    let q: Query = { ...query, limit };
    for (;;) {
      const page = await this.page(q);
      pages.push(page);
      for (const r of page.rows) {
        // a repeat means the walk loops; stop here and let the walk rules report the duplicate
        if (ids.has(r.runId)) return { rows: [...rows, r], pages, complete: false };
        ids.add(r.runId);
        rows.push(r);
      }
      const last = page.rows.at(-1);
      if (!page.hasMore || !last) return { rows, pages, complete: !page.hasMore };
      if (rows.length >= maxRows) return { rows, pages, complete: false };
      q = { ...query, limit, startingAfter: last.runId };
    }
  }

  /** The unfiltered listing at the largest page size: the reference the relations compare against. */
  reference(): Promise<Walk> {
    return this.memo('reference', async () => {
      const ref = await this.walk({}, MAX_LIMIT);
      // say whether the tie rules had ties to work on: without them a tie bug cannot show
      const ties = ref.rows.filter((r, i) => ref.rows[i - 1]?.createdAt === r.createdAt || ref.rows[i + 1]?.createdAt === r.createdAt).length;
      this.observe('BP-GAP-TIE-ORDER', `${ties} of the ${ref.rows.length} runs walked share an exact createdAt with a neighbour${ref.complete ? '' : ' (walk capped)'}`);
      return ref;
    });
  }

  /** The reference, or a skip when the target has too little data for the rule. */
  async referenceWith(minRows: number, why: string): Promise<Walk> {
    const ref = await this.reference();
    if (ref.rows.length < minRows) throw new Skip(`target holds ${ref.rows.length} runs; ${why} needs ${minRows}`);
    return ref;
  }
}

export function readPage(ex: Exchange, query: Query): Page {
  expectThat(ex.status === 200, () => ({ expected: '200 with a page of runs', actual: `${ex.status} ${brief(ex.text)}`, exchange: ex }));
  const data = (ex.body as { data?: { rows?: unknown; hasMore?: unknown } } | undefined)?.data;
  expectThat(Array.isArray(data?.rows) && typeof data?.hasMore === 'boolean', () => ({
    expected: 'body.data.rows (array) and body.data.hasMore (boolean)',
    actual: brief(ex.text),
    exchange: ex,
  }));
  const rows = (data.rows as unknown[]).map((raw): RowView => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    expectThat(typeof r.runId === 'string' && typeof r.createdAt === 'string', () => ({
      expected: 'every row to carry runId and createdAt strings',
      actual: brief(raw),
      exchange: ex,
    }));
    return { runId: r.runId, createdAt: r.createdAt, ms: Date.parse(r.createdAt), runStatus: r.runStatus, raw: r };
  });
  return { ex, rows, hasMore: data.hasMore as boolean, query };
}

/** createdAt in whole unix seconds, the unit of since/until. */
export function second(row: RowView): number {
  return Math.floor(row.ms / 1000);
}

export function ids(rows: readonly RowView[]): string[] {
  return rows.map((r) => r.runId);
}
