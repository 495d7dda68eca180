/** Runs one API's catalogue against one target and returns its report section. */
import type { ApiModule } from '../shared/api';
import type { AuditFinding } from '../shared/audit';
import type { BaseContext, RunSettings } from '../shared/context';
import { BudgetExhausted, errorMessage, TargetError, TransportError, WriteRefused } from '../shared/errors';
import { apiRoot, HttpClient, type HttpOptions } from '../shared/http';
import { redactText } from '../shared/redact';
import { type ApiReport, type GapResult, type RuleResult, reportViolation } from '../shared/report';
import { Blocked, Inconclusive, type Rule, Skip, Violation } from '../shared/rule';

export interface Target {
  kind: 'embedded' | 'configured';
  baseUrl: string;
  apiKey: string;
  /** A second account's key: the tenant-isolation rules run only with it. */
  apiKey2?: string | undefined;
}

export type Limits = Omit<HttpOptions, 'root' | 'apiKey' | 'apiKey2'>;

export interface RunHooks {
  onRule?: (result: RuleResult) => void;
}

/** Rules selected by ID (and shard) for this API, in catalogue order. */
export function selectRules(
  api: ApiModule,
  only: ReadonlySet<string> | undefined,
): readonly Rule<string, BaseContext>[] {
  return only ? api.rules.filter((r) => only.has(r.id)) : api.rules;
}

export async function runApi(
  api: ApiModule,
  target: Target,
  settings: RunSettings,
  limits: Limits,
  only: ReadonlySet<string> | undefined,
  hooks: RunHooks = {},
): Promise<ApiReport> {
  const http = new HttpClient({
    ...limits,
    root: apiRoot(target.baseUrl),
    apiKey: target.apiKey,
    apiKey2: target.apiKey2,
  });
  const report: ApiReport = {
    api: api.name,
    title: api.title,
    target: { kind: target.kind, url: redactText(target.baseUrl) },
    results: [],
    gaps: [],
    stats: http.stats,
  };
  const ctx = createContext(api, http, settings);
  // a deadline or interrupt before the first answer: every rule is skipped with that reason, never passed
  let stopped = await preflight(api, http, target);
  for (const rule of selectRules(api, only)) {
    const result = stopped ? skipped(api, rule, stopped) : await runRule(api, rule, ctx, http, settings);
    if (!stopped && result.status === 'skip' && result.reason?.startsWith('stopped:')) stopped = result.reason;
    report.results.push(result);
    hooks.onRule?.(result);
  }
  // the audit's last word: answers received by the last rules, judged against everything the run established
  await flushAudit(ctx);
  const failed = new Set(report.results.filter((r) => r.status === 'fail').map((r) => r.id));
  const verdicts = ctx.audit.verdicts(failed);
  report.results = report.results.map((r) => withAuditFinding(api, verdicts.get(r.id), r, settings) ?? r);
  if (stopped) report.incomplete = stopped.replace(/^stopped: /, '');
  const hints = rootCauseHints(api, report.results);
  if (hints.length) report.hints = hints;
  report.gaps = api.gaps.map((g): GapResult => ({ ...g, observed: [...(ctx.observations.get(g.id) ?? [])] }));
  return report;
}

