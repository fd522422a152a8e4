import type { Map as MapLibreMap } from 'maplibre-gl';
import { formatLonLat } from '../format/area-format.ts';
import { t } from '../i18n/i18n.ts';

/**
 * Shows the cursor position as CGCS2000 longitude/latitude (the map's lon/lat are CGCS2000 because
 * the data is; the difference from WGS84 is far below a pixel) and the zoom.
 */
export function trackCursor(map: MapLibreMap, output: HTMLElement): () => void {
  let last: [number, number] | null = null;
  const draw = () => {
    const pos = last ? formatLonLat(last[0], last[1]) : '—';
    output.textContent = `${t('coords.label')} ${pos} · z${map.getZoom().toFixed(1)}`;
  };
  map.on('mousemove', (e) => {
    last = [e.lngLat.lng, e.lngLat.lat];
    draw();
  });
  map.on('zoomend', draw);
  draw();
  return draw;
}
