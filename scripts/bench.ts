/**
 * `npm run bench`: four figures measured in one run, stated as ratios so they hold on a noisy machine.
 *  1. throughput: the default run's requests/s against a plain loop of the same GETs (same fetch, same provider)
 *  2. provider scaling: handler time per page with 1,000,000 rows against 1,000 (first, cursor, filtered pages)
 *  3. property throughput: generated cases per second (CONFORMANCE_RUNS high), and per raw GET
 *  4. whole-run wall time of `npm run conformance` on every registered API, against 20 s
 *  5. what a configured run costs: requests per API and profile on a busy account at five seeds (budget per API),
 *     and the deep profile on a 20,000-row account: requests, minutes at the API's default live rate, rows covered
 *  6. one fault, one failure: failing rules per single-fault provider (median, max), owner caught and first
 * Writes reports/bench.json. Not a test: nothing here asserts; the README quotes the figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { apis } from '../src/apis';
import { runConformance } from '../src/run';
import type { ApiModule, ApiName } from '../src/shared/api';
import { type RunConfig, readConfig } from '../src/runner/config';
import { distribution, faultMatrix } from '../src/selftest/fault-matrix';
import { selfTestConfig } from '../src/selftest/harness';
import type { RunningServer } from '../src/shared/server';

const SEED = 42;
const BIG = 1_000_000;
const SMALL = 1_000;
const PROPERTY_RUNS = 200;
/** Times each catalogue page is sent in the scaling figure; a kind of page needs MIN_SAMPLES to be judged. */
const REPEAT = 4;
const MIN_SAMPLES = 12;
/** Timings per kind and size the scaling figure aims for (rounds over a kind's pages until reached). */
const SAMPLES = 200;
// `npm run bench -- --api runtype --only 2,5`: one API, some figures (a developer's shortcut; the README quotes full runs)
const argValue = (flag: string) => process.argv[process.argv.indexOf(flag) + 1];
const onlyApis = process.argv.includes('--api') ? argValue('--api')?.split(',') : undefined;
const onlyFigures = process.argv.includes('--only') ? argValue('--only')?.split(',') : undefined;
const modules = Object.values(apis).filter(
  (m): m is ApiModule => m !== undefined && (!onlyApis || onlyApis.includes(m.name)),
);
const names = modules.map((m) => m.name);

/** Embedded targets only: a configured target in .env or the environment must not be benchmarked by accident. */
function config(extra: Record<string, string> = {}, argv: string[] = []): RunConfig {
  return readConfig(['--api', names.join(','), ...argv], { CONFORMANCE_SEED: String(SEED), ...extra });
}

// ---- fetch instrumentation: every request the suite sends, with the provider's handler time for it
interface Sent {
  url: string;
  headers: Record<string, string>;
  handlerMs: number;
  status: number;
}
let recording: { log: Sent[]; server: RunningServer } | undefined;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const rec = recording;
  if (!rec) return realFetch(input, init);
  const before = rec.server.handlerMs ?? 0;
  const res = await realFetch(input, init);
  // the suite sends one request at a time, so the handler-time delta belongs to this request
  rec.log.push({
    url: String(input),
    headers: { ...(init?.headers as Record<string, string>) },
    handlerMs: (rec.server.handlerMs ?? 0) - before,
    status: res.status,
  });
  return res;
};

/** Runs `config` with `api`'s provider kept open (and seeded with `rows`), recording its requests. */
async function recordedRun(
  api: ApiModule,
  cfg: RunConfig,
  rows?: number,
): Promise<{
  log: Sent[];
  server: RunningServer;
  runMs: number;
  seedMs: number;
  sent: number;
  close: () => Promise<void>;
}> {
  let server: RunningServer | undefined;
  let seedMs = 0;
  const log: Sent[] = [];
  const held: ApiModule = {
    ...api,
    startProvider: async (p) => {
      const t = performance.now();
      server = await api.startProvider({ ...p, ...(rows ? { rows } : {}) });
      seedMs = performance.now() - t;
      recording = { log, server };
      // kept open for the raw loop; closed by the caller
      return { ...server, url: server.url, port: server.port, requests: server.requests, close: async () => {} };
    },
  };
  const t = performance.now();
  const report = await runConformance(
    { ...cfg, cli: { ...cfg.cli, apis: [api.name] } },
    { modules: { [api.name]: held } },
  );
  const runMs = performance.now() - t - seedMs;
  recording = undefined;
  if (!server) throw new Error(`${api.name}: provider did not start`);
  const s = server;
  return { log, server: s, runMs, seedMs, sent: report.apis[0]?.stats.sent ?? 0, close: () => s.close() };
}

