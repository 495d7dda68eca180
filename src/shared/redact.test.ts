import { describe, expect, it } from 'vitest';
import { curlLine, redactAuthorization, redactHeaders, redactText, registerSecret } from './redact';

describe('redact', () => {
  it('masks the token but keeps the scheme', () => {
    expect(redactAuthorization('Bearer sk-abc123456789')).toBe('Bearer [redacted]');
    expect(redactAuthorization('rawkeyonly')).toBe('[redacted]');
  });
  it('removes registered secrets and stray bearer tokens from text', () => {
    registerSecret('super-secret-key-42');
    expect(redactText('got super-secret-key-42 back')).toBe('got [redacted] back');
    expect(redactText('echo: Bearer zzzzzzzz')).toBe('echo: Bearer [redacted]');
  });
  it('builds a curl line without the key', () => {
    const line = curlLine('http://127.0.0.1:1/v1/runs?limit=2', { Authorization: 'Bearer super-secret-key-42' });
    expect(line).toBe("curl -sS -H 'Authorization: Bearer [redacted]' 'http://127.0.0.1:1/v1/runs?limit=2'");
    expect(redactHeaders({ authorization: 'Bearer x1234' }).authorization).toBe('Bearer [redacted]');
  });
});
