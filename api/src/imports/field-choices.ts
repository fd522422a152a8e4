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
  const missing = missingNamedField(layer.fields, options);
  if (missing) {
    throw new ImportError('UNKNOWN_FIELD', `--${missing.option} ${missing.field} is not a field of ${layer.layer} (fields: ${layer.fields.join(', ')}) (字段不存在)`, displayName, undefined, missing.field);
  }
  return {
    idField: pickField(layer.fields, options.idField ? [options.idField] : profile.idFields) ?? null,
    widthField: profile.accepts.includes('line') ? (options.widthField ?? pickField(layer.fields, profile.widthFields ?? [])) : undefined,
    codeField: pickField(layer.fields, profile.codeFields) ?? null,
    nameField: pickField(layer.fields, profile.nameFields) ?? null,
  };
}

/** The first field an option names (--id-field, any case; --width-field, exact) that `fields` lacks, or null. */
export function missingNamedField(fields: readonly string[], options: ImportOptions): { option: 'id-field' | 'width-field'; field: string } | null {
  if (options.idField && pickField(fields, [options.idField]) === undefined) return { option: 'id-field', field: options.idField };
  if (options.widthField && !fields.includes(options.widthField)) return { option: 'width-field', field: options.widthField };
  return null;
}

/** The first choice that differs between `a` and `b`, or null when they agree. */
export function changedChoice(a: FieldChoices, b: FieldChoices): keyof FieldChoices | null {
  for (const key of ['idField', 'widthField', 'codeField', 'nameField'] as const) if (a[key] !== b[key]) return key;
  return null;
}