// ---- 1. throughput
async function throughput() {
  const perApi: Record<string, { requests: number; suiteMs: number; rawMs: number }> = {};
  for (const api of modules) {
    await (await recordedRun(api, config())).close(); // warm-up: JIT for suite, provider and fetch alike
    const run = await recordedRun(api, config());
    const t = performance.now();
    for (const r of run.log) await (await realFetch(r.url, { headers: r.headers })).text();
    const rawMs = performance.now() - t;
    await run.close();
    perApi[api.name] = { requests: run.log.length, suiteMs: run.runMs, rawMs };
  }
  const requests = sum(Object.values(perApi).map((x) => x.requests));
  const suiteMs = sum(Object.values(perApi).map((x) => x.suiteMs));
  const rawMs = sum(Object.values(perApi).map((x) => x.rawMs));
  const suiteRps = (requests / suiteMs) * 1000;
  const rawRps = (requests / rawMs) * 1000;
  return {
    requests,
    suiteMs: round(suiteMs),
    rawMs: round(rawMs),
    suiteRps: round(suiteRps),
    rawRps: round(rawRps),
    ratio: round(suiteRps / rawRps, 2),
    goal: '>= 0.5',
    met: suiteRps / rawRps >= 0.5,
    perApi: mapValues(perApi, (x) => ({
      ...x,
      suiteMs: round(x.suiteMs),
      rawMs: round(x.rawMs),
      ratio: round(x.rawMs / x.suiteMs, 2),
    })),
  };
}

// ---- 2. provider scaling
/** `filtered page [status+since]`: filtered pages are told apart by their filters, so a slow one is named. */
type Kind = string;
const CURSOR_PARAMS = ['startingAfter', 'endingBefore', 'cursor'];
const NOT_FILTERS = new Set(['limit', 'direction', ...CURSOR_PARAMS]);

function kindOf(url: string): Kind | undefined {
  const keys = [...new URL(url).searchParams.keys()];
  // error answers (bad limits, fuzz) are not pages; keep to queries a page can come from
  if (keys.some((k) => k === 'unknownParam')) return undefined;
  const filters = [...new Set(keys.filter((k) => !NOT_FILTERS.has(k)))].sort();
  if (filters.length) return `filtered page [${filters.join('+')}]`;
  if (keys.some((k) => CURSOR_PARAMS.includes(k))) return 'cursor page';
  return 'first page';
}

/**
 * Pages deep inside the data, which the catalogue (walks capped at 1000 rows) never reaches. Per API because
 * reaching the middle needs the API's parameters; an API without an entry is measured on the catalogue's pages only.
 */
const middlePages: Partial<
  Record<
    ApiName,
    (base: string, rows: number, get: (path: string) => Promise<unknown>) => Promise<{ kind: Kind; path: string }[]>
  >
> = {
  betterprompt: async (_base, rows, get) => {
    const first = (await get('/v1/runs?limit=1')) as { data: { rows: { createdAt: string }[] } };
    const newest = Math.floor(Date.parse(first.data.rows[0]?.createdAt ?? '') / 1000);
    // seeded rows are ~0.8 s apart on average: this second lies about halfway down the listing
    const mid = newest - Math.round(rows * 0.4);
    const page = (await get(`/v1/runs?until=${mid}&limit=50`)) as { data: { rows: { runId: string }[] } };
    const ids = page.data.rows.map((r) => r.runId);
    const out: { kind: Kind; path: string }[] = [];
    for (const id of ids.slice(0, 20)) {
      out.push({ kind: 'middle cursor page', path: `/v1/runs?startingAfter=${id}&limit=50` });
      out.push({ kind: 'middle cursor page', path: `/v1/runs?endingBefore=${id}&limit=50` });
      out.push({ kind: 'middle filtered page', path: `/v1/runs?status=failed&startingAfter=${id}&limit=50` });
      out.push({
        kind: 'middle filtered page',
        path: `/v1/runs?since=${mid - 3600}&until=${mid}&status=succeeded&endingBefore=${id}&limit=50`,
      });
    }
    return out;
  },
};

/** One page to time: its kind, URL and headers. */
interface Page {
  kind: Kind;
  url: string;
  headers: Record<string, string>;
}

