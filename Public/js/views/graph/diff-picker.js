// "Diff with…" above the run page's graph: a disclosure listing the runs of this browser's history
// (core/run-history.js), those with the same number of tokens and layers as this run as links to their graph diff
// (pages/graph-diff/), the others disabled with the reason; and a prompt box that runs another prompt on this
// run's model and opens the diff when its length matches.
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { truncate } from '../../core/format.js';
import { diffCandidates, historyEntry, loadHistory, rememberRun } from '../../core/run-history.js';
import { EXAMPLE_PAIR } from '../../pages/graph-diff/diff-data.js';
import { graphDiffURL } from '../../pages/graph-diff/graph-diff-state.js';

function diffLink(host, id) {
  const { state } = host;
  return graphDiffURL({ a: state.runId, b: id, threshold: state.threshold, renormalize: state.renormalize });
}

function candidateItem(host, { entry, blocker }) {
  const li = el('li', blocker ? 'disabled' : null, { 'data-run': entry.id, 'aria-disabled': blocker ? 'true' : null });
  const label = `${truncate(entry.prompt, 48)} · ${entry.model} · ${entry.tokens} tokens`;
  if (blocker) li.append(el('span', 'candidate', { title: entry.prompt }, label), el('span', 'why muted small', null, ` (${blocker})`));
  else li.append(el('a', 'candidate', { href: diffLink(host, entry.id), title: entry.prompt }, label));
  return li;
}

/// The disclosure in `toolbar` (before `before`) for the run page's host; answers {element, destroy()}.
export function createDiffPicker(toolbar, before, host) {
  const details = el('details', 'diff-picker', { id: 'diff-picker' });
  const summary = el('summary', null, { title: 'the difference of this graph and another run\'s (same number of tokens)' }, 'Diff with…');
  const panel = el('div', 'diff-picker-panel');
  const list = el('ul', 'diff-candidates', { id: 'diff-candidates' });
  const note = el('p', 'muted small', { id: 'diff-picker-note' });
  const prompt = el('input', null, { id: 'diff-picker-prompt', type: 'text', spellcheck: 'false', 'aria-label': 'another prompt to run and diff' });
  const run = button('Run and diff', { id: 'diff-picker-run' }, 'small-button');
  const message = el('p', 'small', { id: 'diff-picker-message', role: 'status' });
  const runRow = el('div', 'row');
  runRow.append(prompt, run);
  panel.append(note, list, el('p', 'small', null, 'Or run another prompt of the same length on this model:'), runRow, message);
  details.append(summary, panel);
  toolbar.insertBefore(details, before);

  const fill = () => {
    const current = historyEntry(host.run);
    const rows = diffCandidates(loadHistory(), { ...current, id: host.runId });
    const usable = rows.filter((r) => !r.blocker).length;
    list.replaceChildren(...rows.map((r) => candidateItem(host, r)));
    note.textContent = usable
      ? `Runs of this browser with ${current.tokens} tokens and ${current.layers} layers, like this one:`
      : `No other run of this browser has ${current.tokens} tokens and ${current.layers} layers, as a diff needs. Run a ` +
        `prompt of the same length, e.g. the pair "${EXAMPLE_PAIR[0]}" / "${EXAMPLE_PAIR[1]}".`;
    details.dataset.usable = String(usable);
    message.textContent = '';
  };
  details.addEventListener('toggle', () => { if (details.open) fill(); });
  run.addEventListener('click', async () => {
    if (!prompt.value.trim()) return;
    run.disabled = true;
    message.textContent = 'running…';
    try {
      const other = await api.createRun(host.run.model.name, prompt.value);
      rememberRun(other);
      if (other.tokens.length === host.run.tokens.length) {
        location.href = diffLink(host, other.id);
        return;
      }
      message.textContent = `"${prompt.value}" has ${other.tokens.length} tokens, this run ${host.run.tokens.length}: ` +
        'change a word or two and try again.';
      fill();
      message.dataset.tokens = String(other.tokens.length);
    } catch (error) {
      message.textContent = error.message;
    } finally {
      run.disabled = false;
    }
  });
  return { element: details, destroy: () => details.remove() };
}
