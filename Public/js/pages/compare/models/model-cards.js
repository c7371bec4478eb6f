// The Models mode's cards, one per model side by side: its facts and timings, its own tokenisation of the text
// (the token strip) and its top next-token predictions.
import { el } from '../../../core/dom.js';
import { num } from '../../../core/format.js';
import { createTokenStrip } from '../../../components/token-strip.js';
import { topPredictions } from '../prompt-cards.js';
import { SIDE_COLORS, sideLabels } from './models-data.js';

function facts(side) {
  const dl = el('dl', 'model-facts');
  const rows = [['architecture', side.architecture], ['layers × heads', `${side.layers} × ${side.heads}`],
    ['d_model', side.d_model], ['vocabulary', side.vocab_size.toLocaleString()],
    ['time', `forward ${num(side.milliseconds?.forward, 3)} ms · analysis ${num(side.milliseconds?.analysis, 3)} ms`]];
  for (const [label, value] of rows) dl.append(el('dt', null, null, label), el('dd', null, null, String(value)));
  return dl;
}

function card(side, i, label) {
  const article = el('article', 'model-card', { 'data-side': i, 'data-model': side.model, 'aria-label': label });
  article.style.borderTopColor = SIDE_COLORS[i];
  const tokens = el('div', 'tokens model-tokens', { 'aria-label': `tokens of ${label}`, 'data-count': side.tokens.length });
  createTokenStrip(tokens, () => {}).render(side.tokens.map((display, t) => ({ display, id: side.token_ids[t] })), null);
  article.append(el('h3', null, null, label), facts(side),
    el('h4', null, null, `Tokens (${side.tokens.length})`), tokens,
    el('h4', null, null, 'Next token'), topPredictions(side));
  return article;
}

/// Both cards in a two-column grid.
export function modelCards(data) {
  const labels = sideLabels(data);
  const grid = el('div', 'model-cards', { id: 'models-sides' });
  grid.append(...data.models.map((side, i) => card(side, i, labels[i])));
  return grid;
}
