/** Issue 12 (10): the run header names the configured target's URL, not the literal `$BETTERPROMPT_BASE_URL`. */
import { expect, it } from 'vitest';
import { betterprompt } from './apis/betterprompt';
import { startBpProvider } from './apis/betterprompt/provider';
import { runConformance } from './run';
import { asGenericApi } from './shared/api';
import { selfTestConfig } from './shared/selftest';

it('the header of a configured run prints the base URL it checks', async () => {
  const apiKey = 'run-header-key-3f9a';
  const server = await startBpProvider({ apiKey });
  try {
    const lines: string[] = [];
    await runConformance(selfTestConfig(asGenericApi(betterprompt), { rules: ['BP-RESP-ENVELOPE'], configured: { baseUrl: server.url, apiKey } }), { log: (l) => lines.push(l) });
    expect(lines[0]).toContain(`checking the configured target at BETTERPROMPT_BASE_URL=${server.url}`);
    expect(lines.join('\n')).not.toContain('$BETTERPROMPT_BASE_URL');
  } finally {
    await server.close();
  }
});