/** Runs one rule and maps what it threw to a result; the CLI's loop and the vitest suites share it. */
export async function runRule(
  api: ApiModule,
  rule: Rule<string, BaseContext>,
  ctx: BaseContext,
  http: HttpClient,
  settings: RunSettings,
): Promise<RuleResult> {
  const before = { ...http.stats };
  const started = Date.now();
  const base = { id: rule.id, api: api.name, summary: rule.summary, doc: rule.doc, basis: rule.basis };
  let outcome: Pick<RuleResult, 'status' | 'reason' | 'violation' | 'blockedBy'>;
  ctx.beginRule(rule.id);
  try {
    await rule.check(ctx);
    outcome = { status: 'pass' };
  } catch (e) {
    if (e instanceof Blocked) {
      outcome = { status: 'blocked', reason: e.message, blockedBy: [...e.by] };
    } else if (e instanceof Inconclusive) {
      outcome = { status: 'inconclusive', reason: e.message };
    } else if (e instanceof Violation) {
      const d = e.detail;
      const replay = replayCommand(api.name, rule.id, d.seed ?? settings.seed, d.path);
      outcome = { status: 'fail', violation: reportViolation(d, replay) };
    } else if (e instanceof Skip) {
      outcome = { status: 'skip', reason: e.message };
    } else if (e instanceof BudgetExhausted) {
      outcome = { status: 'skip', reason: `stopped: ${e.message}` };
    } else if (e instanceof WriteRefused) {
      // the rule needs a write this run may not send: not checked is not passed
      outcome = { status: 'skip', reason: e.message };
    } else if (e instanceof TransportError) {
      // the target stopped answering mid-run (timeout, reset): a finding, not our crash
      outcome = {
        status: 'fail',
        violation: reportViolation(
          { expected: 'an HTTP answer', actual: e.message },
          replayCommand(api.name, rule.id, settings.seed),
        ),
      };
    } else {
      outcome = {
        status: 'fail',
        violation: reportViolation(
          { expected: 'the check to run', actual: `internal error: ${redactText(errorMessage(e))}` },
          replayCommand(api.name, rule.id, settings.seed),
        ),
      };
    }
  }
  await flushAudit(ctx);
  const { drift, coverage } = ctx.endRule();
  return {
    ...base,
    ...outcome,
    ...(drift.length ? { drift } : {}),
    ...(coverage !== undefined ? { coverage } : {}),
    requests: http.stats.sent - before.sent,
    cacheHits: http.stats.cacheHits - before.cacheHits,
    retries: http.stats.retries - before.retries,
    ms: Date.now() - started,
  };
}

/** The deferred audit; a run that ran out (budget, deadline) mid-settle leaves the rest unjudged, never crashes. */
async function flushAudit(ctx: BaseContext): Promise<void> {
  try {
    await ctx.flushAudit();
  } catch (e) {
    if (!(e instanceof BudgetExhausted || e instanceof TransportError)) throw e;
  }
}

/**
 * A rule whose statement the response audit found broken fails with that evidence, whatever its own check
 * concluded (a pass, blocked, inconclusive, or skipped for want of data); a rule stopped by the run's end stays so.
 */
export function withAuditFinding(
  api: ApiModule,
  found: AuditFinding | undefined,
  r: RuleResult,
  settings: RunSettings,
): RuleResult | undefined {
  if (!found || r.status === 'fail' || (r.status === 'skip' && r.reason?.startsWith('stopped:'))) return undefined;
  const { reason: _r, blockedBy: _b, ...rest } = r;
  return {
    ...rest,
    status: 'fail',
    violation: reportViolation(found.detail, replayCommand(api.name, found.carrier ?? r.id, settings.seed)),
  };
}

/** The API's context for this run, with the API's own settings from `readConfig`. */
export function createContext(api: ApiModule, http: HttpClient, settings: RunSettings): BaseContext {
  // a run assembled without readConfig (self-tests) gets the API's defaults, never process.env
  return api.createContext(http, settings, settings.apiSettings?.[api.name] ?? api.readSettings({}));
}

function skipped(api: ApiModule, rule: Rule<string, BaseContext>, reason: string): RuleResult {
  return {
    id: rule.id,
    api: api.name,
    summary: rule.summary,
    doc: rule.doc,
    basis: rule.basis,
    status: 'skip',
    reason,
    requests: 0,
    cacheHits: 0,
    retries: 0,
    ms: 0,
  };
}

export function replayCommand(api: string, ruleId: string, seed: number, path?: string): string {
  return `npm run conformance -- --api ${api} --rule ${ruleId} --replay ${seed}${path ? ` --path '${path}'` : ''}`;
}

/**
 * One cheap request that turns "can't check this target at all" into a one-line TargetError.
 * Returns a `stopped: …` reason when the run ran out (deadline, interrupt, budget) before it got an answer.
 */
