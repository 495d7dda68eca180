import { describe, expect, it } from 'vitest';
import { markdownReport, mdBlock, mdCode, mdSlug, mdText } from './markdown';
import { fixture, HOSTILE } from './report-fixture';

const md = markdownReport(fixture);

describe('markdown escaping', () => {
  it('inline text cannot open a link, a tag, emphasis or a table cell', () => {
    expect(mdText('[x](javascript:y) <b>*a*_b_ | c & d\nnext')).toBe(
      '\\[x\\](javascript:y) \\<b\\>\\*a\\*\\_b\\_ \\| c \\& d next',
    );
  });

  it('a code span or block is longer than any backtick run inside it', () => {
    expect(mdCode('a ``b`` c')).toBe('```a ``b`` c```');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdBlock('x\n````\ny')).toBe('`````\nx\n````\ny\n`````');
    expect(mdBlock('plain', 'sh')).toBe('```sh\nplain\n```');
  });

  it('slugs headings as GitHub does', () => {
    expect(mdSlug('BP-CURSOR-AFTER')).toBe('bp-cursor-after');
    expect(mdSlug('Rules × APIs')).toBe('rules--apis');
  });
});

describe('markdownReport', () => {
  it('keeps a hostile body inside its fence and escapes it inline', () => {
    // outside code blocks, no tag survives
    expect(md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')).not.toMatch(/(^|[^\\])<(script|img|\/pre)/);
    // the body holds ``` so its fence is four backticks, and the block closes only on its own fence
    expect(md).toContain(`\`\`\`\`\n{"status":"SUCCESS","note":"</pre><script>alert(1)</script>`);
    expect(md).toContain('position 44 holds \\</pre\\>\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('a\\u0007b');
    expect(md.includes('\u0007') || md.includes('\u202e')).toBe(false);
    expect(HOSTILE).toContain('\u202e');
  });

  it('every in-page link reaches a heading', () => {
    const slugs = new Set([...md.matchAll(/^#{1,6} (.+)$/gm)].map((m) => mdSlug(m[1] ?? '')));
    const links = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links).toContain('bp-cursor-after');
    for (const l of links) expect(slugs).toContain(l);
  });

  it('has the matrix, with failing rules linked', () => {
    expect(md).toContain('| Rule | Expectation | Basis | Doc reference | betterprompt |');
    expect(md).toContain(
      '| [BP-CURSOR-AFTER](#bp-cursor-after) | startingAfter=id returns the rows right after id | documented | GET /v1/runs › Params | [✗ fail](#bp-cursor-after) |',
    );
    expect(md).toContain('| BP-LIMIT-MAX | limit 50 is accepted | documented | GET /v1/runs › Params | ✓ pass |');
    expect(md).toContain('| [BP-HASMORE](#bp-hasmore) |');
  });

  it('gives a failure everything needed to act on it', () => {
    const section = md.slice(md.indexOf('### BP-CURSOR-AFTER'), md.indexOf('### BP-HASMORE'));
    for (const line of [
      '- **request** `GET http://127.0.0.1:4010/v1/runs?startingAfter=62885fa8&limit=45`',
      '- **expected** the 45 rows after position 5',
      '- **response** status 200 · content-type: text/html · retry-after: 7',
      '- **shrunk** `[5,45]  (2 shrinks)`',
      '- **seed** 42, path "1:2:0"',
      "- **rerun** `npm run conformance -- --api betterprompt --rule BP-CURSOR-AFTER --replay 42 --path '1:2:0'`",
      "```sh\ncurl -sS -H 'Authorization: Bearer [redacted]'",
    ])
      expect(section).toContain(line);
  });

  it('lists known deviations, stale entries, skipped rules, gaps, statistics and the unfinished run', () => {
    expect(md).toContain('> known deviation until 2026-03-31 (baseline): vendor ticket 12');
    expect(md).toContain('- BP-LIMIT-MAX (betterprompt): passes now; remove its entry');
    expect(md).toContain('| BP-RATE-LIMIT-HEADER | betterprompt | the target sent no 429 this run |');
    expect(md).toContain('  - observed: limit=75 → 422');
    expect(md).toContain('  - … 5 more in conformance.json');
    expect(md).toContain('  - observed: nothing this run');
    expect(md).toContain(
      '| betterprompt | configured | 120 | 9 | 3 | 2× 429, 1× 503 | 1 of 2 | **no:** request budget of 120 used up (CONFORMANCE\\_MAX\\_REQUESTS) |',
    );
    expect(md).toContain('> **INCOMPLETE:** request budget of 120 used up');
    expect(md.startsWith('# FAIL · Conformance report: 1 failed, 1 passed, 1 skipped, 1 known\n')).toBe(true);
  });
});