/** Runs the catalogue on `rows` rows and keeps the provider open: the pages it asked for, plus the API's middle pages. */
async function pagesAt(api: ApiModule, rows: number) {
  const run = await recordedRun(api, config(), rows);
  // only pages: the 4xx answers to invalid parameters are not what this figure is about
  const pages: Page[] = run.log.flatMap((r) => {
    const kind = r.status === 200 ? kindOf(r.url) : undefined;
    return kind ? [{ kind, url: r.url, headers: r.headers }] : [];
  });
  const middle = middlePages[api.name];
  if (middle) {
    const headers = run.log[0]?.headers ?? {};
    const get = async (path: string) => (await realFetch(`${run.server.url}${path}`, { headers })).json();
    for (const { kind, path } of await middle(run.server.url, rows, get))
      pages.push({ kind, url: `${run.server.url}${path}`, headers });
  }
  return { run, pages };
}

/** The provider's handler time for one more sending of `page` (no HTTP, no JSON serialisation). */
async function timed(server: RunningServer, page: Page): Promise<number> {
  const before = server.handlerMs ?? 0;
  await (await realFetch(page.url, { headers: page.headers })).text();
  return (server.handlerMs ?? 0) - before;
}

/**
 * Per kind of page, the median handler time at 1M rows over that at 1k: a page costs microseconds, so a mean
 * would mostly measure the odd GC pause. The goal (≤ 2×) holds when every kind's median ratio does.
 * Both providers stay open and are timed in alternation, kind by kind, round after round: timed one after the
 * other, a few microseconds of machine noise (another process, JIT tiering, a GC) moved a kind's ratio by 0.5×
 * between runs. Each kind is sent until it has SAMPLES timings per size (each recorded page at least REPEAT times).
 */
async function scaling() {
  const out: Record<string, unknown> = {};
  for (const api of modules) {
    const warm = await pagesAt(api, SMALL); // warm-up: JIT for suite and provider
    await warm.run.close();
    const small = await pagesAt(api, SMALL);
    const big = await pagesAt(api, BIG);
    const samples = { small: new Map<Kind, number[]>(), big: new Map<Kind, number[]>() };
    const byKind = (pages: Page[]) => {
      const m = new Map<Kind, Page[]>();
      for (const p of pages) m.set(p.kind, [...(m.get(p.kind) ?? []), p]);
      return m;
    };
    const smallPages = byKind(small.pages);
    const bigPages = byKind(big.pages);
    const add = (m: Map<Kind, number[]>, kind: Kind, ms: number) => m.set(kind, [...(m.get(kind) ?? []), ms]);
    for (const [kind, sp] of smallPages) {
      const bp = bigPages.get(kind);
      if (!bp?.length) continue;
      const rounds = Math.max(REPEAT, Math.ceil(SAMPLES / Math.min(sp.length, bp.length)));
      for (let i = 0; i < rounds; i++) {
        for (const p of sp) add(samples.small, kind, await timed(small.run.server, p));
        for (const p of bp) add(samples.big, kind, await timed(big.run.server, p));
      }
    }
    await small.run.close();
    await big.run.close();
    const kinds: Record<string, { pages: number[]; medianMs: number[]; ratio: number; judged: boolean }> = {};
    for (const [kind, s] of samples.small) {
      const b = samples.big.get(kind) ?? [];
      if (!b.length || !s.length) continue;
      kinds[kind] = {
        pages: [smallPages.get(kind)?.length ?? 0, bigPages.get(kind)?.length ?? 0],
        medianMs: [round(median(s), 4), round(median(b), 4)],
        ratio: round(median(b) / median(s), 2),
        judged: Math.min(smallPages.get(kind)?.length ?? 0, bigPages.get(kind)?.length ?? 0) * REPEAT >= MIN_SAMPLES,
      };
    }
    const seedMs = [small.run.seedMs, big.run.seedMs];
    const all = (m: Map<Kind, number[]>) => [...m.values()].flat();
    const judged = Object.entries(kinds).filter(([, k]) => k.judged);
    const worst = Math.max(...judged.map(([, k]) => k.ratio));
    const over = judged.filter(([, k]) => k.ratio > 2).map(([name]) => name);
    out[api.name] = {
      rows: [SMALL, BIG],
      seedMs: seedMs.map((ms) => round(ms)),
      worstKindRatio: worst,
      medianRatio: round(median(all(samples.big)) / median(all(samples.small)), 2),
      meanRatio: round(mean(all(samples.big)) / mean(all(samples.small)), 2),
      goal: '<= 2 for every kind of page',
      met: worst <= 2,
      over2x: over,
      kinds,
    };
  }
  return out;
}

