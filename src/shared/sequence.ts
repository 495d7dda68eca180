/** Describes how an actual id sequence departs from the expected one, in pagination terms. */
export function sequenceDiff(expected: readonly string[], actual: readonly string[]): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === a) continue;
    if (a === undefined)
      return `${actual.length} items; missing ${expected.length - actual.length} from position ${i} (first missing ${e})`;
    if (e === undefined)
      return `${actual.length} items; ${actual.length - expected.length} extra from position ${i} (first extra ${a})`;
    const seenLater = expected.indexOf(a);
    const what =
      seenLater === -1
        ? `${a}, which is not in the expected window`
        : seenLater > i
          ? `${a} (expected at ${seenLater}: a gap skipped ${seenLater - i})`
          : `${a} (expected at ${seenLater}: an overlap)`;
    return `position ${i} holds ${what} instead of ${e}`;
  }
  return undefined;
}

/** First id that occurs twice, if any. */
export function firstDuplicate(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}
