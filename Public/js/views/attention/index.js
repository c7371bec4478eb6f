// The attention view (#view-attention): the pattern of one layer's head (or the mean of its heads) as a heatmap,
// and every layer × head as thumbnails to choose from. A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { byId, listenerGroup } from '../../core/dom.js';
import { downloadJSON, downloadPNG } from '../../core/download.js';
import { createHeatmap } from '../../components/heatmap/heatmap.js';
import { attentionJSON } from './attention-json.js';
import { createThumbnailGrid } from './thumbnails.js';

export const name = 'attention';
export { url } from './url-state.js';

export function mount(root, host) {
  const { state } = host;
  const view = { host, heatmap: null, thumbnails: null, filled: false, events: listenerGroup() };
  const redraw = () => { host.writeURL(); update(view).catch(host.showError); };
  const fileName = (ext) => `${host.baseName()}-attention-L${state.attentionLayer}-${state.attentionHead}.${ext}`;
  view.events.on(byId('attention-layer'), 'change', () => { state.attentionLayer = Number(byId('attention-layer').value); redraw(); });
  view.events.on(byId('attention-head'), 'change', () => { state.attentionHead = byId('attention-head').value; redraw(); });
  view.events.on(byId('export-attention-png'), 'click', () => view.heatmap &&
    downloadPNG(fileName('png'), view.heatmap.pngBlob(), host.showError));
  view.events.on(byId('export-attention-json'), 'click', async () => {
    try {
      const pattern = await api.attention(state.runId, state.attentionLayer, state.attentionHead);
      downloadJSON(fileName('json'), attentionJSON(state.runId, state.attentionLayer, state.attentionHead, state.run.tokens, pattern));
    } catch (error) {
      host.showError(error);
    }
  });
  view.redraw = redraw;
  return view;
}

/// The layer and head menus of the run's model (a layer beyond it falls back to 0).
function fillMenus(view) {
  const { state } = view.host;
  const { layers, heads } = state.run.model;
  byId('attention-layer').replaceChildren(...Array.from({ length: layers }, (_, l) => new Option(`L${l}`, String(l))));
  byId('attention-head').replaceChildren(new Option('all (mean)', 'all'), ...Array.from({ length: heads }, (_, h) => new Option(`H${h}`, String(h))));
  if (state.attentionLayer >= layers) state.attentionLayer = 0;
  view.filled = true;
}

export async function update(view) {
  const { host } = view;
  const { state } = host;
  if (!view.filled) fillMenus(view);
  byId('attention-layer').value = String(state.attentionLayer);
  byId('attention-head').value = state.attentionHead;
  const n = state.run.tokens.length;
  if (!view.heatmap) view.heatmap = createHeatmap(byId('attention-view'), { colors: 'blues', title: 'attention' });
  const pattern = await api.attention(state.runId, state.attentionLayer, state.attentionHead);
  view.heatmap.update(pattern, n, state.run.tokens.map((t) => t.display));
  if (!view.thumbnails) {
    view.thumbnails = createThumbnailGrid(byId('attention-grid'), {
      layers: state.run.model.layers, heads: state.run.model.heads, n,
      fetchPattern: (layer, head) => api.attention(state.runId, layer, head),
      patternURL: (layer, head) => api.attentionURL(state.runId, layer, head),
      onSelect: (layer, head) => {
        state.attentionLayer = layer;
        state.attentionHead = String(head);
        view.redraw();
      },
    });
  }
  // the shown head's thumbnail (also after a permalink or a jump from another view)
  view.thumbnails.select(state.attentionLayer, state.attentionHead === 'all' ? -1 : Number(state.attentionHead));
}

export function destroy(view) {
  view.events.off();
  view.heatmap?.destroy();
  view.thumbnails?.destroy();
}
