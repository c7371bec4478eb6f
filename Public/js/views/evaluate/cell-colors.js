// The evaluate view's colours: Spearman ρ on the diverging red–white–blue scale (−1 red, 0 white, +1 blue), the
// top-k overlap and the consensus score on the sequential blues (0 white, 1 dark blue), each with a text colour
// that stays readable on it. Pure: no DOM.
import { isNum } from '../../core/format.js';
import { diverging, divergingText, lut } from '../../components/color-scales.js';

export const MISSING = '#eeeeee'; // a ρ that is undefined (a method with constant scores)

/// {background, color} of a Spearman ρ ∈ [−1, 1].
export function spearmanColors(rho) {
  if (!isNum(rho)) return { background: MISSING, color: '#555555' };
  return { background: diverging(rho), color: divergingText(rho) };
}

/// {background, color} of a share in [0, 1] (the overlap, the consensus score) on the blues.
export function shareColors(share) {
  if (!isNum(share)) return { background: MISSING, color: '#555555' };
  const t = Math.max(0, Math.min(1, share));
  return { background: lut('blues').css[Math.round(t * 255)], color: t > 0.6 ? '#ffffff' : '#1b1b1b' };
}

/// The colours of an agreement cell of a kind (spearman | overlap).
export function matrixColors(kind, v) {
  return kind === 'overlap' ? shareColors(v) : spearmanColors(v);
}