export async function preflight(api: ApiModule, http: HttpClient, target: Target): Promise<string | undefined> {
  const where = `${api.env.baseUrl}=${redactText(target.baseUrl)}`;
  const first = `the first request (GET ${api.probe.path})`;
  let ex: Awaited<ReturnType<HttpClient['get']>>;
  try {
    ex = await http.get(api.probe.path, api.probe.query);
  } catch (e) {
    if (e instanceof BudgetExhausted) return `stopped: ${e.message}`;
    if (!(e instanceof TransportError)) throw e;
    throw new TargetError(`${api.name}: ${transportHint(e, where)}`);
  }
  const fail = (problem: string, fix: string) => new TargetError(`${api.name}: ${problem}; ${fix}`);
  if (ex.status === 401 || ex.status === 403)
    throw fail(`the target refused the key (${ex.status})`, `check ${api.env.apiKey} is a valid key for ${where}`);
  if (ex.status === 404)
    throw fail(
      `no ${api.probe.path} endpoint at ${where} (404)`,
      'set the base URL to the API root, e.g. https://host or https://host/v1',
    );
  if (ex.status >= 300 && ex.status < 400)
    throw fail(
      `${where} redirects (${ex.status}${ex.headers.location ? ` to ${ex.headers.location}` : ''})`,
      'set the base URL to where the API answers, e.g. https:// instead of http://',
    );
  if (ex.status === 429)
    throw fail(
      `${where} still answered 429 to ${first} after ${ex.retries} retries`,
      'lower CONFORMANCE_RATE or run later',
    );
  if (ex.status >= 500)
    throw fail(`${where} answered ${ex.status} to ${first}`, 'check the target is up and healthy, then run again');
  if (!ex.isJson && /^\s*</.test(ex.text))
    throw fail(
      `${where} answered HTML, not JSON (${ex.status})`,
      'point the base URL at the API, not a web page or proxy login',
    );
  if (!ex.isJson)
    throw fail(
      `${where} answered ${ex.status} with a body that is not JSON (${JSON.stringify(ex.text.slice(0, 40))})`,
      'point the base URL at the API root',
    );
  if (!http.hasSecondKey) return undefined;
  // a refused second key would make every isolation rule fail for the wrong reason: say so up front
  let second: Awaited<ReturnType<HttpClient['get']>>;
  try {
    second = await http.get(api.probe.path, api.probe.query, { auth: 'second' });
  } catch (e) {
    if (e instanceof BudgetExhausted) return `stopped: ${e.message}`;
    throw e;
  }
  // the first key's probe passed, so a 4xx here is about the second key (refused, or e.g. 402 for a plan without API access)
  const refused = second.status >= 400 && second.status < 500 && second.status !== 429;
  // a provider written for one account (a variant, a benchmark server): isolation is skipped, not failed
  if (refused && target.kind === 'embedded') http.secondKeyRefused = true;
  else if (refused)
    throw fail(
      `the target refused the second key (${second.status})`,
      `check ${api.env.apiKey}_2 is a valid API key of a second account for ${where}, or unset it`,
    );
  return undefined;
}

function transportHint(e: TransportError, where: string): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused at ${where}; start the server or fix the URL/port`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found for ${where}; check the host name`;
    case 'TIMEOUT':
      return `no answer from ${where} in time; check the target is up or raise CONFORMANCE_TIMEOUT_MS`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${where} closed the connection; check the URL (http:// vs https://) and that the target is up`;
    default:
      if (/CERT|TLS|SSL|EPROTO/i.test(e.code) || /certificate|tls|ssl/i.test(e.message))
        return `TLS failed for ${where} (${e.code}); fix the certificate, or use http:// for a plain-HTTP target`;
      return `cannot reach ${where} (${e.message}); check the URL and network`;
  }
}

/** One line per failed root-cause rule: the other failures that compare against its listing may be knock-on. */
export function rootCauseHints(api: ApiModule, results: readonly RuleResult[]): string[] {
  const failed = results.filter((r) => r.status === 'fail');
  const roots = failed.filter((r) => api.rootCauses.rules.includes(r.id)).map((r) => r.id);
  const others = failed.filter((r) => !roots.includes(r.id)).length;
  if (!roots.length || !others) return [];
  return [
    `fix ${roots.join(' and ')} first: ${api.rootCauses.because}, so ${others} other failure${others === 1 ? '' : 's'} may follow from it`,
  ];
}
