/** Renders RULES.md from the catalogues, so the rule list people read is the one the suite runs. */
import type { ApiModule } from '../shared/api';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderRulesDoc(modules: readonly ApiModule[]): string {
  const out = [
    '# Rule catalogue',
    '',
    'Generated from `src/apis/*/rules/index.ts` by `npm run rules`; do not edit by hand.',
    '',
  ];
  for (const m of modules) {
    out.push(
      `## ${m.title}`,
      '',
      '| ID | basis | expectation | doc reference | faults that must fail it |',
      '|---|---|---|---|---|',
    );
    for (const r of m.rules) {
      const f = (m.faults as Record<string, { knob: string; description: string } | undefined>)[r.id];
      // more faults where a rule covers combinations, boundaries or old data: each must fail this rule too
      const more = (m.extraFaults ?? [])
        .filter((x) => x.rule === r.id)
        .map((x) => `\`${x.knob}\`: ${cell(x.description)}`);
      const faults = [...(f ? [`\`${f.knob}\`: ${cell(f.description)}`] : []), ...more];
      out.push(
        `| ${r.id} | ${r.basis} | ${cell(r.summary)} | ${cell(r.doc)} | ${faults.length ? faults.join('<br>') : '—'} |`,
      );
    }
    out.push(
      '',
      `### Documentation gaps (${m.title})`,
      '',
      '| ID | what the docs leave open | how the suite handles it |',
      '|---|---|---|',
    );
    for (const g of m.gaps) out.push(`| ${g.id} | ${cell(g.summary)} (${cell(g.doc)}) | ${cell(g.handling)} |`);
    out.push('');
  }
  return out.join('\n');
}
