/**
 * Consumer contract of the Runtype client: each test drives `RuntypeClient` against the Pact mock server,
 * so the pact holds exactly what the client sends and what it relies on in the answer.
 */
import { MatchersV3 as M } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { ApiError, type Prompt, RuntypeClient } from '../../src/clients';
import { describeContract, settled } from '../../src/pact/consumer';
import { DECIMAL_STRING } from '../../schemas/runtype/list-prompts.schema';
import {
  bearerKey,
  decimalString,
  EXAMPLE_KEY,
  fromState,
  integerOrNull,
  isoDateTime,
  stringOrNull,
  uuid,
} from '../../src/pact/matchers';
import { NO_MATCH_SEARCH, rtStates } from '../../src/pact/states';

const CURSOR = 'cursor_123abc';

/**
 * A prompt as the client validates it: every field the docs' example shows, by the type the client's schema
 * demands (see the rule in src/pact/matchers.ts). The schema makes the example's other fields optional,
 * which Pact cannot say, so the contract errs strict and expects them present.
 */
function prompt() {
  return {
    id: uuid('a1b2c3d4-e5f6-7890-abcd-1234567890ef'),
    name: M.string('Customer Support Reply'),
    text: stringOrNull('Generate a polite and concise response to a customer inquiry about order status.'),
    createdAt: isoDateTime('2024-06-10T09:15:00Z'),
    updatedAt: isoDateTime('2024-06-12T14:20:00Z'),
    // a decimal string, not a JSON number: the client's schema rejects 0.0025
    estimatedCost: decimalString(DECIMAL_STRING, '0.0025'),
    estimatedTokens: integerOrNull(150),
    model: stringOrNull('gpt-4-turbo'),
    responseFormat: stringOrNull('json'),
    order: integerOrNull(1),
    systemPrompt: stringOrNull('You are a helpful assistant providing customer support.'),
    userId: stringOrNull('user_987654321'),
    userPrompt: stringOrNull('Write a response to a customer asking about their order delivery date.'),
  };
}

/** The pagination block: every field the docs show; the client pages on `hasMore` and `nextCursor`. */
function pagination(over: { hasMore: unknown; nextCursor: unknown }) {
  return {
    currentOffset: M.integer(0),
    hasPrev: M.boolean(false),
    limit: M.integer(50),
    prevCursor: stringOrNull('cursor_prev'),
    currentPage: M.integer(1),
    totalCount: M.integer(3),
    totalPages: M.integer(2),
    ...over,
  };
}

const client = (url: string, apiKey = EXAMPLE_KEY) => new RuntypeClient({ baseUrl: url, apiKey });

async function collect(it: AsyncIterable<Prompt>): Promise<Prompt[]> {
  const out: Prompt[] = [];
  for await (const p of it) out.push(p);
  return out;
}

