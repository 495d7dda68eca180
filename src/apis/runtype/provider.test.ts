import { describe, expect, it } from 'vitest';
import { createRtHandler, seedPrompts } from './provider';
import { isListPrompts } from './schema';

const headers = { authorization: 'Bearer k' };

function list(h: ReturnType<typeof createRtHandler>, query: string) {
  const out = h.handle({ method: 'GET', path: '/v1/prompts', query: new URLSearchParams(query), headers });
  const body = out.body as {
    data: { id: string; createdAt: string }[];
    filtersApplied: Record<string, unknown>;
    pagination: Record<string, unknown>;
  };
  return { status: out.status, body, p: body?.pagination };
}

describe('runtype reference provider', () => {
  const h = createRtHandler({ apiKey: 'k' });

  it('finds through its token index exactly the prompts a scan of name and text finds, for words, fragments and phrases', () => {
    const prompts = seedPrompts(600, 3);
    const big = createRtHandler({ apiKey: 'k', rows: 600, dataSeed: 3 });
    const terms = ['sist', 'ST.', 'a neutral paraphrase of', 'Translate a neutral', 'IDE', 'e', 'ort ', '.', ' ', 'zz'];
    for (const term of [...terms, prompts[7]?.text ?? '', prompts[9]?.name ?? '']) {
      const t = term.trim().toLowerCase(); // the provider trims parameters
      const want = prompts.filter((p) => p.name.toLowerCase().includes(t) || (p.text ?? '').toLowerCase().includes(t));
      const got = list(big, new URLSearchParams({ search: term, limit: '100' }).toString());
      expect(got.p?.totalCount, `search ${JSON.stringify(term)}`).toBe(term.trim() ? want.length : 600);
    }
  });

  it('serves 137 prompts as pages of 50, 50 and 37 with consistent pagination', () => {
    const first = list(h, '');
    expect(first.status).toBe(200);
    expect(isListPrompts(first.body), JSON.stringify(isListPrompts.errors)).toBe(true);
    expect(first.p).toMatchObject({
      currentOffset: 0,
      currentPage: 1,
      limit: 50,
      totalCount: 137,
      totalPages: 3,
      hasMore: true,
      hasPrev: false,
      prevCursor: null,
    });
    const second = list(h, `cursor=${first.p?.nextCursor}`);
    const third = list(h, `cursor=${second.p?.nextCursor}`);
    expect(third.body.data).toHaveLength(37);
    expect(third.p).toMatchObject({
      currentOffset: 100,
      currentPage: 3,
      hasMore: false,
      nextCursor: null,
      hasPrev: true,
    });
    const ids = [first, second, third].flatMap((x) => x.body.data.map((d) => d.id));
    expect(new Set(ids).size).toBe(137);
  });

  it('issues base64url JSON {id, offset} cursors; prevCursor works with or without direction', () => {
    const second = list(h, `limit=20&cursor=${list(h, 'limit=20').p?.nextCursor}`);
    expect(JSON.parse(Buffer.from(String(second.p?.nextCursor), 'base64url').toString())).toMatchObject({ offset: 40 });
    const back = list(h, `limit=20&cursor=${second.p?.prevCursor}`);
    expect(back.body.data.map((d) => d.id)).toEqual(list(h, 'limit=20').body.data.map((d) => d.id));
    expect(list(h, `limit=20&direction=prev&cursor=${second.p?.prevCursor}`).body.data).toEqual(back.body.data);
    expect(list(h, 'direction=sideways').status).toBe(400);
    expect(list(h, 'cursor=not%20a%20cursor').status).toBe(400);
  });

  it('clamps limit above 100, refuses zero, negatives and non-integers', () => {
    expect(list(h, 'limit=500').p).toMatchObject({ limit: 100 });
    for (const bad of ['0', '-1', 'abc', '2.5']) expect(list(h, `limit=${bad}`).status).toBe(400);
  });

  it('holds equal createdAt values, several models and flows, and terms only in names or only in texts', () => {
    const all = seedPrompts(137);
    expect(new Set(all.map((p) => p.createdAt)).size).toBeLessThan(120);
    expect(new Set(all.map((p) => p.model)).size).toBeGreaterThan(4);
    expect(new Set(all.map((p) => p.flowId)).size).toBeGreaterThan(3);
    expect(all.some((p) => p.name.includes('Wizard')) && !all.some((p) => p.text?.includes('Wizard'))).toBe(true);
    expect(all.some((p) => p.text?.includes('postmortems')) && !all.some((p) => p.name.includes('postmortems'))).toBe(
      true,
    );
  });

  it('setPrompts replaces the data exactly', () => {
    const h2 = createRtHandler({ apiKey: 'k' });
    const three = seedPrompts(3, 7);
    h2.setPrompts(three);
    const page = list(h2, '');
    expect(page.p).toMatchObject({ totalCount: 3, totalPages: 1, hasMore: false });
    expect(page.body.data.map((d) => d.id).sort()).toEqual(three.map((p) => p.id).sort());
    expect(list(h2, 'search=zzz-nothing').body.data).toEqual([]);
  });

  it('serves an unfiltered, model, flowId, combined flowId+model+search or deep-cursor page in time independent of the row count', () => {
    // a scan per page would make 50,000 rows ~50× slower than 1,000; the index keeps it flat
    const timePage = (rows: number) => {
      const big = createRtHandler({ apiKey: 'k', rows });
      const sample = seedPrompts(1)[0];
      const model = sample?.model ?? 'gpt-4o';
      const flow = String(sample?.flowId ?? '');
      const deep = Buffer.from(JSON.stringify({ id: 'x', offset: Math.floor(rows / 2) })).toString('base64url');
      // a combined flowId+model+search page too: sorted position lists intersected, the search memoised per term
      const combined = `limit=100&flowId=${flow}&model=${model}&search=Quick`;
      const queries = [
        'limit=100',
        `limit=100&model=${model}`,
        `limit=100&flowId=${flow}`,
        `limit=100&cursor=${deep}`,
        `limit=100&model=${model}&cursor=${deep}`,
        combined,
        `${combined}&cursor=${deep}`,
      ];
      for (const q of queries) list(big, q); // warm up
      const t = process.hrtime.bigint();
      for (let k = 0; k < 50; k++) for (const q of queries) list(big, q);
      return Number(process.hrtime.bigint() - t) / (50 * queries.length);
    };
    const small = timePage(1_000);
    const large = timePage(50_000);
    expect(large / small).toBeLessThan(10);
  });
});
