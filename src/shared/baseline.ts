/**
 * Known deviations: a committed list of rules a target is known to break, each with a reason and an expiry date.
 * A listed failure is reported as `known` and does not fail the run until the entry expires; then it fails again.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { baselineSchema } from '../../schemas/baseline.schema';
import { ajv } from './ajv';
import type { ApiName } from './api';
import { ConfigError, errorMessage } from './errors';
import { apiRoot } from './http';
import {
  type ApiReport,
  type BaselineRef,
  type BaselineSummary,
  type RuleResult,
  type RunReport,
  totals,
} from './report';

export type BaselineFile = FromSchema<typeof baselineSchema>;
/** An entry with its API resolved from the catalogue that holds the rule. */
export type BaselineEntry = BaselineFile['entries'][number] & { api: ApiName };

/** Picked up without `--baseline` when it exists in the working directory. */
export const DEFAULT_BASELINE_FILE = 'conformance.baseline.json';

const isBaselineFile = ajv.compile<BaselineFile>(baselineSchema);
const DAY_MS = 86_400_000;
const FIELDS = 'rule, reason, expires, api, target';

/** The file to use: the one named by `--baseline`, else `./conformance.baseline.json` when present. */
export function baselinePath(
  explicit: string | undefined,
  exists: (f: string) => boolean = existsSync,
): string | undefined {
  if (explicit !== undefined) return explicit;
  return exists(DEFAULT_BASELINE_FILE) ? DEFAULT_BASELINE_FILE : undefined;
}

