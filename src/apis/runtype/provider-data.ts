/**
 * The embedded Runtype provider's data: seeded prompts (names, texts, models, flows, ties) and the sorted index a
 * page is selected from (per-model, per-flow and per-(model, flow) position lists, tie groups, a word index for
 * search). No fault lives here: the handler in `provider.ts` breaks what it reads.
 */
import { prng, uuidFrom } from '../../shared/server';
import type { Prompt } from './schema';

export const BASE_MS = Date.parse('2024-06-10T09:15:00Z');
export const OWNER = 'user_987654321';
export const OTHER_USER = 'user_123456789';

// words only in names, only in texts, and a few in both (in another case): search terms that hit one field or both
const NAME_ADJ = ['Customer', 'Weekly', 'Quick', 'Formal', 'Friendly', 'Technical', 'Legal', 'Product'];
const NAME_NOUN = [
  'Support Reply',
  'Digest Writer',
  'Summary Helper',
  'Email Drafter',
  'Review Assistant',
  'Outline Wizard',
  'Release Notes',
  'Onboarding Guide',
];
const TEXT_VERB = ['Generate', 'Write', 'Summarize', 'Translate', 'Rewrite', 'Classify'];
const TEXT_OBJ = [
  'a polite and concise response to',
  'three bullet points about',
  'a neutral paraphrase of',
  'an upbeat announcement about',
  'a short checklist for',
];
const TEXT_TOPIC = [
  'an inquiry about order status',
  'the quarterly roadmap',
  'a refund request',
  'incident postmortems',
  'the pricing change',
  'customer feedback',
];
// "gpt-4o" is a prefix of "gpt-4o-mini": an exact model filter must keep them apart
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo', 'claude-3-5-sonnet', 'claude-3-5-haiku', 'gemini-1.5-pro'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A prompt name: an adjective and a noun. */
export function randomName(rand: () => number): string {
  return `${pick(rand, NAME_ADJ)} ${pick(rand, NAME_NOUN)}`;
}

/** A prompt text: a verb, an object and a topic. */
export function randomText(rand: () => number): string {
  return `${pick(rand, TEXT_VERB)} ${pick(rand, TEXT_OBJ)} ${pick(rand, TEXT_TOPIC)}.`;
}

/** One of the served models. */
export function randomModel(rand: () => number): string {
  return pick(rand, MODELS);
}

/** Seeded prompts of one user, newest first; about a quarter share their createdAt with a neighbour. */
export function seedPrompts(count: number, seed = 1): Prompt[] {
  const rand = prng(seed);
  const flows = Array.from({ length: 4 }, () => uuidFrom(rand));
  const out: Prompt[] = [];
  let t = BASE_MS;
  for (let i = 0; i < count; i++) {
    if (rand() >= 0.25) t -= 1000 * (1 + Math.floor(rand() * 3600));
    out.push(promptAt(rand, flows, t, i));
  }
  return out;
}

/** One generated prompt created at `t` (ms); the i-th of its user. */
export function promptAt(rand: () => number, flows: readonly string[], t: number, i: number): Prompt {
  return {
    id: uuidFrom(rand),
    name: randomName(rand),
    text: randomText(rand),
    createdAt: iso(t),
    updatedAt: iso(t + Math.floor(rand() * 3) * 86_400_000),
    model: rand() < 0.05 ? null : randomModel(rand),
    estimatedCost: (rand() * 0.05).toFixed(4),
    estimatedTokens: 20 + Math.floor(rand() * 2000),
    responseFormat: rand() < 0.5 ? 'json' : 'text',
    order: 1 + (i % 10),
    systemPrompt: rand() < 0.1 ? null : 'You are a helpful assistant.',
    userId: OWNER,
    userPrompt: `Request ${i + 1}`,
    // not in the documented shape; real servers may well send it, and the suite uses it where present
    flowId: rand() < 0.2 || !flows.length ? null : pick(rand, flows),
  };
}

/** Another user's copies of every third prompt: never listed, unless a fault leaks them. */
export function foreignCopies(prompts: readonly Prompt[]): Prompt[] {
  const rand = prng(0xf0e1);
  return prompts.filter((_, i) => i % 3 === 0).map((p) => ({ ...p, id: uuidFrom(rand), userId: OTHER_USER }));
}

export function flowOf(p: Prompt): string | undefined {
  return typeof p.flowId === 'string' ? p.flowId : undefined;
}

/** Sorted prompts with per-model, per-flow and per-(model, flow) position lists and tie groups. */
export class PromptIndex {
  readonly rows: readonly Prompt[];
  readonly position = new Map<string, number>();
  readonly byModel: Map<string, Int32Array>;
  readonly byFlow: Map<string, Int32Array>;
  readonly byModelFlow: Map<string, Int32Array>;
  /** Positions [tieStart[i], tieEnd[i]) share createdAt with i. */
  readonly tieStart: Int32Array;
  readonly tieEnd: Int32Array;

