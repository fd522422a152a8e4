/**
 * The statuses a suspect passes through (`new` until people act; the case workflow moves it on). Kept
 * apart from the routes so that the CLI and the exports can name them without loading Express.
 */
export const SUSPECT_STATUSES = ['new', 'confirmed', 'dismissed', 'in_progress', 'resolved'] as const;
