// Types for vt-pbf 3 (CommonJS, ships none): only the geojson-vt-shaped entry point LandWatch uses.
declare module 'vt-pbf' {
  /** A feature as geojson-vt emits it: type 1 point, 2 line, 3 polygon; rings of [x, y] in tile units. */
  export interface GeojsonVtFeature {
    id?: number;
    type: 1 | 2 | 3;
    geometry: Array<Array<[number, number]>>;
    tags: Record<string, string | number | boolean | null>;
  }
  /** Encodes layers (name → features) into one MVT protobuf. */
  export function fromGeojsonVt(
    layers: Record<string, { features: GeojsonVtFeature[] }>,
    options?: { version?: number; extent?: number },
  ): Uint8Array;
  const vtpbf: { fromGeojsonVt: typeof fromGeojsonVt };
  export default vtpbf;
}
