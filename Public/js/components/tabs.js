// Tabs (the WAI-ARIA tabs pattern): buttons #tab-{name}, each controlling the panel #view-{name}; one panel is shown
// at a time. The arrow keys, Home and End move between the tabs, and the tab that gets the focus is chosen.
import { byId } from '../core/dom.js';

/// The tab a key moves to from `current`, or null for other keys. Pure.
export function nextTab(names, current, key) {
  const index = names.indexOf(current);
  if (key === 'ArrowRight') return names[(index + 1) % names.length];
  if (key === 'ArrowLeft') return names[(index + names.length - 1) % names.length];
  if (key === 'Home') return names[0];
  if (key === 'End') return names[names.length - 1];
  return null;
}

/// Wires the tab buttons of `tablist`; onChoose(name) when one is clicked or reached by a key. select(name) marks
/// the tab and shows its panel.
export function createTabs(tablist, names, onChoose) {
  let selected = names[0];
  for (const name of names) byId(`tab-${name}`).addEventListener('click', () => onChoose(name));
  tablist.addEventListener('keydown', (event) => {
    const next = nextTab(names, selected, event.key);
    if (!next || !event.target.closest('[role=tab]')) return;
    event.preventDefault();
    byId(`tab-${next}`).focus();
    onChoose(next);
  });
  return {
    select(name) {
      selected = name;
      for (const other of names) {
        byId(`tab-${other}`).setAttribute('aria-selected', String(other === name));
        byId(`view-${other}`).hidden = other !== name;
      }
    },
  };
}
