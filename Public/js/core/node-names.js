// The graph's node names (LLM-TT's): X0_t the embedding, A{l}_t after attention, M{l}_t the FFN block, I{l}_t after
// layer l, at token t. Pure: no DOM.

const NODE = /^([XAMI])(\d+)_(\d+)$/;

/// {kind, layer, token} of a node name, or null.
export function parseNode(name) {
  const match = NODE.exec(name);
  if (!match) return null;
  return { kind: match[1], layer: Number(match[2]), token: Number(match[3]) };
}

/// The residual-stream representation a node shows: X0 = entering layer 0, A = after attention, I = after the layer.
export function representationOf(node) {
  if (node.kind === 'X') return { layer: 0, point: 'pre', token: node.token };
  if (node.kind === 'A') return { layer: node.layer, point: 'mid', token: node.token };
  if (node.kind === 'I') return { layer: node.layer, point: 'post', token: node.token };
  return null;
}

/// The node whose vector a logit-lens cell reads: the lens point of `layer` at `token`.
export function lensCellNode(point, layer, token) {
  if (point === 'post') return `I${layer}_${token}`;
  if (point === 'mid') return `A${layer}_${token}`;
  return layer === 0 ? `X0_${token}` : `I${layer - 1}_${token}`;
}
