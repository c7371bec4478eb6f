// A segmented control: a radio group (a fieldset with its legend) drawn as one row of segments, with a hint line
// under it for the chosen option. The arrow keys move between the segments (the radio group's own behaviour).
import { el } from '../core/dom.js';

/// {element, inputs, set(name)} for options [{name, label, hint}]; ids `${id}-${name}` for the inputs,
/// `${id}-hint` for the hint; onChange(name) when the user picks one.
export function segmentedControl({ id, legend, options, onChange }) {
  const element = el('fieldset', 'mode-switch', { id });
  element.append(el('legend', null, null, legend));
  const segments = el('div', 'segments');
  const inputs = options.map((option) => {
    const input = el('input', null, { type: 'radio', name: id, id: `${id}-${option.name}`, value: option.name });
    segments.append(input, el('label', 'segment', { for: input.id, title: option.hint }, option.label));
    input.addEventListener('change', () => onChange(option.name));
    return input;
  });
  const hint = el('p', 'muted small mode-hint', { id: `${id}-hint` });
  element.append(segments, hint);
  return {
    element,
    inputs,
    set(name) {
      for (const input of inputs) input.checked = input.value === name;
      hint.textContent = options.find((o) => o.name === name)?.hint || '';
    },
  };
}
