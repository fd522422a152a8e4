import { z } from 'zod';
import { ImportError } from './import-messages.ts';
import { KINDS, KIND_PROFILES, type Kind } from './kind-profiles.ts';

/** Options of one import, as the CLI and the HTTP API accept them. */
export const importOptionsSchema = z.object({
  kind: z.enum(KINDS),
  name: z.string().trim().min(1).max(200).optional(),
  epoch: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date')
    .optional(),
  srs: z
    .union([z.number().int(), z.string().regex(/^(EPSG:)?\d{4,6}$/i, 'must be EPSG:<code>')])
    .transform((v) => (typeof v === 'number' ? v : Number(v.replace(/^EPSG:/i, ''))))
    .optional(),
  encoding: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,20}$/, 'must be an encoding label such as gbk or utf-8')
    .optional(),
  idField: z.string().trim().min(1).max(64).optional(),
  widthField: z.string().trim().min(1).max(64).optional(),
  layer: z.string().trim().min(1).max(200).optional(),
  strict: z.boolean().optional(),
  importedBy: z.string().max(200).optional(),
});

export type ImportOptionsInput = z.input<typeof importOptionsSchema>;
export type ImportOptions = z.output<typeof importOptionsSchema> & { kind: Kind };

/** Validates import options; throws ImportError naming the option on the first problem. */
export function parseImportOptions(input: unknown): ImportOptions {
  const parsed = importOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'options';
    const hint = field === 'kind' ? ` (one of ${KINDS.join(', ')})` : '';
    throw new ImportError('INVALID_OPTION', `--${field}: ${issue?.message ?? 'invalid'}${hint}`, undefined, undefined, field);
  }
  const options = parsed.data as ImportOptions;
  if (KIND_PROFILES[options.kind].needsEpoch && !options.epoch) {
    throw new ImportError(
      'EPOCH_REQUIRED',
      `--epoch YYYY-MM-DD is required for kind ${options.kind}: new construction is found by comparing survey epochs (需要 --epoch 调查时点)`,
      undefined,
      undefined,
      'epoch',
    );
  }
  return options;
}
