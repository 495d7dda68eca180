/**
 * The embedded Runtype provider's cursors: base64url JSON {id, offset} like the sibling endpoints', with `p` on a
 * prevCursor and, under the cursor-carries-filters variant, the filters it was issued for.
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface FilterSet {
  search?: string | undefined;
  model?: string | undefined;
  flowId?: string | undefined;
}

/** What a cursor holds: a position, and with the cursor-carries-filters variant the filters it was issued for. */
export interface CursorState {
  id: string;
  offset: number;
  /** Issued as a prevCursor. */
  p?: boolean;
  f?: FilterSet;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** The cursor's state, or undefined for a cursor this server did not issue; `crash` is the garbage-cursor-500 fault. */
export function decodeCursor(raw: string, crash: boolean): CursorState | undefined {
  if (!crash && !BASE64URL.test(raw)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch (e) {
    if (crash) throw e;
    return undefined;
  }
  const c = (typeof value === 'object' && value !== null ? value : {}) as {
    id?: unknown;
    offset?: unknown;
    p?: unknown;
    f?: unknown;
  };
  if (typeof c.id !== 'string' || !Number.isSafeInteger(c.offset) || (c.offset as number) < 0) {
    if (crash) throw new TypeError(`Cannot read properties of undefined (reading 'offset')`);
    return undefined;
  }
  const f = typeof c.f === 'object' && c.f !== null ? (c.f as FilterSet) : undefined;
  return { id: c.id, offset: c.offset as number, ...(c.p === true ? { p: true } : {}), ...(f ? { f } : {}) };
}
