/**
 * Consumer contract of the BetterPrompt client: each test drives `BetterPromptClient` against the Pact
 * mock server, so the pact holds exactly what the client sends and what it relies on in the answer.
 */
import { MatchersV3 as M } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { ApiError, BetterPromptClient, type Run, type RunStatus } from '../../src/clients';
import { describeContract, settled } from '../../src/pact/consumer';
import { bearerKey, EXAMPLE_KEY, fromState, integerOrNull, isoDateTime, uuid } from '../../src/pact/matchers';
import { BP_WINDOW, bpStates, EMPTY_WINDOW } from '../../src/pact/states';

const RUN_ID = '01234567-89ab-cdef-0123-456789abcdef';
const OTHER_ID = 'a1b2c3d4-5678-40ab-8def-1234567890ab';

/** A run as the client needs it; `status` pins runStatus where the interaction filters on it. */
function run(status?: RunStatus) {
  return {
    runId: uuid(RUN_ID),
    promptVersionId: M.string('a1b2c3d4-5678-90ab-cdef-1234567890ab'),
    // the "Output item types" section is unpublished: only an array of objects with a `type`; it may be empty
    outputs: M.atLeastLike({ type: M.string('text') }, 0, 1),
    // inside eachLike values match by type, so a pinned status needs `equal`
    runStatus: status ? M.equal(status) : M.regex('^(queued|running|succeeded|failed)$', 'succeeded'),
    credits: integerOrNull(150),
    runName: M.string('Blog post writer'),
    createdAt: isoDateTime('2025-11-03T10:15:30.000Z'),
  };
}

const client = (url: string, apiKey = EXAMPLE_KEY) => new BetterPromptClient({ baseUrl: url, apiKey });

