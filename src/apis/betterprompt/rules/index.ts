/**
 * The BetterPrompt `GET /v1/runs` rule catalogue. Suites, reports and self-tests read this list;
 * nothing else enumerates the rules. IDs are stable and never reused. The order is run order (RULES.md and
 * the reports follow it): one section per doc section, each in its own file with the helpers its rules use.
 *
 * Doc references: "Params" = endpoint page › Query parameters, "Warning" = the page's WARNING box,
 * "Response" = › Response, "Pagination" = › Pagination, "Errors" = › Error responses,
 * "Guide" = vendor guides summarised in published-facts.md.
 *
 * Comparisons with the reference listing use only runs created before its anchor second (see context.ts),
 * so runs created during the suite never count against the target; status changes are re-read (settle).
 */
import { isolationRules } from './isolation';
import { cursorRules } from './cursor';
import { errorRules } from './errors';
import { filterPagingRules } from './filter-paging';
import { filterRules } from './filters';
import { limitRules } from './limit';
import { shapeRules } from './shape';
import { walkRules } from './walk';

export const rules = [
  ...shapeRules,
  ...limitRules,
  ...filterRules,
  ...cursorRules,
  ...walkRules,
  ...filterPagingRules,
  ...errorRules,
  ...isolationRules,
];

export type BpRuleId = (typeof rules)[number]['id'];