/** Reads and validates a baseline file; every mistake is one ConfigError line naming the entry and the fix. */
export function loadBaseline(file: string, knownRules: ReadonlyMap<string, ApiName>): BaselineEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT')
      throw new ConfigError(
        `baseline file ${file} not found; create it (see README "Known deviations") or drop --baseline`,
      );
    throw new ConfigError(
      `cannot read baseline file ${file} (${typeof code === 'string' ? code : errorMessage(e)}); check its permissions`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${errorMessage(e)}); fix it, e.g. {"entries": []}`);
  }
  return parseBaseline(value, knownRules, file);
}

/** Validates parsed baseline JSON against the schema, the rule catalogue and itself (no duplicates). */
export function parseBaseline(
  input: unknown,
  knownRules: ReadonlyMap<string, ApiName>,
  file = DEFAULT_BASELINE_FILE,
): BaselineEntry[] {
  // the interactions are checked beside the rule entries, which keep the schema they always had
  const value = withoutInteractions(input);
  if (!isBaselineFile(value)) throw new ConfigError(schemaMessage(file, value, isBaselineFile.errors?.[0]));
  parseInteractions(input, file);
  const out: BaselineEntry[] = [];
  value.entries.forEach((e, i) => {
    const where = `${file}: entry ${i + 1} (${e.rule})`;
    const owner = knownRules.get(e.rule);
    if (!owner)
      throw new ConfigError(
        `${where}: unknown rule ${e.rule}; use a rule ID from the catalogue (listed in reports/conformance.md)`,
      );
    if (e.api !== undefined && e.api !== owner)
      throw new ConfigError(`${where}: rule ${e.rule} belongs to ${owner}, not ${e.api}; fix or drop "api"`);
    if (e.target !== undefined && e.target !== 'embedded' && targetKey(e.target) === undefined)
      throw new ConfigError(
        `${where}: target "${e.target}" is neither "embedded" nor an http(s) URL; fix it or drop "target"`,
      );
    const dup = out.findIndex(
      (o) =>
        o.rule === e.rule &&
        (o.target === undefined || e.target === undefined || targetKey(o.target) === targetKey(e.target)),
    );
    if (dup >= 0) throw new ConfigError(`${where}: duplicates entry ${dup + 1}; keep one entry per rule and target`);
    out.push({ ...e, api: owner });
  });
  return out;
}

function schemaMessage(file: string, value: unknown, err: ErrorObject | undefined): string {
  if (!err) return `${file} does not match the baseline schema; see schemas/baseline.schema.json`;
  const m = /^\/entries\/(\d+)(?:\/(\w+))?/.exec(err.instancePath);
  if (!m) {
    if (err.keyword === 'required')
      return `${file}: missing "entries"; the file is {"entries": [...]} (see schemas/baseline.schema.json)`;
    if (err.keyword === 'additionalProperties')
      return `${file}: unknown top-level field "${String(err.params.additionalProperty)}"; only "entries" (and "$schema") are allowed`;
    return `${file}: ${err.instancePath || 'the file'} ${err.message ?? 'is invalid'}; the file is {"entries": [...]}`;
  }
  const index = Number(m[1]);
  const entry = (value as { entries: unknown[] }).entries[index];
  const rule = typeof entry === 'object' && entry !== null ? (entry as { rule?: unknown }).rule : undefined;
  const where = `${file}: entry ${index + 1}${typeof rule === 'string' ? ` (${rule})` : ''}`;
  const field = m[2];
  const got =
    field && typeof entry === 'object' && entry !== null
      ? JSON.stringify((entry as Record<string, unknown>)[field])
      : '';
  if (err.keyword === 'required') {
    const missing = String(err.params.missingProperty);
    const fix =
      missing === 'reason'
        ? 'say why the deviation is accepted'
        : missing === 'expires'
          ? 'add an expiry date (YYYY-MM-DD)'
          : 'name the rule ID';
    return `${where}: missing "${missing}"; ${fix}`;
  }
  if (err.keyword === 'additionalProperties')
    return `${where}: unknown field "${String(err.params.additionalProperty)}"; allowed: ${FIELDS}`;
  if (err.keyword === 'type' && !field) return `${where}: an entry must be an object with ${FIELDS}`;
  switch (field) {
    case 'expires':
      return `${where}: expires ${got} is not a date; use YYYY-MM-DD (a real calendar day)`;
    case 'reason':
      return `${where}: reason ${got} is empty or not text; say why the deviation is accepted`;
    case 'rule':
      return `${where}: rule ${got} is not a rule ID; use an ID like BP-CURSOR-AFTER`;
    case 'api':
      return `${where}: api ${got} is unknown; use betterprompt or runtype, or drop "api"`;
    default:
      return `${where}: ${field ?? 'entry'} ${err.message ?? 'is invalid'}; see schemas/baseline.schema.json`;
  }
}

/** A comparable form of a configured base URL (scheme and host case-folded, `/v1` root). */
function targetKey(t: string): string | undefined {
  if (t === 'embedded') return t;
  try {
    const url = new URL(apiRoot(t));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function matches(e: BaselineEntry, r: RuleResult, target: ApiReport['target']): boolean {
  if (e.rule !== r.id || e.api !== r.api) return false;
  if (e.target === undefined) return true;
  if (e.target === 'embedded') return target.kind === 'embedded';
  return target.kind === 'configured' && targetKey(e.target) === targetKey(target.url);
}

/** The first instant at which the entry no longer applies: the day after `expires`, 00:00 UTC. */
export function expiryInstant(expires: string): number {
  return Date.parse(`${expires}T00:00:00Z`) + DAY_MS;
}

/** The entry listing this rule on this target, if any. */
export function findEntry(
  entries: readonly BaselineEntry[],
  r: RuleResult,
  target: ApiReport['target'],
): BaselineEntry | undefined {
  return entries.find((e) => matches(e, r, target));
}

/** One rule's result under the baseline: an unexpired entry turns a failure into `known`; an expired one says so. */
export function applyEntry(r: RuleResult, entry: BaselineEntry | undefined, now: Date): RuleResult {
  if (!entry || r.status !== 'fail') return r;
  if (now.getTime() >= expiryInstant(entry.expires))
    return {
      ...r,
      expires: entry.expires,
      reason: `baseline entry expired on ${entry.expires} (${entry.reason}); fix the target or renew the entry`,
    };
  return { ...r, status: 'known', expires: entry.expires, reason: entry.reason };
}

/**
 * The report as the baseline reads it: listed, unexpired failures become `known`; expired entries fail again
 * and are named; entries whose rule ran and passed are listed as stale. Pure: `report` is not changed.
 */
export function applyBaseline(
  report: RunReport,
  entries: readonly BaselineEntry[],
  now: Date,
  file = DEFAULT_BASELINE_FILE,
): RunReport {
  const summary: BaselineSummary = { file, known: [], expired: [], stale: [] };
  const apis = report.apis.map((a): ApiReport => {
    const results = a.results.map((r) => {
      const entry = findEntry(entries, r, a.target);
      if (!entry) return r;
      const ref: BaselineRef = { rule: entry.rule, api: entry.api, reason: entry.reason, expires: entry.expires };
      const out = applyEntry(r, entry, now);
      if (out.status === 'known') summary.known.push(ref);
      else if (out.status === 'fail') summary.expired.push(ref);
      else if (out.status === 'pass') summary.stale.push(ref);
      return out;
    });
    return { ...a, results };
  });
  return { ...report, apis, totals: totals(apis), baseline: summary };
}

/**
 * A Pact interaction the baseline accepts, by its description, like a rule: a state that cannot be established
 * on an account, or a failure being fixed. Kept under a top-level `"interactions"` beside `"entries"`.
 */
export interface InteractionEntry {
  interaction: string;
  reason: string;
  expires: string;
  api?: ApiName;
}

const INTERACTION_FIELDS = new Set(['interaction', 'reason', 'expires', 'api']);

/** The file without `interactions`, for the rule schema (which predates them). */
function withoutInteractions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('interactions' in value)) return value;
  const { interactions: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** Validates the `interactions` list; every mistake is one ConfigError line naming the entry and the fix. */
export function parseInteractions(value: unknown, file = DEFAULT_BASELINE_FILE): InteractionEntry[] {
  const list = typeof value === 'object' && value !== null ? (value as { interactions?: unknown }).interactions : [];
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new ConfigError(`${file}: "interactions" must be a list; write "interactions": [{"interaction": …}]`);
  return list.map((e: unknown, i): InteractionEntry => {
    const where = `${file}: interaction entry ${i + 1}`;
    if (typeof e !== 'object' || e === null || Array.isArray(e))
      throw new ConfigError(`${where}: an entry must be an object with interaction, reason, expires (and api)`);
    const o = e as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !INTERACTION_FIELDS.has(k));
    if (extra) throw new ConfigError(`${where}: unknown field "${extra}"; allowed: interaction, reason, expires, api`);
    if (typeof o.interaction !== 'string' || !o.interaction.trim())
      throw new ConfigError(`${where}: missing "interaction"; use the interaction's description from the pact`);
    if (typeof o.reason !== 'string' || !o.reason.trim())
      throw new ConfigError(`${where} (${o.interaction}): missing "reason"; say why it is accepted`);
    if (typeof o.expires !== 'string' || !isDay(o.expires))
      throw new ConfigError(`${where} (${o.interaction}): expires is not a date; use YYYY-MM-DD (a real calendar day)`);
    if (o.api !== undefined && o.api !== 'betterprompt' && o.api !== 'runtype')
      throw new ConfigError(`${where} (${o.interaction}): api is unknown; use betterprompt or runtype, or drop "api"`);
    return {
      interaction: o.interaction,
      reason: o.reason,
      expires: o.expires,
      ...(o.api !== undefined ? { api: o.api } : {}),
    };
  });
}

/** The interactions of a baseline file (none when there is no file). */
export function loadInteractionBaseline(file: string | undefined): InteractionEntry[] {
  if (!file || !existsSync(file)) return [];
  try {
    return parseInteractions(JSON.parse(readFileSync(file, 'utf8')), file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file} is not valid JSON (${errorMessage(e)}); fix it, e.g. {"entries": []}`);
  }
}

/**
 * How the baseline reads one failed or not-verifiable interaction: accepted (`known`, with the reason) until the
 * end of its expiry day, then named as expired; `undefined` when no entry lists it.
 */
export function acceptInteraction(
  entries: readonly InteractionEntry[],
  api: ApiName,
  description: string,
  now: Date,
): { known: true; reason: string; expires: string } | { known: false; reason: string } | undefined {
  const e = entries.find((x) => x.interaction === description && (x.api === undefined || x.api === api));
  if (!e) return undefined;
  if (now.getTime() >= expiryInstant(e.expires))
    return {
      known: false,
      reason: `baseline entry expired on ${e.expires} (${e.reason}); fix the target or renew the entry`,
    };
  return { known: true, reason: e.reason, expires: e.expires };
}

function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}
