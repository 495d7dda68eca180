/** The security rules (isolation, authentication, ownership) are grouped in a table of their own, first. */
import { describe, expect, it } from 'vitest';
import type { RuleResult, RunReport } from '../shared/report';
import { htmlReport } from './html';
import { markdownReport } from './markdown';
import { failing, fixture } from './report-fixture';
import { isSecurityRule, SECURITY_TITLE } from './view';

const leak: RuleResult = { ...failing, id: 'BP-ISO-CURSOR', summary: "another account's run ID is refused" };
const near: RuleResult = { ...failing, id: 'BP-AUTH-NEAR-KEY', summary: 'a near-miss key is refused', status: 'pass' };
const [first, ...rest] = fixture.apis;
const report: RunReport = first
  ? { ...fixture, apis: [{ ...first, results: [...first.results, leak, near] }, ...rest] }
  : fixture;

describe('security group', () => {
  it('is the ISO, AUTH and OWNER families', () => {
    expect(['BP-ISO-CURSOR', 'RT-AUTH-MISSING', 'RT-OWNER', 'RT-ISO-TAMPERED-CURSOR'].every(isSecurityRule)).toBe(true);
    expect(['BP-CURSOR-AFTER', 'RT-FILTER-SUBSET', 'BP-AUTHOR'].some(isSecurityRule)).toBe(false);
  });

  it('markdown: its own table before all other rules, failures still linked', () => {
    const md = markdownReport(report);
    const sec = md.indexOf(`### ${SECURITY_TITLE}`);
    const other = md.indexOf('### All other rules');
    expect(sec).toBeGreaterThan(md.indexOf('## Rules × APIs'));
    expect(other).toBeGreaterThan(sec);
    const group = md.slice(sec, other);
    expect(group).toContain('| [BP-ISO-CURSOR](#bp-iso-cursor) |');
    expect(group).toContain('| BP-AUTH-NEAR-KEY |');
    expect(group).not.toContain('BP-CURSOR-AFTER');
    expect(md.slice(other)).toContain('[BP-CURSOR-AFTER](#bp-cursor-after)');
  });

  it('html: its own table with an anchor, before all other rules', () => {
    const html = htmlReport(report);
    const sec = html.indexOf('<h3 id="security">');
    expect(sec).toBeGreaterThan(0);
    expect(html).toContain('<a href="#security">Security</a>');
    expect(html.indexOf('data-rule="BP-ISO-CURSOR"')).toBeGreaterThan(sec);
    expect(html.indexOf('data-rule="BP-ISO-CURSOR"')).toBeLessThan(html.indexOf('<h3>All other rules</h3>'));
    expect(html.indexOf('data-rule="BP-CURSOR-AFTER"')).toBeGreaterThan(html.indexOf('<h3>All other rules</h3>'));
  });

  it('without security rules the matrix is one table, as before', () => {
    expect(markdownReport(fixture)).not.toContain(SECURITY_TITLE);
    expect(htmlReport(fixture)).not.toContain('id="security"');
  });
});
