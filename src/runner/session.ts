/** One API's run against one target (client, context, preflight, rules, audit): its report section. */
import type { ApiModule } from '../shared/api';
import type { AuditFinding } from '../shared/audit';
import type { BaseContext, RunSettings } from '../shared/context';
import { BudgetExhausted, errorMessage, TargetError, TransportError, WriteRefused } from '../shared/errors';
import { apiRoot, HttpClient, type HttpOptions } from '../shared/http';
import { PropertyNotRun } from '../shared/property';
import { redactText } from '../shared/redact';
import {
  type ApiReport,
  type GapResult,
  type ReportedViolation,
  type RuleResult,
  reportViolation,
} from '../shared/report';
import { Blocked, Inconclusive, type Rule, Skip, Violation } from '../shared/rule';
import type { Target } from './target';

export type { Target } from './target';

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

/** Why the run stopped early (budget, deadline, signal), e.g. "interrupted (SIGINT)": the rest is not run. */
export type StopReason = string;

/**
 * What one rule came to, before it becomes a report row. `stopped`: the run ran out (budget, deadline, signal)
 * during the rule, so it and every later rule are not run; `not-run`: a property fast-check could not run (the
 * suite's own problem, never a finding).
 */
export type RuleOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; violation: ReportedViolation }
  | { kind: 'skip'; reason: string }
  | { kind: 'not-run'; reason: string }
  | { kind: 'stopped'; why: StopReason }
  | { kind: 'blocked'; reason: string; by: string[] }
  | { kind: 'inconclusive'; reason: string };

/** The report row's fields for an outcome; the only place a stop is worded (`stopped: …`) for the reports. */
function resultFields(o: RuleOutcome): Pick<RuleResult, 'status' | 'reason' | 'violation' | 'blockedBy'> {
  switch (o.kind) {
    case 'pass':
      return { status: 'pass' };
    case 'fail':
      return { status: 'fail', violation: o.violation };
    case 'skip':
      return { status: 'skip', reason: o.reason };
    case 'not-run':
      return { status: 'skip', reason: `not run: ${o.reason}` };
    case 'stopped':
      return { status: 'skip', reason: `stopped: ${o.why}` };
    case 'blocked':
      return { status: 'blocked', reason: o.reason, blockedBy: o.by };
    case 'inconclusive':
      return { status: 'inconclusive', reason: o.reason };
  }
}

/** The typed stop every reader tests (never the reason's wording); last in the row, where the reports had it. */
function stopField(o: RuleOutcome): Pick<RuleResult, 'notRun'> {
  return o.kind === 'stopped' ? { notRun: o.why } : {};
}

/**
 * One API's run against one target: the client, the API's context and the preflight, then its rules one by one,
 * then the response audit's last word. The CLI and the vitest suites both run it, through {@link runApi}.
 */
export class Session {
  readonly http: HttpClient;
  readonly ctx: BaseContext;
  private readonly results: RuleResult[] = [];
  private stop: StopReason | undefined;

  private constructor(
    readonly api: ApiModule,
    readonly target: Target,
    readonly settings: RunSettings,
    limits: Limits,
  ) {
    this.http = new HttpClient({
      ...limits,
      root: apiRoot(target.baseUrl),
      apiKey: target.apiKey,
      apiKey2: target.apiKey2,
    });
    this.ctx = createContext(api, this.http, settings);
  }

  /** Opens the session: an unusable target is one TargetError line here, not a transport failure per rule. */
  static async open(api: ApiModule, target: Target, settings: RunSettings, limits: Limits): Promise<Session> {
    const s = new Session(api, target, settings, limits);
    // a deadline or interrupt before the first answer: every rule is skipped with that reason, never passed
    s.stop = await preflight(api, s.http, target);
    return s;
  }

  /** Runs one rule (or, once the run has stopped, records it as not run). */
  async run(rule: Rule<string, BaseContext>): Promise<RuleResult> {
    const result = this.stop
      ? notRunResult(this.api, rule, this.stop)
      : await runRule(this.api, rule, this.ctx, this.http, this.settings);
    if (result.notRun !== undefined) this.stop ??= result.notRun;
    this.results.push(result);
    return result;
  }

  /**
   * The API's report: the audit's findings applied to the rules that own them (one fault, one failure), the
   * stop, root-cause hints and documentation gaps. Call once, after the last rule.
   */
  async finish(): Promise<ApiReport> {
    const { api, ctx, settings } = this;
    // the audit's last word: answers received by the last rules, judged against everything the run established
    await flushAudit(ctx);
    const failed = new Set(this.results.filter((r) => r.status === 'fail').map((r) => r.id));
    const verdicts = ctx.audit.verdicts(failed);
    const results = traceBlockers(this.results.map((r) => withAuditFinding(api, verdicts.get(r.id), r, settings) ?? r));
    const hints = rootCauseHints(api, results);
    return {
      api: api.name,
      title: api.title,
      target: { kind: this.target.kind, url: redactText(this.target.baseUrl) },
      results,
      gaps: api.gaps.map((g): GapResult => ({ ...g, observed: [...(ctx.observations.get(g.id) ?? [])] })),
      stats: this.http.stats,
      ...(this.stop ? { incomplete: this.stop } : {}),
      ...(hints.length ? { hints } : {}),
    };
  }
}

