/** Runtype provider states: one handler per sentence in `rtStates`, seeding exactly that data. */
import { createRtHandler, seedPrompts } from '../apis/runtype/provider';
import type { Prompt } from '../apis/runtype/schema';
import { startJsonServer } from '../shared/server';
import { at, seePage } from './observe';
import { type ContractProvider, doesNotHold, holds, type StateDef } from './provider-states';
import { NO_MATCH_SEARCH, rtStates } from './states';

type Prompts = readonly Prompt[];

const PROMPTS = { items: ['data'], hasMore: ['pagination', 'hasMore'] } as const;

/** Seeded prompts renamed and moved to the given models, in order. */
function promptsLike(specs: readonly { name: string; model: string }[], seed: number): Prompt[] {
  return seedPrompts(specs.length, seed).map((p, i) => ({ ...p, ...specs[i] }));
}

const states: Record<(typeof rtStates)[keyof typeof rtStates], StateDef<Prompts>> = {
  // three prompts, so a page of two leaves one more
  [rtStates.severalPages]: {
    seed: () => seedPrompts(3, 21),
    // cursors are opaque: the interaction gets the one the provider issues for page two, embedded too
    observeOnEmbedded: true,
    observe: async (http) => {
      const p = await seePage(http, '/prompts', { limit: 2 }, PROMPTS);
      if (p.hasMore === false)
        return doesNotHold(`the target has no second page at limit=2 (hasMore false, ${p.items?.length} prompts)`);
      const nextCursor = at(p.body, ['pagination', 'nextCursor']);
      return holds(typeof nextCursor === 'string' ? { nextCursor } : {});
    },
  },
  // one match, and one near miss on each filter
  [rtStates.searchAndModel]: {
    seed: () =>
      promptsLike(
        [
          { name: 'Customer Support Reply', model: 'gpt-4-turbo' },
          { name: 'Support Digest Writer', model: 'gpt-4o' },
          { name: 'Weekly Summary Helper', model: 'gpt-4-turbo' },
        ],
        22,
      ).map((p, i) => (i === 2 ? { ...p, text: 'Summarize the quarterly roadmap.' } : p)),
    seedParams: () => ({ search: 'support', model: 'gpt-4-turbo' }),
    // a live target cannot be seeded: search for the name of a prompt it holds, on that prompt's model
    observe: async (http) => {
      const p = await seePage(http, '/prompts', { limit: 20 }, PROMPTS);
      const pick = p.items?.find(
        (x) => typeof at(x, ['name']) === 'string' && at(x, ['name']) !== '' && typeof at(x, ['model']) === 'string',
      );
      if (p.items && !pick)
        return doesNotHold(`none of the target's first ${p.items.length} prompts has a name and a model to search for`);
      if (!pick) return holds();
      const found = { search: String(at(pick, ['name'])), model: String(at(pick, ['model'])) };
      const q = await seePage(http, '/prompts', { ...found, limit: 1 }, PROMPTS);
      if (q.items?.length === 0)
        return doesNotHold(
          `searching for the name "${found.search}" on model ${found.model} finds nothing, though that prompt exists`,
        );
      return holds(found);
    },
  },
  [rtStates.noMatch]: {
    seed: () => seedPrompts(3, 23),
    observe: async (http) => {
      const p = await seePage(http, '/prompts', { search: NO_MATCH_SEARCH, limit: 1 }, PROMPTS);
      return p.items?.length ? doesNotHold(`a prompt on the target matches the search "${NO_MATCH_SEARCH}"`) : holds();
    },
  },
};

export const rtContract: ContractProvider<Prompts> = {
  api: 'runtype',
  states,
  startEmbedded: async (apiKey, wrap) => {
    const { handle, setPrompts } = createRtHandler({ apiKey, rows: 0 });
    const server = await startJsonServer(wrap ? wrap(handle) : handle);
    return { url: server.url, setData: setPrompts, close: () => server.close() };
  },
};
