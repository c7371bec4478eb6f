// The Checkpoints mode's reading of a checkpoint series report (what `glassbox checkpoints --json` writes and a done
// job of POST /api/checkpoint-series carries under `report`): the trends with their captions and directions, the
// checkpoints' short x labels, a row per checkpoint, the class changes grouped by the step where they happen, the
// prompts under every checkpoint, the summary sentences, the trends as CSV, and where a running job is, in words.
// Pure: no DOM.
import { isNum, plural } from '../../../core/format.js';

/// What each trend means (Sources/Analysis/Checkpoints/CheckpointTrend.swift's captions; a function of the report's
/// options where a threshold is in it), the unit of its y axis; count: whole numbers from 0.
export const TRENDS = {
  loss: { label: 'loss', unit: 'nats', caption: 'mean next-token loss over the prompts (nats)' },
  sink_share: { label: 'sink share', unit: 'share', caption: 'mean first-token share over the heads' },
  max_previous_token: { label: 'max previous-token', unit: 'share', caption: 'largest previous-token share of any head' },
  mean_normalized_entropy: { label: 'mean norm. entropy', unit: 'entropy / log(keys)', caption: 'mean normalised attention entropy over the heads' },
  mean_settled_layer: { label: 'mean settled layer', unit: 'layer', caption: 'mean layer where the last position\'s lens settles' },
  redundant_heads: { label: 'redundant heads', unit: 'heads', count: true,
    caption: (o) => `heads whose zeroing moves log p by < ${o.redundant_head_nats} nats` },
  high_attention: { label: 'high attention', unit: 'hits', count: true,
    caption: (o) => `high-attention hits (weights > ${o.high_attention}, key 0 excluded)` },
  uniform_attention: { label: 'uniform attention', unit: 'heads', count: true, caption: 'uniform-attention heads, summed over the prompts' },
  dead_head: { label: 'dead heads', unit: 'heads', count: true, caption: 'dead heads, summed over the prompts' },
  outlier_activation: { label: 'outlier activations', unit: 'activations', count: true, caption: 'outlier activations (layer, position, dimension)' },
  logit_lens_flip: { label: 'lens flips', unit: 'prompts', count: true, caption: 'prompts whose prediction appears before it settles' },
};

/// The anomaly kinds of a checkpoint's anomaly_counts, in the report's order, with short column labels.
export const ANOMALY_KINDS = [
  { key: 'high_attention', label: 'high attn' },
  { key: 'uniform_attention', label: 'uniform' },
  { key: 'dead_head', label: 'dead' },
  { key: 'outlier_activation', label: 'outliers' },
  { key: 'logit_lens_flip', label: 'lens flips' },
];

export const DIRECTIONS = {
  rising: { arrow: '↗', text: 'rising', hint: 'up at every checkpoint' },
  falling: { arrow: '↘', text: 'falling', hint: 'down at every checkpoint' },
  flat: { arrow: '→', text: 'flat', hint: 'the same at every checkpoint' },
  mixed: { arrow: '↕', text: 'mixed', hint: 'up and down (or a value missing)' },
};

/// The checkpoints' names without the prefix they all share up to a separator ("step-0050" → "0050"), as the
/// standalone report labels its x axes; the names themselves when nothing is shared or a label would be empty.
export function shortLabels(names) {
  if (names.length < 2) return names.slice();
  let prefix = names[0];
  for (const name of names.slice(1)) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(...[...prefix].map((c, i) => (/[\p{L}\p{N}]/u.test(c) ? -1 : i)));
  if (cut < 0) return names.slice();
  const stripped = names.map((name) => name.slice(cut + 1));
  return stripped.some((label) => label.length === 0) ? names.slice() : stripped;
}

/// The trends in the report's order: [{name, label, caption, unit, count, values (null where missing), direction,
/// change, measured (some value present)}].
export function trendRows(report) {
  return Object.entries(report.trends).map(([name, t]) => {
    const info = TRENDS[name] || { label: name.replace(/_/g, ' '), unit: 'value', caption: name };
    const values = t.values.map((v) => (isNum(v) ? v : null));
    const caption = typeof info.caption === 'function' ? info.caption(report.options) : info.caption;
    return { name, label: info.label, caption, unit: info.unit, count: Boolean(info.count), values,
      direction: t.direction, change: isNum(t.change) ? t.change : null, measured: values.some((v) => v !== null) };
  });
}

