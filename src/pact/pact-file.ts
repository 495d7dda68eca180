/** Reading, normalising and filtering V4 pact files (the parts this suite uses). */
import { readFileSync, writeFileSync } from 'node:fs';

export interface PactBody {
  content?: unknown;
  contentType?: string;
}

export interface PactInteraction {
  type: string;
  description: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: { method: string; path: string; query?: Record<string, string[]>; headers?: Record<string, string[]> };
  response: { status: number; body?: PactBody; headers?: Record<string, string[]> };
  [k: string]: unknown;
}

export interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  interactions: PactInteraction[];
  metadata?: Record<string, unknown>;
}

export function readPact(file: string): PactFile {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isPactFile(json))
    throw new Error(
      `${file} is not a V4 pact file (consumer, provider, interactions); regenerate it with npm run contracts`,
    );
  return json;
}

function isPactFile(x: unknown): x is PactFile {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<PactFile>;
  return typeof p.consumer?.name === 'string' && typeof p.provider?.name === 'string' && Array.isArray(p.interactions);
}

/** The state sentence of an interaction (our pacts give each at most one). */
export function stateOf(i: PactInteraction): string | undefined {
  return i.providerStates?.[0]?.name;
}

/** `Given <state> - <description>`, how the verifier names an interaction. */
export function interactionLabel(i: { description: string; state?: string | undefined }): string {
  return i.state ? `Given ${i.state} - ${i.description}` : i.description;
}

/**
 * The pact without what changes between machines and pact-js releases (tool versions), with interactions
 * in a stable order, so a staleness check compares only what the consumer tests decided.
 */
export function normalisePact(p: PactFile): unknown {
  const { metadata, ...rest } = p;
  const { 'pact-js': _js, pactRust: _rust, ...meta } = metadata ?? {};
  const key = (i: PactInteraction) => `${i.description}\u0000${stateOf(i) ?? ''}`;
  const interactions = [...p.interactions].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return sortKeys({ ...rest, interactions, metadata: meta });
}

/** A one-line-per-difference account of how two pacts differ, by interaction. */
export function pactDiff(committed: PactFile, fresh: PactFile): string[] {
  const byKey = (p: PactFile) =>
    new Map(
      p.interactions.map((i) => [
        interactionLabel({ description: i.description, state: stateOf(i) }),
        JSON.stringify(sortKeys(i)),
      ]),
    );
  const a = byKey(committed);
  const b = byKey(fresh);
  const out: string[] = [];
  for (const [k, v] of b) {
    if (!a.has(k)) out.push(`+ ${k} (new interaction)`);
    else if (a.get(k) !== v) out.push(`~ ${k} (changed)`);
  }
  for (const k of a.keys()) if (!b.has(k)) out.push(`- ${k} (no longer produced)`);
  if (!out.length) out.push('~ pact-level fields differ (consumer, provider or metadata)');
  return out;
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (typeof x !== 'object' || x === null) return x;
  return Object.fromEntries(
    Object.keys(x)
      .sort()
      .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
  );
}

interface RuleList {
  combine?: string;
  matchers?: { match?: string }[];
}

/**
 * Rewrites "T and null" matcher pairs (written by `orNull` in matchers.ts) as "T or null" in a pact file.
 * An AND of a type and `null` can never match, so the pair has only this reading; returns the count rewritten.
 * A repeated pair (one per atLeastLike example) is kept once.
 */
export function nullableAsOr(file: string): number {
  const pact = readPact(file);
  let n = 0;
  for (const i of pact.interactions) {
    for (const part of [i.request, i.response] as { matchingRules?: Record<string, Record<string, RuleList>> }[]) {
      for (const category of Object.values(part.matchingRules ?? {})) {
        for (const list of Object.values(category)) {
          // pact-js repeats a path's matchers once per example of an atLeastLike array
          const m = [...new Map((list.matchers ?? []).map((x) => [JSON.stringify(x), x])).values()];
          if (m.length === 2 && m.some((x) => x.match === 'null') && list.combine !== 'OR') {
            list.matchers = m;
            list.combine = 'OR';
            n++;
          }
        }
      }
    }
  }
  if (n) writeFileSync(file, `${JSON.stringify(pact, null, 2)}\n`);
  return n;
}
