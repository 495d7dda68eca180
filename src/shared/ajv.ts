/** One strict Ajv for the whole suite; validators are compiled once, at import. */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

/** ajv errors as one readable line. */
export function schemaErrors(
  errors: readonly { instancePath: string; message?: string | undefined }[] | null | undefined,
): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
