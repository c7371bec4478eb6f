// The Reports page's result: the links to the standalone HTML report and the downloads, the recommendations with
// their evidence, the prompts, the layer flow, the redundant heads and every head's summary.
import { api } from '../../core/api.js';
import { el } from '../../core/dom.js';
import { DASH, isNum, num, percent } from '../../core/format.js';
import { classBadge } from '../../components/legends.js';
import { reportLinks } from '../../components/report-links.js';

const ANOMALIES = [
  { key: 'high_attention', label: 'high attn', title: 'heads with attention above the threshold on one key' },
  { key: 'uniform_attention', label: 'uniform', title: 'heads that spread attention evenly' },
  { key: 'dead_head', label: 'dead', title: 'heads whose output is negligible' },
  { key: 'outlier_activation', label: 'outliers', title: 'residual dimensions with outlier activations' },
  { key: 'logit_lens_flip', label: 'lens flips', title: 'positions whose logit-lens prediction flips late' },
];
const HEAD_COLUMNS = ['normalized_entropy', 'sparsity', 'first_token', 'previous_token', 'self', 'focus'];

/// A table with a header row of [label, class, title?] and a body.
function table(className, attrs, headers, rows) {
  const t = el('table', className, attrs);
  const hr = el('tr');
  for (const [label, cls, title] of headers) hr.append(el('th', cls, { scope: 'col', title }, label));
  const thead = el('thead');
  thead.append(hr);
  const tbody = el('tbody');
  tbody.append(...rows);
  t.append(thead, tbody);
  return t;
}

function section(title, attrs) {
  const s = el('section', 'report-section', attrs);
  s.append(el('h2', null, null, title));
  return s;
}

function links(job, r) {
  return reportLinks({ prefix: 'report', htmlURL: job.html || api.reportHTML(job.id), fileBase: `glassbox-report-${job.id}`,
    report: r });
}

function recommendations(r) {
  const s = section(`Recommendations (${r.recommendations.length})`, { id: 'report-recommendations', 'data-count': r.recommendations.length });
  if (!r.recommendations.length) {
    s.append(el('p', 'empty-state', { id: 'report-no-recommendations' }, 'No rule fired on these prompts.'));
    return s;
  }
  r.recommendations.forEach((rec, i) => {
    const article = el('article', 'recommendation', { 'data-rule': rec.rule, 'data-index': i });
    article.append(el('p', 'recommendation-message', null, rec.message));
    const details = el('details', 'evidence', { open: '' });
    details.append(el('summary', 'small', null, `evidence: ${rec.evidence.length} measurement${rec.evidence.length === 1 ? '' : 's'} · rule ${rec.rule}`));
    details.append(table('table evidence-table', null,
      [['measure', null], ['layer', 'num'], ['head', 'num'], ['value', 'num'], ['threshold', null]],
      rec.evidence.map((e) => {
        const tr = el('tr');
        tr.append(el('td', null, null, e.measure), el('td', 'num', null, e.layer ?? DASH), el('td', 'num', null, e.head ?? DASH),
          el('td', 'num', { 'data-value': isNum(e.value) ? e.value : '' }, num(e.value)), el('td', null, null, e.threshold));
        return tr;
      })));
    article.append(details);
    s.append(article);
  });
  return s;
}

function promptsTable(r) {
  const s = section('Prompts');
  const wrap = el('div', 'table-wrap');
  wrap.append(table('table report-table', { id: 'report-prompts-table' }, [['#', 'num'], ['prompt', null], ['tokens', 'num'],
    ['prediction', null], ...ANOMALIES.map((a) => [a.label, 'num', a.title]),
    ['settles at', 'num', 'the layer from which the logit lens of the last token shows the final prediction']],
  r.prompts.map((p, i) => {
    const tr = el('tr', null, { 'data-prompt': i });
    const top = p.predictions[0];
    tr.append(el('td', 'num', null, i + 1), el('td', 'prompt-text', { title: p.prompt }, p.prompt),
      el('td', 'num', null, p.tokens.length),
      el('td', 'prediction', { 'data-token-id': top ? top.id : '', title: p.predictions.map((t) => `${t.display} ${percent(t.probability)}`).join(' · ') },
        top ? `${top.display} ${percent(top.probability)}` : DASH));
    for (const a of ANOMALIES) {
      const v = p.anomaly_counts[a.key];
      tr.append(el('td', 'num' + (v ? ' flagged' : ''), { 'data-key': a.key, 'data-value': v }, v));
    }
    tr.append(el('td', 'num', { 'data-key': 'settled_layer' }, p.settled_layer ?? DASH));
    return tr;
  })));
  s.append(wrap);
  return s;
}

