import type { ReactNode } from 'react';
/** Simple, accessible SVG charts (no chart library): each chart also has a data table for screen readers. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/**
 * Axis ticks at round steps (1, 2, 5 × 10^n) from 0 to at least `max`, never repeated: a chart of
 * 0–1 registrations once drew "0, 1, 1" (two React children with one key) and 0–5 drew "0/3/5".
 */
export function niceTicks(max: number, target = 4): number[] {
  const top = Math.max(1, Math.ceil(max));
  const raw = top / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) {
    ticks.push(v);
    if (v >= top) break;
  }
  return ticks;
}

export function BarChart({
  title,
  labels,
  series,
  unit = '',
}: {
  title: string;
  labels: string[];
  series: Series[];
  unit?: string;
}) {
  const W = 640;
  const H = 240;
  const pad = { l: 40, r: 10, t: 10, b: 60 };
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const max = ticks[ticks.length - 1] ?? 1;
  const groupW = (W - pad.l - pad.r) / Math.max(1, labels.length);
  const barW = Math.min(48, Math.max(2, (groupW * 0.8) / Math.max(1, series.length)));
  const inset = (groupW - barW * series.length) / 2;
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} stroke="#c9d1dc" />
            <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#4a5260">
              {t}
            </text>
          </g>
        ))}
        {labels.map((label, i) => (
          // Labels may repeat (two desks of one number, a week's days across months): key by position.
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity of a bar group
          <g key={i}>
            {series.map((s, j) => {
              const v = s.values[i] ?? 0;
              return (
                <rect
                  key={s.name}
                  x={pad.l + i * groupW + inset + j * barW}
                  y={y(v)}
                  width={barW - 1}
                  height={Math.max(0, H - pad.b - y(v))}
                  fill={s.color}
                >
                  <title>
                    {label}, {s.name}: {v}
                    {unit}
                  </title>
                </rect>
              );
            })}
            {labels.length <= 16 || i % 2 === 0 ? (
              <text
                x={pad.l + i * groupW + groupW / 2}
                y={H - pad.b + 14}
                textAnchor={labels.length > 6 ? 'end' : 'middle'}
                fontSize="11"
                fill="#4a5260"
                transform={
                  labels.length > 6
                    ? `rotate(-35 ${pad.l + i * groupW + groupW / 2} ${H - pad.b + 14})`
                    : undefined
                }
              >
                {label}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <figcaption>
        <strong>{title}</strong>
        <span className="legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">—</th>
            {series.map((s) => (
              <th scope="col" key={s.name}>
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity of a row
            <tr key={i}>
              <th scope="row">{label}</th>
              {series.map((s) => (
                <td key={s.name}>{s.values[i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** CSV with a BOM so that spreadsheet programs open Ukrainian text correctly. */
export function downloadCsv(name: string, header: string[], rows: Array<Array<string | number | null>>) {
  const esc = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = `\uFEFF${[header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A key figure: the number large, what it counts below it. */
export function Kpi({ value, children }: { value: ReactNode; children: ReactNode }) {
  return (
    <div className="kpi">
      <span className="kpi-n">{value}</span>
      {children}
    </div>
  );
}
