/**
 * The Runtype `GET /v1/prompts` rule catalogue. Suites, reports and self-tests read this list;
 * nothing else enumerates the rules. IDs are stable and never reused; the order is the run order.
 *
 * Doc references: "Params" = endpoint page › Query parameters, "Response" = › Response and its example,
 * "Auth" = › Authentication, "Errors" = › Errors, "Summary" = the line under the example,
 * "Facts" = published-facts.md (Runtype). Cursors are opaque everywhere: no rule decodes one.
 * One file per doc section; rules used by one rule sit beside it, shared ones in `./shared`.
 */
import { isolationRules } from './isolation';
import { errorContextRule, errorRules } from './errors';
import { filterRules } from './filters';
import { limitRules } from './limit';
import { paginationRules } from './pagination';
import { searchRules } from './search';
import { shapeRules } from './shape';
import { walkRules } from './walk';

export const rules = [
  ...shapeRules,
  ...limitRules,
  errorContextRule,
  ...paginationRules,
  ...walkRules,
  ...searchRules,
  ...filterRules,
  ...errorRules,
  ...isolationRules,
] as const;

export type RtRuleId = (typeof rules)[number]['id'];