function flowTable(r) {
  const s = section('Layer flow');
  s.append(el('p', 'muted small', null, 'Means over every position of every prompt; a layer is redundant when cos > ' +
    `${r.options.redundant_layer_cosine} and the relative update < ${r.options.redundant_layer_update}.`));
  const headers = ['layer', 'cos', 'information loss', 'relative update', 'attention share', '|Δ log p| skipped', 'redundant']
    .map((label) => [label, label === 'redundant' ? null : 'num']);
  s.append(table('table report-table', { id: 'report-flow-table' }, headers, r.layers_flow.map((l) => {
    const tr = el('tr', l.redundant ? 'flagged-row' : null, { 'data-layer': l.layer });
    tr.append(el('td', 'num', null, `L${l.layer}`), el('td', 'num', null, num(l.cos)), el('td', 'num', null, num(l.information_loss)),
      el('td', 'num', null, num(l.relative_update)), el('td', 'num', null, percent(l.attention_share)),
      el('td', 'num', null, l.skip_nats === null ? DASH : num(l.skip_nats)), el('td', null, null, l.redundant ? 'yes' : ''));
    return tr;
  })));
  return s;
}

function headChips(heads) {
  const list = el('ul', 'head-chips');
  for (const x of heads) {
    list.append(el('li', 'head-chip', { 'data-layer': x.layer, 'data-head': x.head, title: `mean |Δ log p| ${x.ablation_nats}` },
      `L${x.layer} H${x.head} · ${num(x.ablation_nats, 3)} nats`));
  }
  return list;
}

function redundantHeads(r) {
  const s = section('Redundant heads', { id: 'report-redundant' });
  const limit = r.options.redundant_head_nats;
  if (!r.options.ablation) {
    s.append(el('p', 'muted', null, 'Ablation was off: no head was zeroed, so no head is known to be redundant.'));
    return s;
  }
  const measured = r.heads.filter((x) => isNum(x.ablation_nats)).sort((a, b) => a.ablation_nats - b.ablation_nats);
  const redundant = measured.filter((x) => x.ablation_nats < limit);
  s.dataset.count = String(redundant.length);
  s.append(el('p', 'muted small', null,
    `A head is redundant when zeroing it changes the predicted token's log-probability by less than ${limit} nats on average.`));
  if (redundant.length) s.append(headChips(redundant));
  else s.append(el('p', null, null, `None: every head moves the prediction by at least ${limit} nats. The least needed:`), headChips(measured.slice(0, 5)));
  return s;
}

function headsDetails(r) {
  const details = el('details', 'report-section');
  details.append(el('summary', null, null, `Heads (${r.heads.length}): class, cluster, mean metrics, ablation`));
  const wrap = el('div', 'table-wrap');
  wrap.append(table('table report-table', { id: 'report-heads-table' }, [['layer', 'num'], ['head', 'num'], ['class', null],
    ['cluster', 'num'], ...HEAD_COLUMNS.map((c) => [c.replace(/_/g, ' '), 'num']), ['|Δ log p| zeroed', 'num']],
  r.heads.map((x) => {
    const tr = el('tr', null, { 'data-layer': x.layer, 'data-head': x.head });
    const cls = el('td');
    cls.append(classBadge(x.class), el('span', 'muted small', null, ` ${x.class_prompts}/${r.prompts.length}`));
    tr.append(el('td', 'num', null, x.layer), el('td', 'num', null, x.head), cls, el('td', 'num', null, x.cluster ?? DASH),
      ...HEAD_COLUMNS.map((c) => el('td', 'num', null, num(x[c], 3))),
      el('td', 'num', null, x.ablation_nats === null ? DASH : num(x.ablation_nats, 3)));
    return tr;
  })));
  details.append(wrap);
  return details;
}

/// The result of a done job, into box.
export function renderReport(box, job) {
  const r = job.report;
  const meta = el('p', 'report-meta', { id: 'report-meta' },
    `${r.model} (${r.architecture}, ${r.layers} layers × ${r.heads_per_layer} heads) · ${r.prompts.length} prompts · ` +
    `${num(r.seconds, 3)} s of compute · ${r.created} · ablation ${r.options.ablation ? 'on' : 'off'} · K = ${r.options.clusters}`);
  box.replaceChildren(links(job, r), meta, el('p', 'note', null, r.note), recommendations(r), promptsTable(r), flowTable(r),
    redundantHeads(r), headsDetails(r));
  box.hidden = false;
}
