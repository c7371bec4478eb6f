// The attributions view's two maps, canvas heatmaps (components/heatmap/): the gradient flow ‖∂f/∂x_t‖₂ as a layer ×
// position map at one residual point (or all three stacked), and attention × gradient as a query × key map of one
// layer (or the sum over the layers), each with its picker and PNG export.
import { button, el } from '../../core/dom.js';
import { downloadPNG } from '../../core/download.js';
import { createHeatmap } from '../../components/heatmap/heatmap.js';
import { attentionMap, flowMatrix } from './attribution-data.js';

const FLOW_HINT = 'How the gradient of f travels down the stack: ‖∂f/∂x‖₂ at each layer (rows, the last on top) and ' +
  'position (columns); pre of layer 0 is the L2 saliency.';
const AG_HINT = 'The relevance of each attention weight, mean over heads of ReLU(A · ∂f/∂A): rows are queries, columns ' +
  'keys; a key\'s score in the table is its column\'s sum over the layers.';
const POINT_NAMES = { pre: 'entering each layer (pre)', mid: 'after attention (mid)', post: 'after each layer (post)',
  stacked: 'post, mid and pre stacked' };

function part(id, title, picker, png, hint, box) {
  const section = el('section', 'attr-map', { id });
  const head = el('div', 'toolbar attr-map-head');
  head.append(el('h4', null, null, title), picker, png);
  section.append(head, el('p', 'muted small', null, hint), box);
  return section;
}

/// The maps in `container`; on: {point(point), layer(layer)}, baseName() for the files, showError(e).
export function createMaps(container, layers, on) {
  const m = {};
  m.point = el('select', null, { id: 'attr-flow-point', 'aria-label': 'residual point of the gradient-flow map' });
  m.point.replaceChildren(...Object.entries(POINT_NAMES).map(([value, text]) => new Option(text, value)));
  m.layer = el('select', null, { id: 'attr-map-layer', 'aria-label': 'layer of the attention × gradient map' });
  m.layer.replaceChildren(new Option('sum over layers', 'sum'),
    ...Array.from({ length: layers }, (_, l) => new Option(`L${l}`, String(l))));
  const flowPNG = button('PNG', { id: 'export-attr-flow-png', title: 'the gradient-flow map as PNG' });
  const agPNG = button('PNG', { id: 'export-attr-ag-png', title: 'the attention × gradient map as PNG' });
  m.flowBox = el('div', 'heatmap-box', { id: 'attr-flow-map' });
  m.agBox = el('div', 'heatmap-box', { id: 'attr-ag-map' });
  container.replaceChildren(part('attr-flow-part', 'Gradient flow', m.point, flowPNG, FLOW_HINT, m.flowBox),
    part('attr-ag-part', 'Attention × gradient', m.layer, agPNG, AG_HINT, m.agBox));
  m.flow = createHeatmap(m.flowBox, { colors: 'greens', title: 'gradient flow', maxSize: 560, axes: ['point', 'position'] });
  m.ag = createHeatmap(m.agBox, { colors: 'blues', title: 'attention × gradient', maxSize: 560, axes: ['query', 'key'] });
  m.point.addEventListener('change', () => on.point(m.point.value));
  m.layer.addEventListener('change', () => on.layer(m.layer.value === 'sum' ? 'sum' : Number(m.layer.value)));
  const file = (what) => `${on.baseName()}-attributions-${what}.png`;
  flowPNG.addEventListener('click', () => m.flow.data &&
    downloadPNG(file(`flow-${m.point.value}`), m.flow.pngBlob(), on.showError));
  agPNG.addEventListener('click', () => m.ag.data &&
    downloadPNG(file(`attention-gradient-${m.layer.value}`), m.ag.pngBlob(), on.showError));
  return {
    /// Draws the maps for the state (the flow point, the layer) from the gradient-flow and attention × gradient
    /// results (either may be missing: pending.flow, pending.ag say why).
    update(state, labels, flowResult, agResult, pending = {}) {
      m.point.value = state.attrFlowPoint;
      m.layer.value = String(state.attrLayer);
      m.flowBox.dataset.point = state.attrFlowPoint;
      m.agBox.dataset.layer = String(state.attrLayer);
      if (flowResult?.flow) {
        const matrix = flowMatrix(flowResult.flow, state.attrFlowPoint);
        m.flow.update(matrix.values, labels.length, labels, { rows: matrix.rows, rowLabels: matrix.rowLabels,
          title: `‖∂f/∂x‖₂ ${POINT_NAMES[state.attrFlowPoint]}` });
      } else {
        m.flow.update(null, 0, [], { empty: pending.flow });
      }
      if (agResult?.attention_maps) {
        const n = labels.length;
        const layer = state.attrLayer;
        m.ag.update(attentionMap(agResult.attention_maps, layer, n), n, labels,
          { title: `mean_h ReLU(A · ∂f/∂A), ${layer === 'sum' ? 'sum over layers' : `layer ${layer}`}` });
      } else {
        m.ag.update(null, 0, [], { empty: pending.ag });
      }
    },
    destroy() {
      m.flow.destroy();
      m.ag.destroy();
    },
  };
}
