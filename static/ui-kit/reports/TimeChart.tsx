/**
 * A uPlot time chart (one x per day) drawn with the page's design tokens; redrawn when the
 * colour mode or the width changes. uPlot draws to a canvas, so the caller puts a table
 * with the same numbers beside it (screen readers and keyboard users read that).
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar } from './format.js';

export interface Series {
  label: string;
  /** A CSS variable holding the colour. */
  colorVar: string;
  values: (number | null)[];
  kind: 'bars' | 'line';
}

const HEIGHT = 200;

export function TimeChart({ days, series, yLabel, format }: { days: string[]; series: Series[]; yLabel: string; format?: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    const draw = () => {
      plot?.destroy();
      const text = cssVar('--c-text-subtle', '#44546F');
      const grid = cssVar('--c-border', '#091E4224');
      const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
      const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 24] }) : undefined;
      const opts: uPlot.Options = {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          {
            stroke: text,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            label: yLabel,
            labelSize: 16,
            size: 56,
            ...(format ? { values: (_u: uPlot, vals: number[]) => vals.map(format) } : {}),
          },
        ],
        series: [
          {},
          ...series.map((s) => {
            const color = cssVar(s.colorVar, '#1D7AFC');
            return s.kind === 'bars'
              ? { label: s.label, stroke: color, fill: color, width: 0, ...(bars ? { paths: bars } : {}), points: { show: false } }
              : { label: s.label, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 5, fill: color } };
          }),
        ],
      };
      plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    };
    draw();
    const mo = new MutationObserver(draw);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-color-mode', 'data-theme'] });
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => plot && Math.abs(plot.width - el.clientWidth) > 8 && draw()) : null;
    ro?.observe(el);
    return () => {
      mo.disconnect();
      ro?.disconnect();
      plot?.destroy();
    };
  }, [days.join(), JSON.stringify(series), yLabel]);
  return (
    <>
      <div class="legend" aria-hidden="true">
        {series.map((s) => (
          <span key={s.label}>
            <span class="swatch" style={{ background: `var(${s.colorVar})` }} />
            {s.label}
          </span>
        ))}
      </div>
      <div ref={box} aria-hidden="true" />
    </>
  );
}
