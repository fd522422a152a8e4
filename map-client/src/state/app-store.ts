import type { ImageryMode } from '../map/imagery-compare.ts';
import type { Lang, SuspectFilters } from './url-state.ts';

/** Which tab of the side panel is shown. */
export type Tab = 'list' | 'detail' | 'dashboard';

/** The state the panels and the map share. */
export interface AppState {
  lang: Lang;
  filters: SuspectFilters;
  /** The selected suspect, or null. */
  selectedId: number | null;
  tab: Tab;
  /** Layer name → shown. */
  visible: Record<string, boolean>;
  /** Building epoch drawn (YYYY-MM-DD), or null for all. */
  buildingEpoch: string | null;
  /** Hexagon view of suspects at low zoom. */
  hexagons: boolean;
  /** Basemap shown (when one is configured). */
  basemap: boolean;
  /** Before/after imagery: shown, the two imagery ids, swipe or one date, raster opacity 0–1. */
  imagery: ImageryState;
}

/** What the imagery control chose. */
export interface ImageryState {
  on: boolean;
  beforeId: number | null;
  afterId: number | null;
  mode: ImageryMode;
  opacity: number;
}

/** A tiny observable store: panels subscribe and re-render what changed. */
export interface Store {
  get(): AppState;
  set(patch: Partial<AppState>): void;
  subscribe(fn: (state: AppState, prev: AppState) => void): () => void;
}

/** Creates the store with its initial state. */
export function createStore(initial: AppState): Store {
  let state = initial;
  const subs = new Set<(s: AppState, p: AppState) => void>();
  return {
    get: () => state,
    set(patch) {
      const prev = state;
      state = { ...state, ...patch };
      for (const fn of subs) fn(state, prev);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
