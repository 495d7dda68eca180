import { describe, expect, it } from 'vitest';
import { docExample } from '../../../schemas/runtype/list-prompts.schema';
import { isListPrompts, isPagination, isPrompt } from './schema';

const prompt = docExample.data[0];

describe('runtype schemas', () => {
  it("the doc's example response validates", () => {
    expect(isListPrompts(docExample), JSON.stringify(isListPrompts.errors)).toBe(true);
  });
  it('estimatedCost is a decimal string, estimatedTokens an integer', () => {
    expect(isPrompt({ ...prompt, estimatedCost: 0.0025 })).toBe(false);
    expect(isPrompt({ ...prompt, estimatedCost: '1.5e-3' })).toBe(false);
    expect(isPrompt({ ...prompt, estimatedTokens: '150' })).toBe(false);
    expect(isPrompt({ ...prompt, estimatedTokens: 1.5 })).toBe(false);
  });
  it('id is a UUID and the timestamps are ISO 8601', () => {
    expect(isPrompt({ ...prompt, id: '42' })).toBe(false);
    expect(isPrompt({ ...prompt, createdAt: '2024-06-10 09:15:00' })).toBe(false);
    expect(isPrompt({ ...prompt, updatedAt: 1718010900000 })).toBe(false);
  });
  it('fields whose required-ness the docs leave open may be absent or null (RT-GAP-PROMPT-FIELDS)', () => {
    const { model, systemPrompt, ...rest } = prompt;
    expect(model && systemPrompt).toBeTruthy();
    expect(isPrompt(rest)).toBe(true);
    expect(isPrompt({ ...prompt, model: null, estimatedCost: null, order: null })).toBe(true);
    expect(isPrompt({ ...prompt, text: null })).toBe(true);
    const { name: _name, ...nameless } = prompt;
    expect(isPrompt(nameless)).toBe(false);
    const { text: _text, ...textless } = prompt;
    expect(isPrompt(textless)).toBe(false);
  });
  it('pagination requires all nine fields, cursors string or null', () => {
    expect(isPagination({ ...docExample.pagination, prevCursor: undefined })).toBe(false);
    expect(isPagination({ ...docExample.pagination, nextCursor: 5 })).toBe(false);
    expect(isPagination({ ...docExample.pagination, limit: 101 })).toBe(false);
    expect(isListPrompts({ ...docExample, data: null })).toBe(false);
  });
});