describeContract('runtype', 'Runtype client ⇄ GET /v1/prompts (consumer contract)', ({ pact, interaction }) => {
  interaction('reads the first page and its nextCursor', () =>
    pact
      .addInteraction()
      .given(rtStates.severalPages)
      .uponReceiving('a request for the first page of two prompts')
      .withRequest('GET', '/v1/prompts', (b) => b.query({ limit: '2' }).headers({ Authorization: bearerKey() }))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          data: M.atLeastLike(prompt(), 1, 2),
          filtersApplied: M.like({}),
          // the walk needs hasMore true and a cursor string while prompts remain; the cursor is opaque
          pagination: pagination({ hasMore: true, nextCursor: M.string(CURSOR) }),
        }),
      )
      .executeTest(
        settled(async (ms) => {
          const page = await client(ms.url).listPrompts({ limit: 2 });
          expect(page.data).toHaveLength(2);
          expect(page.next).toEqual({ limit: 2, cursor: CURSOR });
        }),
      ),
  );

  interaction('reads the next page by cursor', () =>
    pact
      .addInteraction()
      .given(rtStates.severalPages)
      .uponReceiving('a request for the page after a nextCursor')
      .withRequest('GET', '/v1/prompts', (b) =>
        // the provider state hands over a cursor that provider issued; cursors are opaque
        b.query({ limit: '2', cursor: fromState('nextCursor', CURSOR) }).headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          data: M.eachLike(prompt()),
          filtersApplied: M.like({}),
          pagination: pagination({ hasMore: M.boolean(false), nextCursor: stringOrNull(CURSOR) }),
        }),
      )
      .executeTest(
        settled(async (ms) => {
          const page = await client(ms.url).listPrompts({ limit: 2, cursor: CURSOR });
          expect(page.data.length).toBeGreaterThan(0);
          expect(page.next).toBeUndefined();
        }),
      ),
  );

  interaction('walks prompts filtered by search and model with prompts.all()', () =>
    pact
      .addInteraction()
      .given(rtStates.searchAndModel)
      .uponReceiving('a request for prompts on one model matching a search')
      // the state hands over a search and a model that match there (on a live target: a prompt it holds)
      .withRequest('GET', '/v1/prompts', (b) =>
        b
          .query({ search: fromState('search', 'support'), model: fromState('model', 'gpt-4-turbo') })
          .headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          // the model is the state's, not a constant: that the filter holds is conformance's (RT-FILTER-*) to check
          data: M.eachLike(prompt()),
          filtersApplied: M.like({}),
          pagination: pagination({ hasMore: M.boolean(false), nextCursor: stringOrNull(CURSOR) }),
        }),
      )
      .executeTest(
        settled(async (ms) => {
          const prompts = await collect(client(ms.url).prompts.all({ search: 'support', model: 'gpt-4-turbo' }));
          expect(prompts.map((p) => p.model)).toEqual(['gpt-4-turbo']);
        }),
      ),
  );

  interaction('walks an empty result without a second request', () =>
    pact
      .addInteraction()
      .given(rtStates.noMatch)
      .uponReceiving('a request for prompts matching a search nothing matches')
      .withRequest('GET', '/v1/prompts', (b) =>
        b.query({ search: NO_MATCH_SEARCH }).headers({ Authorization: bearerKey() }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          data: [],
          filtersApplied: M.like({}),
          // what page numbers an empty result reports is a documentation gap: types only
          pagination: pagination({ hasMore: false, nextCursor: stringOrNull(CURSOR) }),
        }),
      )
      .executeTest(
        settled(async (ms) => {
          expect(await collect(client(ms.url).prompts.all({ search: NO_MATCH_SEARCH }))).toEqual([]);
        }),
      ),
  );

  interaction('surfaces 400 for a limit below 1 as an ApiError', () =>
    pact
      .addInteraction()
      // docs: limit is at most 100, and a 400 exists; whether 101 is refused or clamped is not said, 0 is plainly invalid
      .uponReceiving('a request with a limit of 0')
      .withRequest('GET', '/v1/prompts', (b) => b.query({ limit: '0' }).headers({ Authorization: bearerKey() }))
      // the 400 body's shape is undocumented, so the contract promises only the status
      .willRespondWith(400)
      .executeTest(
        settled(async (ms) => {
          const err = await client(ms.url)
            .listPrompts({ limit: 0 })
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ApiError);
          expect(err).toMatchObject({ api: 'runtype', status: 400 });
        }),
      ),
  );

  interaction('surfaces 401 without a key as an ApiError', () =>
    pact
      .addInteraction()
      .uponReceiving('a request without an API key')
      .withRequest('GET', '/v1/prompts')
      .willRespondWith(401)
      .executeTest(
        settled(async (ms) => {
          const err = await client(ms.url, '')
            .listPrompts()
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ApiError);
          expect(err).toMatchObject({ api: 'runtype', status: 401 });
        }),
      ),
  );
});
