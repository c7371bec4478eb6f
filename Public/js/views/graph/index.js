// The contribution-graph view (#view-graph): the run's graph at the sidebar's threshold, with the side panel of
// the selected node or edge, the exports, and "Diff with…" another run (diff-picker.js). A run-page view (see
// pages/run/views.js).
import { api } from '../../core/api.js';
import { byId, listenerGroup, tableRows } from '../../core/dom.js';
import { download, downloadCSV, downloadJSON, downloadPNG } from '../../core/download.js';
import { parseNode } from '../../core/node-names.js';
import { createDiffPicker } from './diff-picker.js';
import { createGraphView } from './graph-view.js';
import { edgesBetween, graphCaption, graphJSON } from './graph-data.js';
import { Panel } from './panel.js';

export const name = 'graph';
export { url } from './url-state.js';

export function mount(root, host) {
  const view = { root, host, graph: null, data: null, panel: new Panel(host.showError), events: listenerGroup() };
  const on = (id, handler) => view.events.on(byId(id), 'click', handler);
  const base = () => host.baseName();
  on('fit-button', () => view.graph?.fit());
  on('export-svg', () => view.graph && download(`${base()}-graph.svg`, view.graph.svgText(), 'image/svg+xml'));
  on('export-png', () => view.graph && downloadPNG(`${base()}-graph.png`, view.graph.pngBlob(2), host.showError));
  on('export-json', () => view.data && downloadJSON(`${base()}-graph.json`, graphJSON(host.state, view.data), 1));
  on('export-lens-csv', () => downloadCSV(`${base()}-lens.csv`, tableRows(byId('lens-table'))));
  on('export-promoted-csv', () => downloadCSV(`${base()}-promoted.csv`,
    [...tableRows(byId('promoted-table')), ...tableRows(byId('suppressed-table'))]));
  view.events.on(byId('graph'), 'start', (event) => host.setStart(event.detail));
  view.diffPicker = createDiffPicker(byId('export-json').parentNode, byId('graph-caption'), host);
  return view;
}

/// change 'start': only the start token changed (the sidebar or a marker); else the graph is asked for again.
export async function update(view, change) {
  if (change !== 'start') return showGraph(view);
  if (!view.graph || !view.data) return;
  view.graph.setStart(view.host.state.start);
  showCaption(view);
}

export function destroy(view) {
  view.events.off();
  view.diffPicker.destroy();
  view.graph?.destroy();
  view.panel.destroy();
}

async function showGraph(view) {
  const { host } = view;
  const { state } = host;
  const requested = { threshold: state.threshold, renormalize: state.renormalize, runId: state.runId };
  const started = performance.now();
  const graph = await api.graph(state.runId, state.threshold, state.renormalize);
  if (requested.threshold !== state.threshold || requested.renormalize !== state.renormalize || requested.runId !== state.runId) return;
  view.data = graph;
  if (!view.graph) {
    byId('graph').replaceChildren();
    view.graph = createGraphView(byId('graph'), {
      onNodeClick: (node) => selectNode(view, node),
      onEdgeClick: (edges) => selectEdge(view, edges),
      onWindow: () => view.data && showCaption(view),
      onBackgroundClick: () => {
        state.select = null;
        view.graph.select(null);
        view.panel.reset();
        host.writeURL();
      },
    });
  }
  view.graph.render(graph, { start: state.start });
  host.timings.graphMs = performance.now() - started;
  showCaption(view);
  if (state.select) restoreSelection(view);
}

function showCaption(view) {
  const stats = view.graph.stats();
  byId('graph-caption').textContent = graphCaption(stats.shown, view.host.state.start, view.data, stats.window);
}

function restoreSelection(view) {
  const { state } = view.host;
  if (state.select.node) {
    view.graph.reveal(state.select.node);
    selectNode(view, state.select.node);
  } else if (state.select.edge) {
    const edges = edgesBetween(view.data, state.select.edge.source, state.select.edge.target);
    if (edges.length) {
      view.graph.reveal(state.select.edge.target);
      selectEdge(view, edges);
    } else {
      state.select = null;
      view.panel.reset();
    }
  }
}

function panelContext(state) {
  return { runId: state.runId, run: state.run, threshold: state.threshold, renormalize: state.renormalize,
           normalize: true, head: state.head };
}

function selectNode(view, node) {
  const { state } = view.host;
  state.select = { node };
  view.graph.select({ node });
  view.host.writeURL();
  view.panel.showNode(panelContext(state), node);
}

/// An attention edge into an A node shows its heads; any other edge its target node.
function selectEdge(view, edges) {
  if (!edges.length) return;
  const { host } = view;
  const edge = edges[0];
  const targetNode = parseNode(edge.target);
  if (!targetNode || targetNode.kind !== 'A' || !edges.some((e) => e.kind === 'attention')) return selectNode(view, edge.target);
  host.state.select = { edge: { source: edge.source, target: edge.target } };
  view.graph.select({ edge: { source: edge.source, target: edge.target } });
  host.writeURL();
  view.panel.showEdge(panelContext(host.state), edges, (head) => { host.state.head = head; host.writeURL(); });
}