// ---- 3. property throughput
async function properties(rawRps: number) {
  let cases = 0;
  let props = 0;
  let ms = 0;
  let counting = false;
  // counts every property the catalogues check, from its first generated case to its verdict
  fc.installGlobalPlugin(() => {
    const t = performance.now();
    return {
      onAllRunsComplete: (d: fc.RunDetails<unknown>) => {
        if (!counting) return;
        cases += d.numRuns;
        props++;
        ms += performance.now() - t;
      },
    };
  });
  const cfg = config({ CONFORMANCE_RUNS: String(PROPERTY_RUNS), CONFORMANCE_MAX_REQUESTS: '1000000' });
  await runConformance(cfg); // warm-up
  counting = true;
  const t = performance.now();
  const report = await runConformance(cfg);
  const runMs = performance.now() - t;
  counting = false;
  const perSec = (cases / ms) * 1000;
  return {
    runs: PROPERTY_RUNS,
    properties: props,
    cases,
    propertyMs: round(ms),
    runMs: round(runMs),
    casesPerSec: round(perSec),
    rawGetsPerCase: round(rawRps / perSec, 2),
    requests: sum(report.apis.map((a) => a.stats.sent)),
    reused: sum(report.apis.map((a) => a.stats.cacheHits)),
  };
}

// ---- 4. whole-run wall time, as a user runs it (tsx start-up included)
function wallTime() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
  const env = {
    ...process.env,
    BETTERPROMPT_BASE_URL: '',
    BETTERPROMPT_API_KEY: '',
    RUNTYPE_BASE_URL: '',
    RUNTYPE_API_KEY: '',
    CI: 'true',
  };
  const t = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', '--api', names.join(','), '--report-dir', dir],
    { env, encoding: 'utf8' },
  );
  const ms = performance.now() - t;
  rmSync(dir, { recursive: true, force: true });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  return {
    apis: names,
    ms: round(ms),
    target: 20_000,
    ratio: round(ms / 20_000, 2),
    met: ms < 20_000 && run.status === 0,
    exit: run.status,
    summary: last,
  };
}

// ---- 5. request cost of a configured run (counted against the embedded provider, second key set)
/** A busy staging account: past the walk cap, new rows, status changes and edits while the suite runs. */
const BUSY = { rows: 2_500, drift: { addEvery: 20, statusEvery: 25, editEvery: 30 } };
const COST_SEEDS = [1, 2, 3, 4, 5];
/** The large account the deep profile must cover end to end. */
const DEEP_ROWS = 20_000;
/** Requests a default run may cost per API (issue 20); the deep profile's budget is 10 minutes at the live rate. */
const BUDGET: Partial<Record<ApiName, number>> = { betterprompt: 600, runtype: 300 };
/**
 * The account each budget is stated for: BetterPrompt's on a busy 2,500-run account, Runtype's on a quiet one past
 * the walk cap (where its ~360 was measured). Runtype on the busy account is printed beside it, without a goal.
 */
const BUDGET_ACCOUNT: Record<ApiName, { rows: number; drift?: typeof BUSY.drift }> = {
  betterprompt: BUSY,
  runtype: { rows: 1_500 },
};
/** The rule whose verdict states how much of the listing the run read. */
const COVERAGE_RULE: Record<ApiName, string> = { betterprompt: 'BP-WALK-FORWARD', runtype: 'RT-WALK-FORWARD' };

interface Seeds {
  requests: number[];
  max: number;
  met: boolean;
  unclean: string[];
}

interface CostRun {
  requests: number;
  minutes: number;
  coverage: string | undefined;
  /** Rules that failed (`ID`) or were inconclusive (`ID?`): a clean provider should have no failure. */
  unclean: string[];
}

