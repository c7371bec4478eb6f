// The Checkpoints mode's class changes: the heads whose attention-pattern class differs from one checkpoint to the
// next, grouped by the step where it changed, and the heads that end with another class than they started with.
import { el } from '../../../core/dom.js';
import { plural } from '../../../core/format.js';
import { classBadge } from '../../../components/legends.js';
import { classChangeGroups, firstToLastChanges } from './checkpoints-data.js';

function changeItem(x, attrs) {
  const li = el('li', 'class-change', { 'data-layer': x.layer, 'data-head': x.head, 'data-from': x.fromClass,
    'data-to': x.toClass, ...attrs });
  li.append(el('span', 'head-name', null, x.name), ' ', classBadge(x.fromClass), el('span', 'arrow', { 'aria-label': 'to' }, ' → '),
    classBadge(x.toClass));
  return li;
}

export function classChangesSection(report) {
  const groups = classChangeGroups(report);
  const section = el('section', 'report-section', { id: 'checkpoints-changes', 'data-count': report.class_changes.length });
  section.append(el('h2', null, null, `Heads whose class changed (${report.class_changes.length})`));
  if (!groups.length) {
    section.append(el('p', 'empty-state', { id: 'checkpoints-no-changes' }, 'No head changed its class between consecutive checkpoints.'));
  }
  const steps = el('div', 'change-steps');
  for (const g of groups) {
    const box = el('div', 'change-step', { 'data-from': g.from, 'data-to': g.to });
    const list = el('ul', 'class-changes');
    list.append(...g.changes.map((x) => changeItem(x, { 'data-checkpoint': g.to, 'data-from-checkpoint': g.from })));
    box.append(el('h3', null, null, `at ${g.to}`), el('p', 'muted small', null, `from ${g.from}: ${plural(g.changes.length, 'head')}`), list);
    steps.append(box);
  }
  section.append(steps);
  const last = firstToLastChanges(report);
  const names = [report.checkpoints[0].name, report.checkpoints[report.checkpoints.length - 1].name];
  const whole = el('div', 'first-to-last', { id: 'checkpoints-first-to-last', 'data-count': last.length });
  whole.append(el('h3', null, null, `From ${names[0]} to ${names[1]}`));
  if (last.length) {
    const list = el('ul', 'class-changes');
    list.append(...last.map((x) => changeItem(x, {})));
    whole.append(list);
  } else whole.append(el('p', 'muted', null, 'Every head ends with the class it started with.'));
  section.append(whole);
  return section;
}