  constructor(prompts: readonly Prompt[], newestFirst = true) {
    // decorate-sort: parse each createdAt once, not twice per comparison
    const keyed = prompts.map((p) => ({ p, ms: Date.parse(p.createdAt) }));
    const dir = newestFirst ? 1 : -1;
    keyed.sort((a, b) => dir * (b.ms - a.ms) || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
    this.rows = keyed.map((k) => k.p);
    const model = new Map<string, number[]>();
    const flow = new Map<string, number[]>();
    const both = new Map<string, number[]>();
    const add = (m: Map<string, number[]>, k: string, i: number) => {
      const l = m.get(k);
      if (l) l.push(i);
      else m.set(k, [i]);
    };
    this.tieStart = new Int32Array(this.rows.length);
    this.tieEnd = new Int32Array(this.rows.length);
    this.rows.forEach((p, i) => {
      this.position.set(p.id, i);
      const f = flowOf(p);
      if (typeof p.model === 'string') add(model, p.model, i);
      if (f) add(flow, f, i);
      if (typeof p.model === 'string' && f) add(both, `${p.model}\u0000${f}`, i);
      const prev = this.rows[i - 1];
      this.tieStart[i] = prev && prev.createdAt === p.createdAt ? (this.tieStart[i - 1] ?? i) : i;
    });
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const next = this.rows[i + 1];
      this.tieEnd[i] = next && next.createdAt === this.rows[i]?.createdAt ? (this.tieEnd[i + 1] ?? i + 1) : i + 1;
    }
    const freeze = (m: Map<string, number[]>) => new Map([...m].map(([k, v]) => [k, Int32Array.from(v)]));
    this.byModel = freeze(model);
    this.byFlow = freeze(flow);
    this.byModelFlow = freeze(both);
  }

  private tokenIndex: TokenIndex | undefined;
  /** The word index of names and texts, built on the first search (most runs of a self-test never search). */
  tokens(): TokenIndex {
    this.tokenIndex ??= new TokenIndex(this.rows);
    return this.tokenIndex;
  }
}

/** Lower-cased words, split where a letter or digit run ends. */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Case-folded word → positions (sorted) holding it in name or text. A term's candidates are the prompts that hold,
 * for each of its words, a word that can contain it there: equal to an inner word, ending with the first, starting
 * with the last, containing a term that is one word. A superset of the matches, confirmed by the matcher.
 */
class TokenIndex {
  private readonly postings = new Map<string, Int32Array>();

  constructor(rows: readonly Prompt[]) {
    const lists = new Map<string, number[]>();
    rows.forEach((p, i) => {
      const seen = new Set(`${p.name}\u0000${p.text ?? ''}`.toLowerCase().match(WORD) ?? []);
      for (const w of seen) {
        const l = lists.get(w);
        if (l) l.push(i);
        else lists.set(w, [i]);
      }
    });
    for (const [w, l] of lists) this.postings.set(w, Int32Array.from(l));
  }

  /** Candidate positions for `term`, or null (every prompt) when the term holds no letter or digit. */
  candidates(term: string): Int32Array | null {
    const t = term.toLowerCase();
    const words = [...t.matchAll(WORD)];
    if (!words.length) return null;
    let out: Int32Array | null = null;
    for (const [k, m] of words.entries()) {
      const w = m[0];
      const open = { left: m.index === 0, right: m.index + w.length === t.length };
      const fits =
        open.left && open.right
          ? (v: string) => v.includes(w)
          : open.left
            ? (v: string) => v.endsWith(w)
            : open.right
              ? (v: string) => v.startsWith(w)
              : (v: string) => v === w;
      const exact = !open.left && !open.right ? this.postings.get(w) : undefined;
      const list = exact ?? union([...this.postings].filter(([v]) => fits(v)).map(([, l]) => l));
      out = out === null ? list : intersect(out, list);
      if (!out.length || k >= 3) break; // four words narrow enough; the matcher confirms the rest
    }
    return out;
  }
}

/** The sorted union of sorted position lists. */
export function union(lists: readonly Int32Array[]): Int32Array {
  if (lists.length === 1) return lists[0] as Int32Array;
  const marks = new Uint8Array(lists.reduce((m, l) => Math.max(m, (l.at(-1) ?? -1) + 1), 0));
  for (const l of lists) for (const i of l) marks[i] = 1;
  const out: number[] = [];
  marks.forEach((v, i) => {
    if (v) out.push(i);
  });
  return Int32Array.from(out);
}

/** Positions in the index, in listing order; `null` is every row. */
export type Selection = Int32Array | null;

export const NONE = new Int32Array();

export function scan(idx: PromptIndex, list: Selection, keep: (p: Prompt) => boolean): Int32Array {
  const out: number[] = [];
  const n = list ? list.length : idx.rows.length;
  for (let k = 0; k < n; k++) {
    const i = list ? (list[k] ?? 0) : k;
    if (keep(idx.rows[i] as Prompt)) out.push(i);
  }
  return Int32Array.from(out);
}

/** Positions in both sorted lists (`null` is every row): a linear merge. */
export function intersect(a: Selection, b: Int32Array): Int32Array {
  if (a === null) return b;
  const out = new Int32Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}