async function costRun(
  m: ApiModule,
  depth: 'default' | 'deep',
  seed: number,
  data: { rows: number; drift?: { addEvery: number; statusEvery: number; editEvery: number } },
): Promise<CostRun> {
  const base = config(depth === 'deep' ? { CONFORMANCE_DEPTH: 'deep' } : {});
  const cfg: RunConfig = { ...selfTestConfig(m, { seed }), settings: { ...base.settings, seed } };
  const held: ApiModule = { ...m, startProvider: (p) => m.startProvider({ ...p, ...data, dataSeed: seed }) };
  const report = await runConformance(cfg, { modules: { [m.name]: held } });
  const a = report.apis[0];
  const requests = (a?.stats.sent ?? 0) + (a?.stats.retries ?? 0);
  const run: CostRun = {
    requests,
    minutes: round(requests / m.liveRate / 60, 1),
    coverage: a?.results.find((r) => r.id === COVERAGE_RULE[m.name])?.coverage,
    unclean: (a?.results ?? [])
      .filter((r) => r.status === 'fail' || r.status === 'inconclusive')
      .map((r) => (r.status === 'fail' ? r.id : `${r.id}?`)),
  };
  // a clean provider should fail nothing: say what failed, so a false alarm can be chased from the bench output
  for (const r of a?.results ?? [])
    if (r.status === 'fail' || r.status === 'inconclusive')
      process.stderr.write(
        `bench: ${m.name} ${depth} seed ${seed} ${data.rows} rows: ${r.id} ${r.status}: ${r.violation ? `expected ${r.violation.expected}, actual ${r.violation.actual} (${r.violation.exchange?.request.url ?? ''})` : (r.reason ?? '')}\n`,
      );
  return run;
}

async function cost() {
  const out: Record<
    string,
    {
      liveRate: number;
      budget: number | undefined;
      account: { rows: number; busy: boolean };
      profiles: Record<'default' | 'deep', Seeds>;
      busy?: Seeds;
      large: CostRun & { rows: number; met: boolean };
    }
  > = {};
  for (const m of modules) {
    const budget = BUDGET[m.name];
    const account = BUDGET_ACCOUNT[m.name];
    const seeds = async (depth: 'default' | 'deep', data: { rows: number; drift?: typeof BUSY.drift }) => {
      const runs = [];
      for (const seed of COST_SEEDS) runs.push(await costRun(m, depth, seed, data));
      const requests = runs.map((r) => r.requests);
      const max = Math.max(...requests);
      const unclean = [...new Set(runs.flatMap((r) => r.unclean))];
      return { requests, max, met: depth === 'deep' || budget === undefined || max <= budget, unclean };
    };
    const large = await costRun(m, 'deep', SEED, { rows: DEEP_ROWS });
    out[m.name] = {
      liveRate: m.liveRate,
      budget,
      account: { rows: account.rows, busy: account.drift !== undefined },
      profiles: { default: await seeds('default', account), deep: await seeds('deep', account) },
      ...(account.drift ? {} : { busy: await seeds('default', BUSY) }),
      large: { ...large, rows: DEEP_ROWS, met: large.minutes <= 10 },
    };
  }
  return out;
}

function costLines(costs: Awaited<ReturnType<typeof cost>>): string[] {
  return Object.entries(costs).flatMap(([name, c]) => {
    const line = (label: string, b: Seeds, goal: boolean) => {
      const verdict = goal && c.budget !== undefined ? ` (goal ≤ ${c.budget}: ${b.met ? 'met' : 'MISSED'})` : '';
      return `${label} ${Math.min(...b.requests)}–${b.max} requests over seeds ${COST_SEEDS.join(',')}, max ${round(b.max / c.liveRate / 60, 1)} min${verdict}${b.unclean.length ? `; failed/inconclusive(?): ${b.unclean.join(', ')}` : ''}`;
    };
    const l = c.large;
    const where = `${c.account.busy ? 'busy' : 'quiet'} ${c.account.rows}-row account, second key`;
    return [
      `5. run cost       ${name}: ${where}: ${line('default', c.profiles.default, true)}; ${line('deep', c.profiles.deep, false)}`,
      ...(c.busy
        ? [`                  ${name}: busy ${BUSY.rows}-row account: ${line('default', c.busy, false)}`]
        : []),
      `                  ${name}: deep profile on ${l.rows.toLocaleString('en')} rows: ${l.requests} requests = ${l.minutes} min at ${c.liveRate} req/s (goal ≤ 10: ${l.met ? 'met' : 'MISSED'}); ${l.coverage ?? 'no coverage stated'}${l.unclean.length ? `; failed/inconclusive(?): ${l.unclean.join(', ')}` : ''}`,
    ];
  });
}

