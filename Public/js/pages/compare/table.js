// The Compare page's small tables (its Models and Checkpoints modes): a header row of column titles over the body rows the
// sections make.
import { el } from '../../core/dom.js';

/// <table class="table className" id=id>: columns [text | [text, className]] in the header, then the rows (<tr>s).
export function tableOf(id, className, columns, rows) {
  const table = el('table', `table ${className}`, { id });
  const head = el('tr');
  for (const column of columns) {
    const [text, cls] = Array.isArray(column) ? column : [column, null];
    head.append(el('th', cls, { scope: 'col' }, text));
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tbody.append(...rows);
  table.append(thead, tbody);
  return table;
}
