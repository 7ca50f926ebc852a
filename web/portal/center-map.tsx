import type { Center } from '../shared/api.js';
import { addressOf, nameOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';

// A rough outline of Ukraine (lon, lat), enough to place centers; no external map tiles exist here.
const OUTLINE: Array<[number, number]> = [
  [22.15, 48.4],
  [22.7, 49.0],
  [22.6, 49.5],
  [23.6, 50.4],
  [24.1, 50.9],
  [23.6, 51.6],
  [24.9, 51.9],
  [26.2, 51.9],
  [27.8, 51.6],
  [28.7, 51.45],
  [30.3, 51.3],
  [30.6, 51.6],
  [31.5, 52.1],
  [32.2, 52.1],
  [33.2, 52.35],
  [34.1, 52.0],
  [34.4, 51.25],
  [35.4, 50.6],
  [36.2, 50.4],
  [37.5, 50.3],
  [38.2, 50.0],
  [39.2, 49.9],
  [40.1, 49.6],
  [39.7, 48.9],
  [40.0, 48.3],
  [39.8, 47.85],
  [38.3, 47.3],
  [37.5, 47.1],
  [36.6, 46.75],
  [35.2, 46.3],
  [34.9, 46.1],
  [35.5, 45.4],
  [36.5, 45.3],
  [35.3, 44.9],
  [34.3, 44.45],
  [33.4, 44.6],
  [32.5, 45.3],
  [33.6, 45.9],
  [32.0, 46.1],
  [31.5, 46.6],
  [30.8, 46.5],
  [30.2, 45.85],
  [29.6, 45.4],
  [28.2, 45.5],
  [28.9, 46.5],
  [30.1, 46.4],
  [29.6, 47.4],
  [29.1, 47.9],
  [27.8, 48.4],
  [26.6, 48.3],
  [24.9, 47.75],
  [23.2, 48.0],
];

const W = 480;
const H = 320;
const x = (lon: number) => ((lon - 22) / (40.3 - 22)) * W;
const y = (lat: number) => ((52.5 - lat) / (52.5 - 44.3)) * H;

export function CenterMap({
  centers,
  free,
  days,
  onPick,
  selectedId,
}: {
  centers: Center[];
  free: Record<string, number | null>;
  /** How many days ahead `free` counts. */
  days: number;
  onPick: (c: Center) => void;
  selectedId?: string;
}) {
  const placed = centers.filter((c) => typeof c.latitude === 'number' && typeof c.longitude === 'number');
  if (placed.length === 0) return null;
  return (
    <figure className="map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="map-title">
        <title id="map-title">{t('portal.mapServiceCenters')}</title>
        <polygon
          points={OUTLINE.map(([lo, la]) => `${x(lo)},${y(la)}`).join(' ')}
          fill="#e8f0fb"
          stroke="#0a4a94"
          strokeWidth="2"
        />
        {placed.map((c) => {
          const f = free[c.id];
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG dot cannot be a <button>; the list beside is the accessible way
            <g
              key={c.id}
              role="button"
              tabIndex={-1}
              aria-label={nameOf(c)}
              onClick={() => onPick(c)}
              onKeyDown={(e) => e.key === 'Enter' && onPick(c)}
              className="map-dot"
            >
              <circle
                cx={x(c.longitude as number)}
                cy={y(c.latitude as number)}
                r={selectedId === c.id ? 11 : 8}
                fill={f ? '#0b6b2f' : f === 0 ? '#a4161a' : '#0a4a94'}
                stroke="#fff"
                strokeWidth="2"
              />
              <title>
                {nameOf(c)}: {addressOf(c)}
              </title>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">{t('portal.mapLegend', { days })}</figcaption>
    </figure>
  );
}