// ---- 6. one fault, one failure
async function faultSpread() {
  const out: Record<string, ReturnType<typeof distribution>> = {};
  for (const m of modules) out[m.name] = distribution(await faultMatrix(m, { seed: SEED }));
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
function mean(xs: readonly number[]): number {
  return sum([...xs]) / Math.max(1, xs.length);
}
function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
function mapValues<T, U>(o: Record<string, T>, f: (t: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** Phase markers on stderr: the scaling phase seeds 1M rows per API and takes a while. Skipped unless selected. */
async function phase<T>(figure: string, name: string, f: () => T | Promise<T>): Promise<T | undefined> {
  if (onlyFigures && !onlyFigures.includes(figure)) return undefined;
  const t = performance.now();
  process.stderr.write(`bench: ${figure}. ${name}…\n`);
  const out = await f();
  process.stderr.write(`bench: ${figure}. ${name} done in ${round((performance.now() - t) / 1000, 1)} s\n`);
  return out;
}

const started = new Date();
const wall = await phase('4', 'whole-run wall time', wallTime);
const tp = await phase('1', 'throughput', throughput);
const props = await phase('3', 'property throughput', () => properties(tp?.rawRps ?? Number.NaN));
const scale = await phase('2', 'provider scaling (seeds 1,000,000 rows per API)', scaling);
const costs = await phase('5', 'request cost of a configured run', cost);
const spread = await phase('6', 'failing rules per single fault', faultSpread);
const result = {
  date: started.toISOString().slice(0, 10),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  seed: SEED,
  throughput: tp,
  scaling: scale,
  properties: props,
  wallTime: wall,
  cost: costs,
  faultSpread: spread,
};
mkdirSync('reports', { recursive: true });
writeFileSync(
  onlyFigures || onlyApis ? 'reports/bench-part.json' : 'reports/bench.json',
  `${JSON.stringify(result, null, 2)}\n`,
);

console.log(
  `bench ${result.date} · ${result.machine.cpus} × ${result.machine.model} · node ${result.machine.node} · APIs ${names.join(', ')}`,
);
if (tp)
  console.log(
    `1. throughput     suite ${tp.suiteRps} req/s vs raw loop ${tp.rawRps} req/s over the same ${tp.requests} GETs: ratio ${tp.ratio} (goal ≥ 0.5: ${tp.met ? 'met' : 'MISSED'})`,
  );
for (const [name, s] of Object.entries(scale ?? {}) as [
  string,
  {
    worstKindRatio: number;
    medianRatio: number;
    met: boolean;
    seedMs: number[];
    over2x: string[];
    kinds: Record<string, { ratio: number; judged: boolean }>;
  },
][]) {
  const over = s.over2x.map((k) => `${k} ${s.kinds[k]?.ratio}×`).join(', ');
  console.log(
    `2. scaling        ${name}: handler time per page at 1,000,000 vs 1,000 rows: worst of ${Object.values(s.kinds).filter((k) => k.judged).length} kinds of page ${s.worstKindRatio}×, all pages ${s.medianRatio}× (medians; goal ≤ 2: ${s.met ? 'met' : 'MISSED'})${over ? `; over 2×: ${over}` : ''}; seeding ${s.seedMs.join(' / ')} ms`,
  );
}
if (props)
  console.log(
    `3. properties     ${props.casesPerSec} cases/s (${props.cases} cases in ${props.properties} properties at CONFORMANCE_RUNS=${props.runs}); one case costs the time of ${props.rawGetsPerCase} raw GETs`,
  );
if (wall)
  console.log(
    `4. wall time      ${wall.ms} ms for the default run on ${names.join(' + ')} = ${wall.ratio} of the 20 s target (${wall.met ? 'met' : 'MISSED'}; exit ${wall.exit}: ${wall.summary})`,
  );
for (const line of costLines(costs ?? {})) console.log(line);
for (const [name, d] of Object.entries(spread ?? {})) {
  const worst = d.worst.map((w) => `${w.rule} → ${w.failed.length}`).join(', ');
  console.log(
    `6. fault spread   ${name}: ${d.caught}/${d.faults} faults caught by their own rule, ${d.ownerOnly} by it alone, ${d.ownerFirst} as the first failure; failing rules per fault median ${d.median}, max ${d.max}${worst ? ` (${worst})` : ''}`,
  );
}
console.log(`written: reports/${onlyFigures || onlyApis ? 'bench-part' : 'bench'}.json`);
