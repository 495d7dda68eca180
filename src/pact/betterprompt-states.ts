/** BetterPrompt provider states: one handler per sentence in `bpStates`, seeding exactly that data. */
import { createBpHandler, seedRuns } from '../apis/betterprompt/provider';
import type { Run } from '../apis/betterprompt/schema';
import { startJsonServer } from '../shared/server';
import { at, seePage } from './observe';
import type { HttpClient } from '../shared/http';
import { type ContractProvider, doesNotHold, holds, type Observation, type StateDef } from './provider-states';
import { BP_WINDOW, bpStates } from './states';

type Runs = readonly Run[];

/** `count` seeded runs with the given statuses, in order. */
function runsWithStatuses(statuses: readonly Run['runStatus'][], seed: number): Run[] {
  return seedRuns(statuses.length, seed).map((r, i) => ({ ...r, runStatus: statuses[i] ?? r.runStatus }));
}

/** Seeded runs moved to the given creation times. */
function runsAt(times: readonly string[], seed: number): Run[] {
  return seedRuns(times.length, seed).map((r, i) => ({ ...r, createdAt: times[i] ?? r.createdAt }));
}

const RUNS = { items: ['data', 'rows'], hasMore: ['data', 'hasMore'] } as const;

const states: Record<(typeof bpStates)[keyof typeof bpStates], StateDef<Runs>> = {
  // three runs, so a page of two leaves one more
  [bpStates.severalPages]: {
    seed: () => seedRuns(3, 11),
    // newest first, so the second row is the last one of the first page of two; both are run IDs that
    // exist there, so the both-cursors 422 cannot be satisfied by an "unknown run" answer
    seedParams: (runs) => ({ firstRunId: runs[0]?.runId ?? '', lastRunId: runs[1]?.runId ?? '' }),
    observe: async (http) => {
      const p = await seePage(http, '/runs', { limit: 2 }, RUNS);
      if (p.hasMore === false || (p.items && p.items.length < 2))
        return doesNotHold(`the target has no second page at limit=2 (hasMore ${p.hasMore}, ${p.items?.length} rows)`);
      const ids = { firstRunId: at(p.items?.[0], ['runId']), lastRunId: at(p.items?.[1], ['runId']) };
      return holds(
        Object.fromEntries(Object.entries(ids).filter((e): e is [string, string] => typeof e[1] === 'string')),
      );
    },
  },
  [bpStates.failedRuns]: {
    seed: () => runsWithStatuses(['succeeded', 'failed', 'queued', 'failed'], 12),
    observe: async (http) => {
      const p = await seePage(http, '/runs', { status: 'failed', limit: 1 }, RUNS);
      return p.items?.length === 0 ? doesNotHold('the target holds no failed run') : holds();
    },
  },
  // the window is [10:00:00, 10:15:30): one run on each side of it, two inside
  [bpStates.window]: {
    seed: () =>
      runsAt(
        [
          '2025-11-03T10:15:30.000Z',
          '2025-11-03T10:12:00.000Z',
          '2025-11-03T10:05:00.000Z',
          '2025-11-03T09:59:59.000Z',
        ],
        13,
      ),
    seedParams: () => ({ since: String(BP_WINDOW.since), until: String(BP_WINDOW.until) }),
    // a live target cannot be seeded: the window is the one-second [since, until) around its newest run
    observe: async (http) => {
      const p = await seePage(http, '/runs', { limit: 1 }, RUNS);
      if (p.items?.length === 0) return doesNotHold('the target holds no run, so no window can contain one');
      const ms = Date.parse(String(at(p.items?.[0], ['createdAt'])));
      if (Number.isNaN(ms)) return holds();
      const since = Math.floor(ms / 1000);
      return holds({ since: String(since), until: String(since + 1) });
    },
  },
  // runs with gaps between them; the window comes from the data, by the same observation as on a live target
  [bpStates.emptyWindow]: {
    seed: () => runsAt(['2025-11-03T10:15:30.000Z', '2025-11-03T10:05:00.500Z', '2025-11-03T10:05:00.000Z'], 14),
    observeOnEmbedded: true,
    observe: emptyWindow,
  },
};

/** Pages looked at for a gap between runs before the window falls back to "before the oldest run". */
const GAP_PAGES = 3;

/**
 * A window no run of the account falls in, from the listing itself: between two neighbouring runs created two or
 * more seconds apart, the whole seconds strictly between them hold no run (the listing is newest first, so no
 * run lies between neighbours), and new runs arrive at the present, never there. A listing that ends gives the
 * second before its oldest run; an empty account gives any second.
 */
async function emptyWindow(http: HttpClient): Promise<Observation> {
  let after: string | undefined;
  let previous: number | undefined;
  for (let page = 0; page < GAP_PAGES; page++) {
    const p = await seePage(http, '/runs', { limit: 50, ...(after ? { startingAfter: after } : {}) }, RUNS);
    if (!p.items) return holds();
    for (const row of p.items) {
      const second = Math.floor(Date.parse(String(at(row, ['createdAt']))) / 1000);
      if (Number.isNaN(second)) return holds();
      if (previous !== undefined && previous - second >= 2) return window(second + 1, previous);
      previous = second;
    }
    const last = at(p.items.at(-1), ['runId']);
    if (p.hasMore === false || p.items.length === 0 || typeof last !== 'string')
      return previous === undefined ? window(1, 2) : window(previous - 1, previous);
    after = last;
  }
  return doesNotHold(
    `no two of the newest ${GAP_PAGES * 50} runs are two seconds apart and the listing goes on, so no empty window was found`,
  );
}

function window(since: number, until: number): Observation {
  return holds({ since: String(since), until: String(until) });
}

export const bpContract: ContractProvider<Runs> = {
  api: 'betterprompt',
  states,
  startEmbedded: async (apiKey, wrap) => {
    const { handle, setRuns } = createBpHandler({ apiKey, rows: 0 });
    const server = await startJsonServer(wrap ? wrap(handle) : handle);
    return { url: server.url, setData: setRuns, close: () => server.close() };
  },
};
