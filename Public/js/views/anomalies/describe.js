// An anomaly in words, and the view that shows it (GET /api/runs/{id}/anomalies). Pure: no DOM.
import { fmt, pct, plural, quoted } from '../../core/format.js';

/// The strongest hit of an outlier group: [layer, position, value, ratio].
function strongestOutlier(a) {
  return (a.hits || []).reduce((best, hit) => (best === null || hit[3] > best[3] ? hit : best), null);
}

const attentionOf = (a) => ({ view: 'attention', layer: a.layer, head: a.head });

/// {text, target}: what fired, in words, and where the entry leads ({view: attention|graph|lens, …} or null).
export function describe(a, tokens) {
  const tok = (i) => quoted(tokens[i]);
  switch (a.type) {
    case 'high_attention': {
      const query = a.positions[0], key = a.key ?? a.positions[1];
      return {
        text: `L${a.layer} H${a.head}: query ${query} (${tok(query)}) puts ${fmt(a.value, 2)} on key ${key} (${tok(key)})` +
          ` — threshold ${a.threshold} (${plural(a.count, 'hit')})`,
        target: attentionOf(a),
      };
    }
    case 'uniform_attention':
      return { text: `L${a.layer} H${a.head}: near-uniform attention, uniformity ${fmt(a.value, 3)} — threshold ${a.threshold}`,
               target: attentionOf(a) };
    case 'dead_head':
      return {
        text: `L${a.layer} H${a.head}: output at most ${pct(a.value, 2)} of the layer's mean head output at every position` +
          ` — threshold ${pct(a.threshold, 2)}`,
        target: attentionOf(a),
      };
    case 'outlier_activation': {
      const top = strongestOutlier(a);
      const layer = top ? top[0] : a.layer, position = top ? top[1] : a.positions[0];
      return {
        text: `dimension ${a.dimension}: ${fmt(a.value, 1)}× the median magnitude at L${layer}, position ${position} (${tok(position)})` +
          (top ? `, value ${fmt(top[2], 3)}` : '') + ` — threshold ${a.threshold}× (${plural(a.count, 'hit')}` +
          (a.positions.length > 1 ? ` at positions ${a.positions.join(', ')})` : ')'),
        target: { view: 'graph', node: `I${layer}_${position}`, layer, position },
      };
    }
    case 'logit_lens_flip': {
      const position = a.positions[0];
      return {
        text: `position ${position} (${tok(position)}): the final prediction ${quoted(a.final?.display)} appears at layer ` +
          `${a.first_layer}, is lost, and settles at layer ${a.settled_layer}`,
        target: { view: 'lens', layer: a.first_layer, position },
      };
    }
    default:
      return { text: `${a.type}: ${JSON.stringify(a)}`, target: null };
  }
}

/// The tooltip of an entry's button: where it leads.
export function targetTitle(target) {
  if (!target) return null;
  if (target.view === 'attention') return `open the attention map of L${target.layer} H${target.head}`;
  return target.view === 'graph' ? `open node ${target.node} in the contribution graph` : 'open the logit-lens grid';
}

/// A hit of a group ([layer, head, query, value] for high attention, else [layer, position, value, ratio]):
/// {label, target, title}.
export function describeHit(a, hit, tokens) {
  if (a.type === 'high_attention') {
    const [layer, head, query, value] = hit;
    return { label: `L${layer} H${head} q${query} ${fmt(value, 2)}`, target: { view: 'attention', layer, head },
             title: `query ${query} (${tokens[query]})` };
  }
  const [layer, position, value, ratio] = hit;
  return { label: `L${layer} pos ${position} ${fmt(value, 2)} (${fmt(ratio, 1)}×)`, target: { view: 'graph', node: `I${layer}_${position}` },
           title: `position ${position} (${tokens[position]})` };
}

/// The CSV rows of the list.
export function anomaliesCSVRows(data) {
  return [['type', 'layer', 'head', 'positions', 'tokens', 'value', 'threshold', 'description'],
    ...data.anomalies.map((a) => [a.type, a.layer ?? '', a.head ?? '', a.positions.join(' '), a.tokens.join(' '), a.value,
      a.threshold ?? '', describe(a, data.tokens).text])];
}
