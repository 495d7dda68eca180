/** The assertions both catalogues share, so a rule reads like the doc sentence it checks. */
import type { Exchange } from './http';
import { brief, expectThat } from './rule';

/** The answer's status is one of `allowed`; the message says which were allowed and what came back. */
export function expectStatus(ex: Exchange, allowed: readonly number[], expected: string): void {
  expectThat(allowed.includes(ex.status), () => ({ expected, actual: `${ex.status} ${brief(ex.text)}`, exchange: ex }));
}

export const isClientError = (ex: Exchange): boolean => ex.status >= 400 && ex.status < 500;

/** A value as JSON, so a string "14" never reads like the number 14 and null never like "absent". */
export function json(value: unknown): string {
  return value === undefined ? 'absent' : (JSON.stringify(value) ?? String(value));
}
