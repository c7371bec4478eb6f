// The Checkpoints mode's prompts: what every checkpoint makes of each prompt (its loss and the token its last
// position predicts, with the token count and where the prediction settles on hover).
import { el } from '../../../core/dom.js';
import { fmt } from '../../../core/format.js';
import { tableOf } from '../table.js';
import { promptRows } from './checkpoints-data.js';

export function promptsSection(report) {
  const columns = ['#', 'prompt', ...report.checkpoints.map((c) => c.name)];
  const rows = promptRows(report).map((row, p) => {
    const tr = el('tr', null, { 'data-prompt': p });
    tr.append(el('td', 'num muted', null, p + 1), el('td', 'prompt-text', { title: row.prompt }, row.prompt),
      ...row.cells.map((c) => {
        const td = el('td', 'prompt-cell', { 'data-checkpoint': c.checkpoint, 'data-loss': c.loss ?? '',
          title: `${c.checkpoint}: ${c.tokens} tokens, loss ${fmt(c.loss, 4)}, settles at layer ${c.settled ?? '–'}` });
        td.append(el('span', 'num', null, fmt(c.loss, 3)), ' → ', el('code', 'prediction', null, c.prediction));
        return td;
      }));
    return tr;
  });
  const section = el('section', 'report-section', { id: 'checkpoints-prompt-results' });
  const wrap = el('div', 'table-wrap');
  wrap.append(tableOf('checkpoints-prompts-table', 'report-table', columns, rows));
  section.append(el('h2', null, null, `Prompts (${report.prompts.length})`),
    el('p', 'muted small', null, 'Per checkpoint: the prompt\'s mean next-token loss (nats) → the token its last position predicts.'), wrap);
  return section;
}
