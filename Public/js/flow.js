// Analytics · Layer flow: how much each layer changes a position's residual stream (GET /api/runs/{id}/flow), as an
// SVG line chart over the layers of cos(input, output), the relative update and the attention share of the update,
// for one position or the mean over positions.
//
//   flowView.create(root, host) → {show(), reset(), destroy()}; URL parameter position=N|mean.
import { api } from './api.js';
import { csv, download } from './export.js';
import { h, button, fmt, isNum, quoted, requestGuard, spinner } from './analytics-common.js';

const SVG = 'http://www.w3.org/2000/svg';

const SERIES = [
  { key: 'cos', label: 'cos(input, output)', axis: 'left', color: '#2171b5', dash: null },
  { key: 'attention_share', label: 'attention share ‖attn‖ / (‖attn‖ + ‖FFN‖)', axis: 'left', color: '#238b45', dash: null },
  { key: 'relative_update', label: 'relative update ‖out − in‖ / ‖in‖', axis: 'right', color: '#d95f02', dash: '6 4' },
];
const FIELDS = ['cos', 'information_loss', 'relative_update', 'attention_share', 'ffn_share'];

export const flowView = {
  name: 'flow',
  label: 'Layer flow',

  defaults(state) {
    state.flowPosition = null; // null: the last token; 'mean': the mean over positions
  },

  read(params, state) {
    const position = params.get('position');
    if (position === 'mean') state.flowPosition = 'mean';
    else if (position !== null && /^\d+$/.test(position)) state.flowPosition = Number(position);
  },

  write(state, params) {
    if (state.flowPosition !== null) params.set('position', String(state.flowPosition));
  },

  create(root, host) {
    return new FlowView(root, host);
  },
};

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/// About `count` round tick values covering [lo, hi]: {lo, hi, ticks}.
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const base = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * base).find((s) => s >= raw) || 10 * base;
  const start = Math.floor(lo / step + 1e-9) * step, end = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-6 ? 0 : Number(v.toPrecision(12)));
  return { lo: start, hi: end, ticks, step };
}

function tickText(v, step) {
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const quarter = Math.abs(step / 10 ** exponent - 2.5) < 1e-6 ? 1 : 0;
  const digits = Math.max(0, Math.min(4, -exponent + quarter));
  return v.toFixed(digits).replace('-', '−');
}

/// The values of one layer for the chosen position, or the mean of the finite values over positions.
function pick(layer, key, position) {
  const values = layer[key] || [];
  if (position !== 'mean') return isNum(values[position]) ? values[position] : null;
  const finite = values.filter(isNum);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
}

