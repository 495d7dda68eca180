/** The API schemas as plain JSON files, for tools that cannot import TypeScript (Schemathesis, Specmatic, editors). */
import * as bp from '../../schemas/betterprompt/list-runs.schema';
import * as rt from '../../schemas/runtype/list-prompts.schema';

/** Path → schema text, for every top-level schema (one with `$schema`) the two API folders export. */
export function schemaFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [dir, mod] of [
    ['schemas/betterprompt', bp],
    ['schemas/runtype', rt],
  ] as const) {
    for (const value of Object.values(mod)) {
      if (typeof value !== 'object' || value === null || !('$schema' in value) || !('$id' in value)) continue;
      out.set(`${dir}/${String(value.$id).split('/').pop()}`, `${JSON.stringify(value, null, 2)}\n`);
    }
  }
  return out;
}
