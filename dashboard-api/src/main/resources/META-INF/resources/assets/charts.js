// Charts drawn as SVG: no chart library, no build step. Each is an image to assistive technology,
// named by a sentence that summarises what it draws (a screen reader cannot read a polyline).
import { svg, percent } from './dom.js';

/** What a series of counts (oldest first) comes to, for a chart's text alternative. */
export function seriesSummary(label, values) {
  if (!values.length) return `${label}: no data`;
  const total = values.reduce((a, b) => a + b, 0);
  return `${label}: ${total} in all, at most ${Math.max(...values)} in one, ${values[values.length - 1]} in the latest`;
}

/** A line chart of values (oldest first) with a filled area and the latest value labelled. */
export function lineChart(values, { width = 560, height = 140, label = '' } = {}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 16) - 2).toFixed(1)}`);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': seriesSummary(label, values) });
  for (let g = 1; g <= 3; g++) {
    const y = height - (g / 3) * (height - 16) - 2;
    chart.append(svg('line', { x1: 0, x2: width, y1: y, y2: y, class: 'grid' }));
  }
  if (values.length > 1) {
    chart.append(svg('polygon', { points: `0,${height} ${points.join(' ')} ${width},${height}`, class: 'area' }));
    chart.append(svg('polyline', { points: points.join(' '), class: 'line' }));
  } else if (values.length === 1) {
    // one point has no line to draw: a bar in the middle, as high as the value
    const top = height - (values[0] / max) * (height - 16) - 2;
    chart.append(svg('rect', { x: width / 2 - 12, y: top, width: 24, height: Math.max(1, height - top), class: 'bar' }));
  }
  chart.append(svg('text', { x: 4, y: 12, class: 'axis' }, `max ${max}`));
  return chart;
}

export function sparkline(values, { width = 100, height = 24, label = '' } = {}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 2) - 1).toFixed(1)}`);
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', width, height, role: 'img', 'aria-label': seriesSummary(label, values) },
    svg('polyline', { points: points.join(' '), class: 'line' }));
}

/**
 * A half-circle gauge for an attainment in [0, 1] against a target in [0, 1]. `ok` is the verdict
 * when the caller has one (the server's); without it the gauge compares value and target. A null
 * value (nothing was measured) draws no arc, only a dashed track in the verdict's colour.
 */
export function gauge(value, target, { size = 120, ok } = {}) {
  const r = size / 2 - 8;
  const cx = size / 2;
  const cy = size / 2;
  const arc = (fraction) => {
    const angle = Math.PI * (1 - Math.min(1, Math.max(0, fraction)));
    return `${(cx + r * Math.cos(angle)).toFixed(1)},${(cy - r * Math.sin(angle)).toFixed(1)}`;
  };
  const missing = value === null || value === undefined;
  // ok === null: the server found nothing to judge (no data), neither colour
  const verdict = ok === null ? 'nodata' : (ok ?? (target == null || (!missing && value >= target))) ? 'ok' : 'breach';
  const said = `${missing ? 'nothing measured' : percent(value)}${target == null ? '' : ` against a target of ${percent(target)}`}: ${{ ok: 'met', breach: 'missed', nodata: 'no data' }[verdict]}`;
  return svg('svg', { viewBox: `0 0 ${size} ${size / 2 + 8}`, class: `gauge ${verdict}`, width: size, role: 'img', 'aria-label': said },
    svg('path', { d: `M ${cx - r},${cy} A ${r},${r} 0 0 1 ${cx + r},${cy}`, class: missing ? 'track none' : 'track' }),
    missing ? null : svg('path', { d: `M ${cx - r},${cy} A ${r},${r} 0 0 1 ${arc(value)}`, class: 'value' }),
    target == null ? svg('g', {}) : svg('circle', { cx: arc(target).split(',')[0], cy: arc(target).split(',')[1], r: 3, class: 'target' }));
}