class FlowView {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.dataKey = null;
    this.builtFor = null;
    this.hoverLayer = null;
    this.guard = requestGuard();
    this.build();
  }

  build() {
    const toolbar = h('div', 'toolbar');
    const label = h('label', null, null, 'Position ');
    this.positionSelect = h('select', null, { id: 'flow-position' });
    label.append(this.positionSelect);
    this.csvButton = button('CSV', { id: 'export-flow-csv', title: 'the values per layer as CSV' });
    this.jsonButton = button('JSON', { id: 'export-flow-json', title: 'the flow response as JSON' });
    this.svgButton = button('SVG', { id: 'export-flow-svg', title: 'the chart as SVG' });
    toolbar.append(label, this.csvButton, this.jsonButton, this.svgButton);
    this.busy = spinner(toolbar);
    this.caption = h('p', 'muted small', { id: 'flow-caption' });
    this.legend = h('ul', 'flow-legend', { id: 'flow-legend' });
    for (const s of SERIES) {
      const li = h('li', null, { 'data-series': s.key });
      const sample = svg('svg', { width: 28, height: 10, 'aria-hidden': 'true' });
      sample.append(svg('line', { x1: 1, y1: 5, x2: 27, y2: 5, stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash }));
      li.append(sample, document.createTextNode(` ${s.label} `), h('span', 'muted small', null, `(${s.axis} axis)`));
      this.legend.append(li);
    }
    this.chartBox = h('div', 'flow-chart', { id: 'flow-chart' });
    this.tooltip = h('div', 'flow-tooltip', { role: 'status', 'aria-live': 'polite', hidden: '' });
    this.chartBox.append(this.tooltip);
    this.root.replaceChildren(toolbar, this.caption, this.legend, this.chartBox);

    this.positionSelect.addEventListener('change', () => {
      const value = this.positionSelect.value;
      this.host.state.flowPosition = value === 'mean' ? 'mean' : Number(value);
      this.host.writeURL();
      this.show().catch(this.host.showError);
    });
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data &&
      download(`${this.host.baseName()}-flow.json`, JSON.stringify(this.data), 'application/json'));
    this.svgButton.addEventListener('click', () => this.svgElement &&
      download(`${this.host.baseName()}-flow.svg`, this.svgText(), 'image/svg+xml'));
  }

  reset() {
    this.guard.cancel();
    this.data = null;
    this.dataKey = null;
    this.builtFor = null;
    this.svgElement?.remove();
    this.svgElement = null;
    this.caption.textContent = '';
  }

  position() {
    const p = this.host.state.flowPosition;
    return p === null ? this.host.run.tokens.length - 1 : p;
  }

  async show() {
    const run = this.host.run, state = this.host.state;
    const n = run.tokens.length;
    if (state.flowPosition !== null && state.flowPosition !== 'mean' && !(state.flowPosition >= 0 && state.flowPosition < n)) {
      state.flowPosition = null;
    }
    if (this.builtFor !== this.host.runId) {
      this.builtFor = this.host.runId;
      this.positionSelect.replaceChildren(new Option('mean over positions', 'mean'),
        ...run.tokens.map((t, i) => new Option(`${i}: ${t.display}`, String(i))));
    }
    this.positionSelect.value = String(this.position());
    const key = this.host.runId;
    if (this.dataKey !== key) {
      const current = this.guard.next();
      this.busy.start('loading layer flow');
      try {
        const data = await api.flow(this.host.runId);
        if (!current()) return;
        this.data = data;
        this.dataKey = key;
      } finally {
        if (current()) this.busy.stop();
      }
    }
    this.render();
  }

  /// Per series, the value at every layer (null where missing).
  series() {
    const position = this.position();
    return SERIES.map((s) => ({ ...s, values: this.data.layers.map((layer) => pick(layer, s.key, position)) }));
  }

  render() {
    const data = this.data, position = this.position();
    const L = data.layers.length;
    this.caption.textContent = position === 'mean'
      ? `Mean over the ${data.tokens.length} positions, per layer.`
      : `Position ${position} (${quoted(data.tokens[position])}), per layer.`;
    const series = this.series();
    const width = Math.max(480, Math.min(960, (this.chartBox.clientWidth || 760) - 4));
    const height = 340;
    const m = { left: 56, right: 60, top: 14, bottom: 46 };
    const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
    const leftValues = series.filter((s) => s.axis === 'left').flatMap((s) => s.values).filter(isNum);
    const rightValues = series.filter((s) => s.axis === 'right').flatMap((s) => s.values).filter(isNum);
    const left = niceTicks(Math.min(0, ...leftValues), Math.max(1, ...leftValues), 5);
    const right = niceTicks(0, Math.max(1e-9, ...rightValues), 5);
    const x = (l) => m.left + (L > 1 ? (l / (L - 1)) * plotW : plotW / 2);
    const yLeft = (v) => m.top + plotH - ((v - left.lo) / (left.hi - left.lo)) * plotH;
    const yRight = (v) => m.top + plotH - ((v - right.lo) / (right.hi - right.lo)) * plotH;
    this.geometry = { x, L, m, plotW, plotH, width, height, series };

    const root = svg('svg', {
      id: 'flow-svg', class: 'flow-svg', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: 0, role: 'img',
      'aria-label': `layer flow chart: ${SERIES.map((s) => s.label).join(', ')} over ${L} layers; arrow keys step through the layers`,
      'data-layers': L, 'font-family': 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif', 'font-size': 11,
    });
    root.append(svg('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
    // grid and axes
    const axes = svg('g', { class: 'flow-axes', fill: '#444' });
    for (const t of left.ticks) {
      const y = yLeft(t);
      axes.append(svg('line', { x1: m.left, x2: m.left + plotW, y1: y, y2: y, stroke: t === 0 ? '#b9c3b9' : '#e6ece6' }));
      axes.append(svg('text', { x: m.left - 6, y: y + 4, 'text-anchor': 'end' }, tickText(t, left.step)));
    }
    for (const t of right.ticks) {
      const y = yRight(t);
      axes.append(svg('line', { x1: m.left + plotW, x2: m.left + plotW + 4, y1: y, y2: y, stroke: '#d95f02' }));
      axes.append(svg('text', { x: m.left + plotW + 7, y: y + 4, fill: '#a34700' }, tickText(t, right.step)));
    }
    const step = Math.max(1, Math.ceil(L / Math.max(1, Math.floor(plotW / 36))));
    for (let l = 0; l < L; l += step) {
      axes.append(svg('line', { x1: x(l), x2: x(l), y1: m.top + plotH, y2: m.top + plotH + 4, stroke: '#777' }));
      axes.append(svg('text', { x: x(l), y: m.top + plotH + 16, 'text-anchor': 'middle' }, String(l)));
    }
    axes.append(svg('line', { x1: m.left, x2: m.left, y1: m.top, y2: m.top + plotH, stroke: '#777' }));
    axes.append(svg('line', { x1: m.left + plotW, x2: m.left + plotW, y1: m.top, y2: m.top + plotH, stroke: '#d95f02' }));
    axes.append(svg('line', { x1: m.left, x2: m.left + plotW, y1: m.top + plotH, y2: m.top + plotH, stroke: '#777' }));
    axes.append(svg('text', { x: m.left + plotW / 2, y: height - 8, 'text-anchor': 'middle' }, 'layer'));
    axes.append(svg('text', { x: 14, y: m.top + plotH / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 14 ${m.top + plotH / 2})` }, 'cos, attention share'));
    axes.append(svg('text', { x: width - 10, y: m.top + plotH / 2, 'text-anchor': 'middle', fill: '#a34700',
      transform: `rotate(90 ${width - 10} ${m.top + plotH / 2})` }, 'relative update'));
    root.append(axes);

    // guide line for hover
    this.guide = svg('line', { class: 'flow-guide', y1: m.top, y2: m.top + plotH, stroke: '#ff8c00', 'stroke-width': 1,
      visibility: 'hidden' });
    root.append(this.guide);

    for (const s of series) {
      const y = s.axis === 'left' ? yLeft : yRight;
      const g = svg('g', { class: 'flow-series', 'data-series': s.key });
      let d = '', pen = false;
      s.values.forEach((v, l) => {
        if (!isNum(v)) { pen = false; return; }
        d += `${pen ? 'L' : 'M'}${x(l).toFixed(2)},${y(v).toFixed(2)}`;
        pen = true;
      });
      g.append(svg('path', { class: 'flow-line', 'data-series': s.key, d, fill: 'none', stroke: s.color, 'stroke-width': 2,
        'stroke-dasharray': s.dash, 'stroke-linejoin': 'round' }));
      s.values.forEach((v, l) => {
        if (!isNum(v)) return;
        const c = svg('circle', { class: 'flow-point', 'data-series': s.key, 'data-layer': l, 'data-value': v,
          cx: x(l).toFixed(2), cy: y(v).toFixed(2), r: 3.5, fill: '#ffffff', stroke: s.color, 'stroke-width': 2 });
        c.append(svg('title', {}, `L${l} · ${s.label}: ${fmt(v, 4)}`));
        g.append(c);
      });
      root.append(g);
    }
    // hover surface over the plot
    const surface = svg('rect', { class: 'flow-surface', x: m.left - 8, y: m.top, width: plotW + 16, height: plotH,
      fill: 'transparent' });
    root.append(surface);
    surface.addEventListener('pointermove', (event) => this.hoverAt(event));
    surface.addEventListener('pointerleave', () => this.setHover(null));
    root.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('blur', () => this.setHover(null));

    this.svgElement?.remove();
    this.svgElement = root;
    this.chartBox.insertBefore(root, this.tooltip);
    this.root.dataset.ready = 'true';
    if (this.hoverLayer !== null && this.hoverLayer < L) this.setHover(this.hoverLayer);
    else this.setHover(null);
  }

  hoverAt(event) {
    const { x, L } = this.geometry;
    const box = this.svgElement.getBoundingClientRect();
    const px = (event.clientX - box.left) * (this.geometry.width / box.width);
    let best = 0;
    for (let l = 1; l < L; l++) if (Math.abs(x(l) - px) < Math.abs(x(best) - px)) best = l;
    this.setHover(best);
  }

  setHover(layer) {
    this.hoverLayer = layer;
    if (!this.svgElement) return;
    for (const c of this.svgElement.querySelectorAll('circle.flow-point.hover')) c.classList.remove('hover');
    if (layer === null) {
      this.guide.setAttribute('visibility', 'hidden');
      this.tooltip.hidden = true;
      return;
    }
    const { x, series, width } = this.geometry;
    this.guide.setAttribute('x1', x(layer));
    this.guide.setAttribute('x2', x(layer));
    this.guide.setAttribute('visibility', 'visible');
    for (const c of this.svgElement.querySelectorAll(`circle.flow-point[data-layer="${layer}"]`)) c.classList.add('hover');
    this.tooltip.replaceChildren(h('b', null, null, `Layer ${layer}`),
      ...series.map((s) => {
        const line = h('div', null, { 'data-series': s.key });
        const dot = h('span', 'dot', { 'aria-hidden': 'true' });
        dot.style.background = s.color;
        line.append(dot, document.createTextNode(` ${s.label.split(' ‖')[0]}: ${fmt(s.values[layer], 4)}`));
        return line;
      }));
    this.tooltip.hidden = false;
    const box = this.svgElement.getBoundingClientRect(), scale = box.width / width;
    const left = x(layer) * scale;
    const tipWidth = this.tooltip.offsetWidth || 200;
    this.tooltip.style.left = `${left + 12 + tipWidth > box.width ? Math.max(0, left - tipWidth - 12) : left + 12}px`;
    this.tooltip.style.top = '18px';
  }

  onKey(event) {
    const L = this.geometry?.L || 0;
    if (!L) return;
    let layer = this.hoverLayer;
    if (event.key === 'ArrowRight') layer = layer === null ? 0 : Math.min(L - 1, layer + 1);
    else if (event.key === 'ArrowLeft') layer = layer === null ? L - 1 : Math.max(0, layer - 1);
    else if (event.key === 'Home') layer = 0;
    else if (event.key === 'End') layer = L - 1;
    else if (event.key === 'Escape') layer = null;
    else return;
    event.preventDefault();
    this.setHover(layer);
  }

  svgText() {
    const copy = this.svgElement.cloneNode(true);
    copy.setAttribute('xmlns', SVG);
    copy.querySelector('.flow-guide')?.remove();
    copy.querySelector('.flow-surface')?.remove();
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
  }

  exportCSV() {
    if (!this.data) return;
    const position = this.position();
    const rows = [['layer', 'position', ...FIELDS]];
    for (const layer of this.data.layers) rows.push([layer.layer, position, ...FIELDS.map((f) => pick(layer, f, position) ?? '')]);
    download(`${this.host.baseName()}-flow-${position}.csv`, csv(rows), 'text/csv');
  }

  destroy() {
    this.guard.cancel();
    this.busy.stop();
    this.root.replaceChildren();
  }
}
