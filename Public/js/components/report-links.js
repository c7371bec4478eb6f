// The links of a finished job's report (the Reports page, the Compare page's Checkpoints mode): the server's
// standalone HTML report to open in a new tab or download, and the report JSON as a download.
import { button, el } from '../core/dom.js';
import { downloadJSON } from '../core/download.js';

/// <div id="{prefix}-links"> with #{prefix}-open-html, #{prefix}-download-html and #{prefix}-download-json; the files
/// are named `${fileBase}.html` and `${fileBase}.json`.
export function reportLinks({ prefix, htmlURL, fileBase, report }) {
  const box = el('div', 'report-links', { id: `${prefix}-links` });
  const open = el('a', 'link-button', { id: `${prefix}-open-html`, href: htmlURL, target: '_blank', rel: 'noopener' },
    'Open the standalone HTML report');
  open.append(el('span', 'sr-only', null, ' (opens in a new tab)'));
  const html = el('a', 'link-button', { id: `${prefix}-download-html`, href: htmlURL, download: `${fileBase}.html` },
    'Download HTML');
  const json = button('Download JSON', { id: `${prefix}-download-json`, title: 'the report JSON' }, 'link-button');
  json.addEventListener('click', () => downloadJSON(`${fileBase}.json`, report, 1));
  box.append(open, html, json);
  return box;
}
