import type { ImportOptions } from './import-options.ts';
import { ImportError } from './import-messages.ts';
import { KIND_PROFILES, pickField } from './kind-profiles.ts';

/** The fields an import reads source ids, passage widths, codes and names from (null/undefined: none). */
export interface FieldChoices {
  idField: string | null;
  widthField: string | undefined;
  codeField: string | null;
  nameField: string | null;
}

/**
 * Chooses the fields of a layer with these field names: the ones options name (--id-field,
 * --width-field), else the kind's usual names (KIND_PROFILES). Throws ImportError UNKNOWN_FIELD when a
 * field an option names is not there.
 */
export function chooseFields(layer: { layer: string; fields: readonly string[] }, options: ImportOptions, displayName: string): FieldChoices {
  const profile = KIND_PROFILES[options.kind];
  const missing = (option: string, field: string) =>
    new ImportError('UNKNOWN_FIELD', `--${option} ${field} is not a field of ${layer.layer} (fields: ${layer.fields.join(', ')}) (字段不存在)`, displayName, undefined, field);
  let idField: string | null;
  if (options.idField) {
    const hit = pickField(layer.fields, [options.idField]);
    if (!hit) throw missing('id-field', options.idField);
    idField = hit;
  } else {
    idField = pickField(layer.fields, profile.idFields) ?? null;
  }
  if (options.widthField && !layer.fields.includes(options.widthField)) throw missing('width-field', options.widthField);
  return {
    idField,
    widthField: profile.accepts.includes('line') ? (options.widthField ?? pickField(layer.fields, profile.widthFields ?? [])) : undefined,
    codeField: pickField(layer.fields, profile.codeFields) ?? null,
    nameField: pickField(layer.fields, profile.nameFields) ?? null,
  };
}

/** Whether a field an option names (--id-field, --width-field) is missing from `fields`. */
export function namedFieldMissing(fields: readonly string[], options: ImportOptions): boolean {
  return (
    (options.idField !== undefined && pickField(fields, [options.idField]) === undefined) ||
    (options.widthField !== undefined && !fields.includes(options.widthField))
  );
}

/** The first choice that differs between `a` and `b`, or null when they agree. */
export function changedChoice(a: FieldChoices, b: FieldChoices): keyof FieldChoices | null {
  for (const key of ['idField', 'widthField', 'codeField', 'nameField'] as const) if (a[key] !== b[key]) return key;
  return null;
}
