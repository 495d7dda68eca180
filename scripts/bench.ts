/**
 * `npm run bench`: four figures measured in one run, stated as ratios so they hold on a noisy machine.
 *  1. throughput: the default run's requests/s against a plain loop of the same GETs (same fetch, same provider)
 *  2. provider scaling: handler time per page with 1,000,000 rows against 1,000 (first, cursor, filtered pages)
 *  3. property throughput: generated cases per second (CONFORMANCE_RUNS high), and per raw GET
 *  4. whole-run wall time of `npm run conformance` on every registered API, against 20 s
 *  5. what a configured run costs: requests per API at the default settings on data past the walk cap, and
 *     minutes at the API's default live rate (and the same for the deep profile)
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
import { type RunConfig, readConfig } from '../src/shared/config';
import { distribution, faultMatrix } from '../src/shared/fault-matrix';
import { selfTestConfig } from '../src/shared/selftest';
import type { RunningServer } from '../src/shared/server';

const SEED = 42;
const BIG = 1_000_000;
const SMALL = 1_000;
const PROPERTY_RUNS = 200;
/** Times each catalogue page is sent in the scaling figure; a kind of page needs MIN_SAMPLES to be judged. */
const REPEAT = 4;
const MIN_SAMPLES = 12;
const modules = Object.values(apis).filter((m): m is ApiModule => m !== undefined);
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

async function pagesAt(api: ApiModule, rows: number) {
  const run = await recordedRun(api, config(), rows);
  const byKind = new Map<Kind, number[]>();
  const add = (kind: Kind | undefined, ms: number) => {
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  };
  const timed = async (url: string, headers: Record<string, string>) => {
    const before = run.server.handlerMs ?? 0;
    await (await realFetch(url, { headers })).text();
    return (run.server.handlerMs ?? 0) - before;
  };
  // each page the catalogue asked for, timed as it ran and re-sent a few times: some kinds occur only once a run
  for (const r of run.log) {
    // only pages: the 4xx answers to invalid parameters are not what this figure is about
    const kind = r.status === 200 ? kindOf(r.url) : undefined;
    if (!kind) continue;
    add(kind, r.handlerMs);
    for (let i = 1; i < REPEAT; i++) add(kind, await timed(r.url, r.headers));
  }
  const middle = middlePages[api.name];
  if (middle) {
    const headers = run.log[0]?.headers ?? {};
    const get = async (path: string) => (await realFetch(`${run.server.url}${path}`, { headers })).json();
    for (const { kind, path } of await middle(run.server.url, rows, get))
      for (let i = 0; i < 2 * REPEAT; i++) add(kind, await timed(`${run.server.url}${path}`, headers));
  }
  await run.close();
  return { seedMs: run.seedMs, byKind };
}

/**
 * Per kind of page, the median handler time at 1M rows over that at 1k: a page costs microseconds, so a mean
 * would mostly measure the odd GC pause. The goal (≤ 2×) holds when every kind's median ratio does.
 */
