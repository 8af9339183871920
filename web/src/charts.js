// Three small SVG charts, drawn with DOM calls (no chart library, no innerHTML): a stacked bar of the
// memory parts with the GPU's usable memory marked, memory against context length, and tokens/s against
// batch. Only geometry here; every byte count and rate comes from the core.
import { commas } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// parts: [{label, bytes, size, colour}], capacity: bytes or 0, labels: {capacity}
export function stackedBar(node, parts, capacity, capacityLabel) {
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  const scale = Math.max(total, capacity) || 1;
  const W = 1000;
  const kids = [];
  let x = 0;
  parts.forEach((p) => {
    const w = (p.bytes / scale) * W;
    if (w <= 0) return;
    // p.colour: the part id's colour (memory.js), the same in every view.
    const rect = svg('rect', { x: x.toFixed(2), y: 8, width: Math.max(w, 0.5).toFixed(2), height: 44, class: `seg c${p.colour}` });
    rect.append(svg('title', {}, `${p.label}: ${p.size}`));
    kids.push(rect);
    x += w;
  });
  if (capacity > 0) {
    const cx = ((capacity / scale) * W).toFixed(2);
    const line = svg('line', { x1: cx, x2: cx, y1: 0, y2: 60, class: 'capacity', 'vector-effect': 'non-scaling-stroke' });
    line.append(svg('title', {}, capacityLabel));
    kids.push(line);
  }
  node.replaceChildren(...kids);
}

const nice = (v) => {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
};

// Both line charts' frame (viewBox 640 × 260, index.html) and margins, and their axis titles.
const FRAME = { W: 640, H: 260, L: 64, R: 16, T: 12, B: 44 };
function axisTitles(kids, xLabel, yLabel) {
  const { W, H, L, R, T, B } = FRAME;
  kids.push(svg('text', { x: (L + W - R) / 2, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, xLabel));
  kids.push(svg('text', { x: 14, y: (T + H - B) / 2, class: 'axis', 'text-anchor': 'middle', transform: `rotate(-90 14 ${(T + H - B) / 2})` }, yLabel));
}

const shortTokens = (n) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : String(n));

// points: [{x, bytes}], current: {x, bytes}, capacity bytes, fmtY(bytes) → label, unit divisor for ticks.
export function curve(node, { points, current, capacity, xLabel, unit, unitName, label }) {
  const { W, H, L, R, T, B } = FRAME;
  const xMax = Math.max(...points.map((p) => p.x), current?.x ?? 0) || 1;
  const yTop = nice(Math.max(...points.map((p) => p.bytes), capacity || 0, current?.bytes ?? 0) / unit || 1);
  const X = (x) => L + (x / xMax) * (W - L - R);
  const Y = (b) => H - B - (b / unit / yTop) * (H - T - B);
  const kids = [svg('title', {}, label)];
  for (let i = 0; i <= 4; i++) {
    const v = (yTop * i) / 4;
    const y = Y(v * unit).toFixed(1);
    kids.push(svg('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    kids.push(svg('text', { x: L - 6, y, class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, `${+v.toFixed(2)}`));
  }
  for (let i = 0; i <= 4; i++) {
    const v = Math.round((xMax * i) / 4);
    kids.push(svg('text', { x: X(v).toFixed(1), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, shortTokens(v)));
  }
  axisTitles(kids, xLabel, unitName);
  if (capacity > 0 && capacity / unit <= yTop) {
    const y = Y(capacity).toFixed(1);
    kids.push(svg('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'capacity' }));
  }
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.bytes).toFixed(1)}`).join('');
  kids.push(svg('path', { d, class: 'line' }));
  if (current) kids.push(svg('circle', { cx: X(current.x).toFixed(1), cy: Y(current.bytes).toFixed(1), r: 5, class: 'dot' }));
  node.replaceChildren(...kids);
}

// Decode tokens/s against batch (the core's batch_curve, doubling from 1): tokens/s in all (solid) and per
// sequence (dashed) on a log2 batch axis; the dot marks the current batch on the solid line.
// points: [{batch, aggregate, per}], current: batch or 0.
export function throughput(node, { points, current, xLabel, yLabel, label }) {
  const { W, H, L, R, T, B } = FRAME;
  const xMax = Math.log2(Math.max(...points.map((p) => p.batch), 2));
  const yTop = nice(Math.max(...points.map((p) => p.aggregate)) || 1);
  const X = (b) => L + (Math.log2(b) / xMax) * (W - L - R);
  const Y = (v) => H - B - (v / yTop) * (H - T - B);
  const kids = [svg('title', {}, label)];
  for (let i = 0; i <= 4; i++) {
    const v = (yTop * i) / 4;
    const y = Y(v).toFixed(1);
    kids.push(svg('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    const tick = v >= 1e4 ? shortTokens(Math.round(v)) : commas(Math.round(v));
    kids.push(svg('text', { x: L - 6, y, class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, tick));
  }
  // A tick per doubling, thinned to at most 8 labels.
  const every = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    if (i % every === 0 || i === points.length - 1)
      kids.push(svg('text', { x: X(p.batch).toFixed(1), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, shortTokens(p.batch)));
  });
  axisTitles(kids, xLabel, yLabel);
  const path = (key) => points.map((p, i) => `${i ? 'L' : 'M'}${X(p.batch).toFixed(1)},${Y(p[key]).toFixed(1)}`).join('');
  kids.push(svg('path', { d: path('aggregate'), class: 'line' }));
  kids.push(svg('path', { d: path('per'), class: 'line per' }));
  const at = points.find((p) => p.batch === current);
  if (at) kids.push(svg('circle', { cx: X(at.batch).toFixed(1), cy: Y(at.aggregate).toFixed(1), r: 5, class: 'dot' }));
  node.replaceChildren(...kids);
}
