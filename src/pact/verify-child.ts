/** Child process of {@link verifyIsolated}: verifies one configured target and writes the report as JSON. */
import { writeFileSync } from 'node:fs';
import type { ApiName } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { redactText, registerSecret } from '../shared/redact';
import { readBroker } from './broker';
import { verifyPact } from './verify';
import { CHILD_ENV } from './verify-isolated';

const env = process.env;
const api = env[CHILD_ENV.api] as ApiName;
const baseUrl = env[CHILD_ENV.baseUrl] ?? '';
const apiKey = env[CHILD_ENV.apiKey] ?? '';
const out = env[CHILD_ENV.out] ?? '';
registerSecret(apiKey);

try {
  const broker = readBroker(env);
  const report = await verifyPact(
    api,
    { kind: 'configured', baseUrl, apiKey },
    { pactFile: env[CHILD_ENV.pactFile] ?? '', ...(broker ? { broker } : {}) },
  );
  writeFileSync(out, JSON.stringify(report));
} catch (e) {
  console.error(redactText(`verification of ${api} could not run: ${errorMessage(e)}`));
  process.exitCode = 2;
}