async function collect(it: AsyncIterable<Run>): Promise<Run[]> {
  const out: Run[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describeContract('betterprompt', 'BetterPrompt client ⇄ GET /v1/runs (consumer contract)', ({ pact, interaction }) => {
  interaction('reads the first page and the cursor to the next one', () =>
    pact
      .addInteraction()
      .given(bpStates.severalPages)
      .uponReceiving('a request for the first page of two runs')
      .withRequest('GET', '/v1/runs', (b) => b.query({ limit: '2' }).headers({ Authorization: bearerKey() }))
      .willRespondWith(200, (b) =>
        // hasMore is pinned: the walk depends on it being true while rows remain
        b.jsonBody({ status: 'SUCCESS', data: { rows: M.atLeastLike(run(), 1, 2), hasMore: true } }),
      )
      .executeTest(
        settled(async (ms) => {
          const page = await client(ms.url).listRuns({ limit: 2 });
          expect(page.rows).toHaveLength(2);
          expect(page.hasMore).toBe(true);
          // docs: page on with the last row's runId
          expect(page.next).toEqual({ limit: 2, startingAfter: RUN_ID });
        }),
      ),
  );

  interaction('reads the next page by startingAfter = last runId', () =>
    pact
      .addInteraction()
      .given(bpStates.severalPages)
      .uponReceiving('a request for the page after the last run seen')
      .withRequest('GET', '/v1/runs', (b) =>
        // the provider state hands over a run ID that exists there; the example is only for the mock
        b
          .query({ limit: '2', startingAfter: fromState('lastRunId', OTHER_ID) })
          .headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({ status: 'SUCCESS', data: { rows: M.eachLike(run()), hasMore: M.boolean(false) } }),
      )
      .executeTest(
        settled(async (ms) => {
          const page = await client(ms.url).listRuns({ limit: 2, startingAfter: OTHER_ID });
          expect(page.rows.length).toBeGreaterThan(0);
          expect(page.next).toBeUndefined();
        }),
      ),
  );

  interaction('walks the failed runs with runs.all({ status })', () =>
    pact
      .addInteraction()
      .given(bpStates.failedRuns)
      .uponReceiving('a request for failed runs')
      .withRequest('GET', '/v1/runs', (b) => b.query({ status: 'failed' }).headers({ Authorization: bearerKey() }))
      // hasMore by type: a target may hold more failed runs than one page
      .willRespondWith(200, (b) =>
        b.jsonBody({ status: 'SUCCESS', data: { rows: M.eachLike(run('failed')), hasMore: M.boolean(false) } }),
      )
      .executeTest(
        settled(async (ms) => {
          const runs = await collect(client(ms.url).runs.all({ status: 'failed' }));
          expect(runs.map((r) => r.runStatus)).toEqual(['failed']);
        }),
      ),
  );

  interaction('filters by a since/until window', () =>
    pact
      .addInteraction()
      .given(bpStates.window)
      .uponReceiving('a request for runs created in a time window')
      // the state hands over a window that holds runs there (on a live target: around its newest run)
      .withRequest('GET', '/v1/runs', (b) =>
        b
          .query({
            since: fromState('since', String(BP_WINDOW.since)),
            until: fromState('until', String(BP_WINDOW.until)),
          })
          .headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({ status: 'SUCCESS', data: { rows: M.eachLike(run()), hasMore: M.boolean(false) } }),
      )
      .executeTest(
        settled(async (ms) => {
          // a Date goes out as whole Unix seconds
          const page = await client(ms.url).listRuns({
            since: new Date(BP_WINDOW.since * 1000),
            until: BP_WINDOW.until,
          });
          expect(page.rows.length).toBeGreaterThan(0);
        }),
      ),
  );

  interaction('walks an empty result without a second request', () =>
    pact
      .addInteraction()
      .given(bpStates.emptyWindow)
      .uponReceiving('a request for runs created in a window that holds none')
      // the state picks the window from the provider's own data: a fixed year would assume an account's history
      .withRequest('GET', '/v1/runs', (b) =>
        b
          .query({
            since: fromState('since', String(EMPTY_WINDOW.since)),
            until: fromState('until', String(EMPTY_WINDOW.until)),
          })
          .headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) => b.jsonBody({ status: 'SUCCESS', data: { rows: [], hasMore: false } }))
      .executeTest(
        settled(async (ms) => {
          expect(await collect(client(ms.url).runs.all(EMPTY_WINDOW))).toEqual([]);
        }),
      ),
  );

  interaction('surfaces 422 VALIDATION_ERROR for both cursors as an ApiError', () =>
    pact
      .addInteraction()
      // both cursors are runs that exist on the provider, so only the combination can be refused
      .given(bpStates.severalPages)
      .uponReceiving('a request with both startingAfter and endingBefore')
      .withRequest('GET', '/v1/runs', (b) =>
        b
          .query({ startingAfter: fromState('firstRunId', RUN_ID), endingBefore: fromState('lastRunId', OTHER_ID) })
          .headers({ Authorization: bearerKey() }),
      )
      // the message is free text; only the envelope's code is contract
      .willRespondWith(422, (b) =>
        b.jsonBody({
          status: 'VALIDATION_ERROR',
          message: M.string('startingAfter and endingBefore cannot be combined'),
        }),
      )
      .executeTest(
        settled(async (ms) => {
          const err = await client(ms.url)
            .listRuns({ startingAfter: RUN_ID, endingBefore: OTHER_ID })
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ApiError);
          expect(err).toMatchObject({ status: 422, code: 'VALIDATION_ERROR' });
        }),
      ),
  );

  interaction('surfaces 401 UNAUTHORIZED_ERROR without a key', () =>
    pact
      .addInteraction()
      .uponReceiving('a request without an API key')
      .withRequest('GET', '/v1/runs')
      .willRespondWith(401, (b) =>
        b.jsonBody({ status: 'UNAUTHORIZED_ERROR', message: M.string('missing or invalid API key') }),
      )
      .executeTest(
        settled(async (ms) => {
          const err = await client(ms.url, '')
            .listRuns()
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ApiError);
          expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED_ERROR' });
        }),
      ),
  );
});