export async function runApi(
  api: ApiModule,
  target: Target,
  settings: RunSettings,
  limits: Limits,
  only: ReadonlySet<string> | undefined,
  hooks: RunHooks = {},
): Promise<ApiReport> {
  const session = await Session.open(api, target, settings, limits);
  for (const rule of selectRules(api, only)) {
    const result = await session.run(rule);
    hooks.onRule?.(result);
  }
  return session.finish();
}

/** Runs one rule and maps what it threw to a result; every path runs rules through it (see {@link Session}). */
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
  ctx.beginRule(rule.id);
  let outcome: RuleOutcome;
  try {
    await rule.check(ctx);
    outcome = { kind: 'pass' };
  } catch (e) {
    outcome = outcomeOf(e, api, rule, settings);
  }
  if (outcome.kind === 'fail') ctx.failedRules.add(rule.id);
  await flushAudit(ctx);
  const { drift, coverage } = ctx.endRule();
  return {
    ...base,
    ...resultFields(outcome),
    ...(drift.length ? { drift } : {}),
    ...(coverage !== undefined ? { coverage } : {}),
    requests: http.stats.sent - before.sent,
    cacheHits: http.stats.cacheHits - before.cacheHits,
    retries: http.stats.retries - before.retries,
    ms: Date.now() - started,
    ...stopField(outcome),
  };
}

/** What a rule's check threw, as its outcome. */
function outcomeOf(e: unknown, api: ApiModule, rule: Rule<string, BaseContext>, settings: RunSettings): RuleOutcome {
  if (e instanceof Blocked) return { kind: 'blocked', reason: e.message, by: [...e.by] };
  if (e instanceof Inconclusive) return { kind: 'inconclusive', reason: e.message };
  if (e instanceof Violation) {
    const d = e.detail;
    return {
      kind: 'fail',
      violation: reportViolation(d, replayCommand(api.name, rule.id, d.seed ?? settings.seed, d.path)),
    };
  }
  if (e instanceof Skip) return { kind: 'skip', reason: e.message };
  if (e instanceof BudgetExhausted) return { kind: 'stopped', why: e.message };
  // a property fast-check could not run (too many rejected inputs, interrupted): the suite's problem, not a finding
  if (e instanceof PropertyNotRun) return { kind: 'not-run', reason: e.message };
  // the rule needs a write this run may not send: not checked is not passed
  if (e instanceof WriteRefused) return { kind: 'skip', reason: e.message };
  // the target stopped answering mid-run (timeout, reset): a finding, not our crash
  if (e instanceof TransportError)
    return {
      kind: 'fail',
      violation: reportViolation(
        { expected: 'an HTTP answer', actual: e.message },
        replayCommand(api.name, rule.id, settings.seed),
      ),
    };
  return {
    kind: 'fail',
    violation: reportViolation(
      { expected: 'the check to run', actual: `internal error: ${redactText(errorMessage(e))}` },
      replayCommand(api.name, rule.id, settings.seed),
    ),
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
  if (!found || r.status === 'fail' || r.notRun !== undefined) return undefined;
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

/** A rule the run did not get to because it had stopped. */
function notRunResult(api: ApiModule, rule: Rule<string, BaseContext>, why: StopReason): RuleResult {
  const outcome: RuleOutcome = { kind: 'stopped', why };
  return {
    id: rule.id,
    api: api.name,
    summary: rule.summary,
    doc: rule.doc,
    basis: rule.basis,
    ...resultFields(outcome),
    requests: 0,
    cacheHits: 0,
    retries: 0,
    ms: 0,
    ...stopField(outcome),
  };
}

export function replayCommand(api: string, ruleId: string, seed: number, path?: string): string {
  return `npm run conformance -- --api ${api} --rule ${ruleId} --replay ${seed}${path ? ` --path '${path}'` : ''}`;
}

/**
 * One cheap request that turns "can't check this target at all" into a one-line TargetError.
 * Returns why the run stopped when it ran out (deadline, signal, budget) before it got an answer.
 */
export async function preflight(api: ApiModule, http: HttpClient, target: Target): Promise<StopReason | undefined> {
  const where = `${api.env.baseUrl}=${redactText(target.baseUrl)}`;
  const first = `the first request (GET ${api.probe.path})`;
  let ex: Awaited<ReturnType<HttpClient['get']>>;
  try {
    ex = await http.get(api.probe.path, api.probe.query);
  } catch (e) {
    if (e instanceof BudgetExhausted) return e.message;
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
    if (e instanceof BudgetExhausted) return e.message;
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

/**
 * A rule blocked by a rule that was itself blocked names the rules at the end of the chain instead (a listing
 * finding of a walk rule that was blocked by the cursor rule's failure): a blocked verdict points at a failure.
 */
export function traceBlockers(results: readonly RuleResult[]): RuleResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const ends = (id: string, seen: ReadonlySet<string>): string[] => {
    const r = byId.get(id);
    if (r?.status !== 'blocked' || !r.blockedBy?.length || seen.has(id)) return [id];
    return r.blockedBy.flatMap((b) => ends(b, new Set([...seen, id])));
  };
  return results.map((r) => {
    if (r.status !== 'blocked' || !r.blockedBy?.length) return r;
    const by = [...new Set(r.blockedBy.flatMap((b) => ends(b, new Set([r.id]))))];
    const via = r.blockedBy.filter((b) => !by.includes(b));
    if (!via.length) return r;
    return { ...r, blockedBy: by, reason: `${r.reason} (${via.join(', ')} itself blocked by ${by.join(', ')})` };
  });
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
