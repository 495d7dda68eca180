/** `npm run schemas`: writes the JSON copies of the API schemas next to their TypeScript sources. */
import { writeFileSync } from 'node:fs';
import { schemaFiles } from '../src/apis/schema-files';

for (const [path, text] of schemaFiles()) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