async function scaling() {
  const out: Record<string, unknown> = {};
  for (const api of modules) {
    await pagesAt(api, SMALL); // warm-up
    const small = await pagesAt(api, SMALL);
    const big = await pagesAt(api, BIG);
    const kinds: Record<string, { pages: number[]; medianMs: number[]; ratio: number; judged: boolean }> = {};
    for (const [kind, s] of small.byKind) {
      const b = big.byKind.get(kind);
      if (!b?.length || !s.length) continue;
      const ratio = median(b) / median(s);
      kinds[kind] = {
        pages: [s.length, b.length],
        medianMs: [round(median(s), 4), round(median(b), 4)],
        ratio: round(ratio, 2),
        judged: Math.min(s.length, b.length) >= MIN_SAMPLES,
      };
    }
    const all = (m: Map<Kind, number[]>) => [...m.values()].flat();
    const judged = Object.entries(kinds).filter(([, k]) => k.judged);
    const worst = Math.max(...judged.map(([, k]) => k.ratio));
    const over = judged.filter(([, k]) => k.ratio > 2).map(([name]) => name);
    out[api.name] = {
      rows: [SMALL, BIG],
      seedMs: [round(small.seedMs), round(big.seedMs)],
      worstKindRatio: worst,
      medianRatio: round(median(all(big.byKind)) / median(all(small.byKind)), 2),
      meanRatio: round(mean(all(big.byKind)) / mean(all(small.byKind)), 2),
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

// ---- 5. request cost of a configured run (counted against the embedded provider, seeded past the walk cap)
const COST_ROWS = 1_500;
async function cost() {
  const out: Record<
    string,
    {
      requests: number;
      retries: number;
      minutesAtLiveRate: number;
      liveRate: number;
      deep?: { requests: number; minutesAtLiveRate: number };
    }
  > = {};
  for (const m of modules) {
    const run = async (extra: Record<string, string>) => {
      const base = config(extra);
      const cfg: RunConfig = { ...selfTestConfig(m, { seed: SEED }), settings: { ...base.settings, seed: SEED } };
      const held: ApiModule = { ...m, startProvider: (p) => m.startProvider({ ...p, rows: COST_ROWS }) };
      const report = await runConformance(cfg, { modules: { [m.name]: held } });
      const stats = report.apis[0]?.stats;
      const requests = (stats?.sent ?? 0) + (stats?.retries ?? 0);
      return { requests, retries: stats?.retries ?? 0, minutesAtLiveRate: round(requests / m.liveRate / 60, 1) };
    };
    const normal = await run({});
    const deep = await run({ CONFORMANCE_DEPTH: 'deep' }).catch(() => undefined);
    out[m.name] = {
      ...normal,
      liveRate: m.liveRate,
      ...(deep && deep.requests !== normal.requests
        ? { deep: { requests: deep.requests, minutesAtLiveRate: deep.minutesAtLiveRate } }
        : {}),
    };
  }
  return out;
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

/** Phase markers on stderr: the scaling phase seeds 1M rows per API and takes a while. */
async function phase<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  const out = await f();
  process.stderr.write(`bench: ${name} done in ${round((performance.now() - t) / 1000, 1)} s\n`);
  return out;
}

const started = new Date();
const wall = await phase('4. whole-run wall time', wallTime);
const tp = await phase('1. throughput', throughput);
const props = await phase('3. property throughput', () => properties(tp.rawRps));
const scale = await phase('2. provider scaling (seeds 1,000,000 rows per API)', scaling);
const costs = await phase('5. request cost of a configured run', cost);
const spread = await phase('6. failing rules per single fault', faultSpread);
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
writeFileSync('reports/bench.json', `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `bench ${result.date} · ${result.machine.cpus} × ${result.machine.model} · node ${result.machine.node} · APIs ${names.join(', ')}`,
);
console.log(
  `1. throughput     suite ${tp.suiteRps} req/s vs raw loop ${tp.rawRps} req/s over the same ${tp.requests} GETs: ratio ${tp.ratio} (goal ≥ 0.5: ${tp.met ? 'met' : 'MISSED'})`,
);
for (const [name, s] of Object.entries(scale) as [
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
console.log(
  `3. properties     ${props.casesPerSec} cases/s (${props.cases} cases in ${props.properties} properties at CONFORMANCE_RUNS=${props.runs}); one case costs the time of ${props.rawGetsPerCase} raw GETs`,
);
console.log(
  `4. wall time      ${wall.ms} ms for the default run on ${names.join(' + ')} = ${wall.ratio} of the 20 s target (${wall.met ? 'met' : 'MISSED'}; exit ${wall.exit}: ${wall.summary})`,
);
for (const [name, c] of Object.entries(costs)) {
  const deep = c.deep ? `; deep profile ${c.deep.requests} requests, ${c.deep.minutesAtLiveRate} min` : '';
  console.log(
    `5. run cost       ${name}: ${c.requests} requests (${COST_ROWS} rows, default settings) = ${c.minutesAtLiveRate} min at ${c.liveRate} req/s${deep}`,
  );
}
for (const [name, d] of Object.entries(spread)) {
  const worst = d.worst.map((w) => `${w.rule} → ${w.failed.length}`).join(', ');
  console.log(
    `6. fault spread   ${name}: ${d.caught}/${d.faults} faults caught by their own rule, ${d.ownerOnly} by it alone, ${d.ownerFirst} as the first failure; failing rules per fault median ${d.median}, max ${d.max}${worst ? ` (${worst})` : ''}`,
  );
}
console.log('written: reports/bench.json');