/// A row per checkpoint: {name, parameters, loss, sinkShare, maxPreviousToken, meanSettledLayer, settledLayers,
/// anomalies {kind: count}, redundantHeads ([{layer, head}] or null without ablation), seconds}.
export function checkpointRows(report) {
  const trend = (name, i) => (report.trends[name] && isNum(report.trends[name].values[i]) ? report.trends[name].values[i] : null);
  return report.checkpoints.map((c, i) => ({
    name: c.name, parameters: c.parameters, loss: isNum(c.loss) ? c.loss : null,
    sinkShare: isNum(c.sink_share) ? c.sink_share : null, maxPreviousToken: trend('max_previous_token', i),
    meanSettledLayer: isNum(c.mean_settled_layer) ? c.mean_settled_layer : null, settledLayers: c.settled_layers,
    anomalies: { ...c.anomaly_counts },
    redundantHeads: c.redundant_heads === null ? null : c.redundant_heads.map(([layer, head]) => ({ layer, head })),
    seconds: c.seconds,
  }));
}

/// A head's name as the page writes it: "L1 H2".
export function headName(layer, head) {
  return `L${layer} H${head}`;
}

/// The class changes between consecutive checkpoints, one group per step where some head changed:
/// [{from, to (the checkpoints' names), index (of `to`), changes: [{layer, head, name, fromClass, toClass}]}].
export function classChangeGroups(report) {
  const index = new Map(report.checkpoints.map((c, i) => [c.name, i]));
  const groups = [];
  for (const x of report.class_changes) {
    let group = groups.find((g) => g.from === x.from_checkpoint && g.to === x.to_checkpoint);
    if (!group) {
      group = { from: x.from_checkpoint, to: x.to_checkpoint, index: index.get(x.to_checkpoint) ?? -1, changes: [] };
      groups.push(group);
    }
    group.changes.push({ layer: x.layer, head: x.head, name: headName(x.layer, x.head), fromClass: x.from, toClass: x.to });
  }
  return groups.sort((a, b) => a.index - b.index);
}

/// The heads whose class at the last checkpoint differs from the first: [{layer, head, name, fromClass, toClass}].
export function firstToLastChanges(report) {
  return report.first_to_last.map((x) => ({ layer: x.layer, head: x.head, name: headName(x.layer, x.head),
    fromClass: x.from, toClass: x.to }));
}

/// Per prompt, what every checkpoint makes of it: [{prompt, cells: [{checkpoint, tokens, loss, prediction, settled}]}].
export function promptRows(report) {
  return report.prompts.map((prompt, p) => ({
    prompt,
    cells: report.checkpoints.map((c) => {
      const x = c.prompts[p];
      return { checkpoint: c.name, tokens: x.tokens, loss: isNum(x.loss) ? x.loss : null,
        prediction: x.prediction.display, settled: x.settled_layer };
    }),
  }));
}

/// Sentences for the trends that move one way at every step, and the count of class changes.
export function summarySentences(report) {
  const fmt4 = (v) => String(Number(v.toPrecision(4)));
  const lines = trendRows(report).filter((t) => t.direction === 'rising' || t.direction === 'falling')
    .map((t) => `${t.label} ${t.direction === 'rising' ? 'rises' : 'falls'} at every checkpoint, from ` +
      `${fmt4(t.values[0])} to ${fmt4(t.values[t.values.length - 1])}: ${t.caption}.`);
  const n = report.class_changes.length, m = report.first_to_last.length;
  lines.push(`${plural(n, 'class change')} between consecutive checkpoints; ${plural(m, 'head')} with another class ` +
    'at the end than at the start.');
  return lines;
}

/// The trends as CSV rows: checkpoint, then one column per trend (empty where missing).
export function trendsCSVRows(report) {
  const trends = trendRows(report);
  return [['checkpoint', ...trends.map((t) => t.name)],
    ...report.checkpoints.map((c, i) => [c.name, ...trends.map((t) => t.values[i] ?? '')])];
}

/// Where a checkpoint series job is, in words: "pass 12/40 · checkpoint 2/5 step-0050, prompt 3/4". The job carries
/// the checkpoints' names and the prompt count; the total is 0 until the first checkpoint is loaded.
export function seriesProgressText(job) {
  const { done, total, checkpoint, checkpoint_name: name, prompt } = job.progress;
  const N = job.checkpoints?.length ?? 0, P = job.prompts ?? 0;
  const pass = total > 0 ? `pass ${done}/${total}` : 'pass 0 (loading the first checkpoint)';
  const at = `checkpoint ${Math.min(N, checkpoint + 1)}/${N} ${name}, prompt ${Math.min(P, prompt + 1)}/${P}`;
  const what = job.series ? `series ${job.series}` : `${N} checkpoints`;
  if (job.status === 'queued') return `${what} · waiting for another job to finish`;
  if (job.status === 'running') return `${what} · ${pass} · ${at}`;
  if (job.status === 'done') return `${what} · pass ${total}/${total} · ${N} checkpoints × ${P} prompts: done`;
  if (job.status === 'cancelled') return `${what} · cancelled at ${pass} · ${at}`;
  return `${what} · failed at ${pass} · ${at}`;
}
