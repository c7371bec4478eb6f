// The graph diff's form: runs A and B (from this browser's run history, B's menu marking the runs that cannot be
// diffed with A and why), a swap, the threshold, renormalisation, how many largest differences to list, links to
// both runs, and the box that explains a refused pair (placed by the page).
import { button, el } from '../../core/dom.js';
import { truncate } from '../../core/format.js';
import { diffBlocker } from '../../core/run-history.js';
import { labelled, selectOf } from '../../components/form-fields.js';
import { THRESHOLD_RANGE, TOP_CHOICES } from './graph-diff-state.js';

function runOption(entry, blocker) {
  const text = `${truncate(entry.prompt, 38)} · ${entry.model} · ${entry.tokens} tokens` + (blocker ? ` — ${blocker}` : '');
  const option = new Option(text, entry.id);
  option.title = `${entry.prompt}\n${entry.model}, ${entry.tokens} tokens, ${entry.layers ?? '?'} layers\nrun ${entry.id}`;
  option.disabled = Boolean(blocker) && blocker !== 'this run';
  return option;
}

export class DiffForm {
  /// on: {runs() (A or B changed), threshold() (each step), options() (renormalize, top)}.
  constructor(on) {
    this.form = el('form', 'page-form', { id: 'diff-form', novalidate: '', 'aria-label': 'graph diff' });
    this.a = el('select', null, { id: 'diff-run-a' });
    this.b = el('select', null, { id: 'diff-run-b' });
    this.swap = button('⇅ swap', { id: 'diff-swap', title: 'swap runs A and B' }, 'small-button');
    this.links = el('p', 'small diff-run-links', { id: 'diff-run-links' });
    this.threshold = el('input', null, { id: 'diff-threshold', type: 'range', min: String(THRESHOLD_RANGE[0]),
      max: String(THRESHOLD_RANGE[1]), step: '0.01' });
    this.thresholdValue = el('output', null, { id: 'diff-threshold-value', for: 'diff-threshold' });
    this.renormalize = el('input', null, { id: 'diff-renormalize', type: 'checkbox' });
    this.top = selectOf('diff-top', TOP_CHOICES.map((k) => [String(k), `${k} largest`]));
    const renormalize = el('label', 'check');
    renormalize.append(this.renormalize, ' Renormalize after threshold');
    const thresholdField = el('label', 'control', null, 'Contribution threshold ');
    thresholdField.append(this.thresholdValue, this.threshold);
    const swapRow = el('div', 'row');
    swapRow.append(el('span', 'muted small', null, 'Δ = B − A on every edge'), this.swap);
    this.explanation = el('div', 'error', { id: 'diff-error', role: 'alert', hidden: '' });
    this.form.append(labelled('Run A', this.a), labelled('Run B', this.b,
      'Runs this browser has shown; only runs with the same number of tokens and layers as A can be diffed.'),
    swapRow, this.links, el('h2', null, null, 'Graph'), thresholdField, renormalize, labelled('List', this.top));
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.a.addEventListener('change', () => on.runs());
    this.b.addEventListener('change', () => on.runs());
    this.swap.addEventListener('click', () => {
      [this.a.value, this.b.value] = [this.b.value, this.a.value];
      on.runs();
    });
    this.threshold.addEventListener('input', () => {
      this.thresholdValue.textContent = Number(this.threshold.value).toFixed(2);
      on.threshold();
    });
    this.renormalize.addEventListener('change', () => on.options());
    this.top.addEventListener('change', () => on.options());
  }

  /// The menus from the history entries with a and b chosen (B's options say why they cannot go with A).
  fillRuns(history, a, b) {
    const entryA = history.find((e) => e.id === a);
    this.a.replaceChildren(new Option('— choose run A —', ''), ...history.map((e) => runOption(e, null)));
    this.b.replaceChildren(new Option('— choose run B —', ''),
      ...history.map((e) => runOption(e, entryA ? diffBlocker(e, entryA) : null)));
    this.a.value = a || '';
    this.b.value = b || '';
    this.links.replaceChildren(...[['A', a], ['B', b]].filter(([, id]) => id).flatMap(([name, id], i) => [
      i ? ' · ' : '', el('a', null, { href: `/runs/${id}`, 'data-run': name }, `open run ${name}`)]));
  }

  fill(state) {
    this.threshold.value = String(state.threshold);
    this.thresholdValue.textContent = state.threshold.toFixed(2);
    this.renormalize.checked = state.renormalize;
    this.top.value = String(state.top);
  }

  /// Explains an error (diff-data.js refusalText) next to the form; null hides it.
  explain(text) {
    this.explanation.hidden = !text;
    if (!text) return this.explanation.replaceChildren();
    this.explanation.replaceChildren(el('strong', 'error-title', null, text.title),
      ...text.lines.map((line) => el('p', 'error-line', null, line)));
  }

  get values() {
    return { a: this.a.value || null, b: this.b.value || null, threshold: Number(this.threshold.value),
      renormalize: this.renormalize.checked, top: Number(this.top.value) };
  }
}
