// The Teaching view's part of the run page's state and URL (see core/url-state.js): walk=N (the position; none:
// the last token), and the sampling sliders temperature=T, top_k=K (0: off), top_p=P (1: off), penalty=R (1: off).
// Pure: no DOM.

export const SAMPLING_DEFAULTS = Object.freeze({ temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 });

function number(params, name, ok) {
  const text = params.get(name);
  if (text === null || !/^\d+(\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  return ok(value) ? value : null;
}

export const url = {
  defaults(state) {
    state.walkToken = null;
    state.sampling = { ...SAMPLING_DEFAULTS };
  },

  read(params, state) {
    url.defaults(state);
    const token = params.get('walk');
    if (token !== null && /^\d+$/.test(token)) state.walkToken = Number(token);
    const s = state.sampling;
    s.temperature = number(params, 'temperature', (v) => v > 0 && v <= 10) ?? s.temperature;
    s.topK = number(params, 'top_k', (v) => Number.isInteger(v) && v >= 0) ?? s.topK;
    s.topP = number(params, 'top_p', (v) => v > 0 && v <= 1) ?? s.topP;
    s.repetitionPenalty = number(params, 'penalty', (v) => v >= 1 && v <= 10) ?? s.repetitionPenalty;
  },

  write(state, params) {
    if (state.walkToken !== null) params.set('walk', String(state.walkToken));
    const s = state.sampling;
    if (s.temperature !== SAMPLING_DEFAULTS.temperature) params.set('temperature', String(s.temperature));
    if (s.topK !== SAMPLING_DEFAULTS.topK) params.set('top_k', String(s.topK));
    if (s.topP !== SAMPLING_DEFAULTS.topP) params.set('top_p', String(s.topP));
    if (s.repetitionPenalty !== SAMPLING_DEFAULTS.repetitionPenalty) params.set('penalty', String(s.repetitionPenalty));
  },

  newRun(state) {
    state.walkToken = null; // a position of the previous prompt
  },
};
