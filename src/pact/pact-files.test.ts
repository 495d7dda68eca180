/**
 * The committed pacts promise nothing the docs do not: every response body in them (the matchers'
 * examples, as pact-js writes them) validates against the API's JSON Schema, only GETs appear, and every
 * provider state has exactly one handler.
 */
import { describe, expect, it } from 'vitest';
import { errorCodeByStatus } from '../../schemas/betterprompt/list-runs.schema';
import { isBpError, isListRuns } from '../apis/betterprompt/schema';
import { isListPrompts } from '../apis/runtype/schema';
import { schemaErrors } from '../shared/ajv';
import { API_NAMES, type ApiName } from '../shared/api';
import { committedPact } from './names';
import {
  interactionLabel,
  normalisePact,
  type PactFile,
  type PactInteraction,
  pactDiff,
  readPact,
  stateOf,
} from './pact-file';
import { contractProviders } from './registry';

type Check = (i: PactInteraction) => string | undefined;

/** What a response body must be, by API and status. */
const bodyChecks: Record<ApiName, Check> = {
  betterprompt: (i) => {
    const body = i.response.body?.content;
    if (i.response.status === 200) return isListRuns(body) ? undefined : `200 body: ${schemaErrors(isListRuns.errors)}`;
    if (!isBpError(body)) return `${i.response.status} body: ${schemaErrors(isBpError.errors)}`;
    const code = errorCodeByStatus[i.response.status as keyof typeof errorCodeByStatus];
    return body.status === code ? undefined : `${i.response.status} carries ${body.status}, the guide gives ${code}`;
  },
  runtype: (i) => {
    const body = i.response.body?.content;
    if (i.response.status === 200)
      return isListPrompts(body) ? undefined : `200 body: ${schemaErrors(isListPrompts.errors)}`;
    // the error body shape is undocumented: a contract that pinned one would promise what the docs do not
    return body === undefined ? undefined : `${i.response.status} pins a body the docs do not describe`;
  },
};

describe.each(API_NAMES)('contracts/ pact for %s', (api) => {
  const pact: PactFile = readPact(committedPact(api));

  it.each(pact.interactions.map((i) => [i.description, i] as const))(
    '%s: response body validates against the JSON Schema',
    (_, i) => {
      expect(bodyChecks[api](i)).toBeUndefined();
    },
  );

  it('holds only GET requests', () => {
    expect(pact.interactions.filter((i) => i.request.method !== 'GET').map((i) => i.description)).toEqual([]);
  });

  it('names only states that have a handler, and every handler is used', () => {
    const used = new Set(pact.interactions.map(stateOf).filter((s) => s !== undefined));
    expect([...used].sort()).toEqual(Object.keys(contractProviders[api].states).sort());
  });
});

describe('pact normalisation', () => {
  const pact = readPact(committedPact('betterprompt'));

  it('ignores tool versions and interaction order', () => {
    const shuffled: PactFile = {
      ...pact,
      interactions: [...pact.interactions].reverse(),
      metadata: { ...pact.metadata, 'pact-js': { version: '99.0.0' } },
    };
    expect(normalisePact(shuffled)).toEqual(normalisePact(pact));
  });

  it('names a changed interaction', () => {
    const [first, ...rest] = pact.interactions;
    if (!first) throw new Error('empty pact');
    const changed: PactFile = {
      ...pact,
      interactions: [{ ...first, response: { ...first.response, status: 299 } }, ...rest],
    };
    expect(JSON.stringify(normalisePact(changed))).not.toEqual(JSON.stringify(normalisePact(pact)));
    expect(pactDiff(pact, changed)).toEqual([
      `~ ${interactionLabel({ description: first.description, state: stateOf(first) })} (changed)`,
    ]);
  });
});
