import { describe, expect, it } from 'vitest';
import { docExample } from '../../../schemas/betterprompt/list-runs.schema';
import { isBpError, isListRuns, isRun } from './schema';

describe('betterprompt schemas', () => {
  it("the doc's example response validates", () => {
    expect(isListRuns(docExample), JSON.stringify(isListRuns.errors)).toBe(true);
  });
  it('rejects a string credits and a non-ISO createdAt', () => {
    const row = { ...docExample.data.rows[0], credits: '150' };
    expect(isRun(row)).toBe(false);
    expect(isRun({ ...docExample.data.rows[0], createdAt: 1700000000 })).toBe(false);
    expect(isRun({ ...docExample.data.rows[0], credits: null })).toBe(true);
  });
  it('accepts the documented error envelope', () => {
    expect(isBpError({ status: 'VALIDATION_ERROR', message: 'both cursors' })).toBe(true);
    expect(isBpError({ error: 'nope' })).toBe(false);
  });
});
