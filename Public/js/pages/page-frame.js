// What the form pages (Compare, Reports) share: their frame, and their URL in the history.
import { el } from '../core/dom.js';

/// The frame of a form page in root: the form in the sidebar, a main column under the page's title; answers the
/// main column.
export function formPageFrame(root, form, title) {
  const layout = el('div', 'layout page-layout');
  const side = el('aside', 'sidebar');
  side.append(form);
  const main = el('main', 'main');
  main.append(el('h1', 'page-title', null, title));
  layout.append(side, main);
  root.replaceChildren(layout);
  return main;
}

/// The page's URL (path and query) into the history: a new entry (push) or in place of the current one; nothing
/// when it is the current one already.
export function showPageURL(url, push) {
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}
