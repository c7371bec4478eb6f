// The Checkpoints mode's result of a done job: the links to the standalone HTML report and the downloads (report
// JSON, trends CSV), what was measured, the summary sentences, the trend charts, the table per checkpoint, the
// heads whose class changed and the prompts under every checkpoint.
import { api } from '../../../core/api.js';
import { button, el } from '../../../core/dom.js';
import { downloadCSV } from '../../../core/download.js';
import { num, plural } from '../../../core/format.js';
import { reportLinks } from '../../../components/report-links.js';
import { checkpointTable } from './checkpoint-table.js';
import { summarySentences, trendsCSVRows } from './checkpoints-data.js';
import { classChangesSection } from './class-changes.js';
import { promptsSection } from './prompts-table.js';
import { trendsSection } from './trends-section.js';

function links(job, r, fileBase) {
  const box = reportLinks({ prefix: 'checkpoints', htmlURL: job.html || api.checkpointSeriesHTML(job.id), fileBase, report: r });
  const csv = button('Download trends CSV', { id: 'checkpoints-download-csv', title: 'one row per checkpoint, one column per trend' }, 'link-button');
  csv.addEventListener('click', () => downloadCSV(`${fileBase}-trends.csv`, trendsCSVRows(r)));
  box.append(csv);
  return box;
}

function meta(job, r) {
  const names = r.checkpoints.map((c) => c.name);
  return el('p', 'report-meta', { id: 'checkpoints-meta' },
    `${job.series ? `series ${job.series}: ` : ''}${names.length} checkpoints of ${r.architecture} (${r.layers} layers × ` +
    `${r.heads_per_layer} heads), ${names[0]} … ${names[names.length - 1]} · ${plural(r.prompts.length, 'prompt')} · ` +
    `${num(r.seconds, 3)} s of compute · ${r.created} · ablation ${r.options.ablation ? 'on' : 'off'}`);
}

function summary(r) {
  const list = el('ul', 'series-summary', { id: 'checkpoints-summary' });
  list.append(...summarySentences(r).map((text) => el('li', null, null, text)));
  return list;
}

/// The result of a done job, into box; onError(error) for an export that failed.
export function renderSeriesResult(box, job, onError) {
  const r = job.report;
  const fileBase = `glassbox-checkpoints-${job.id}`;
  box.replaceChildren(links(job, r, fileBase), meta(job, r), summary(r), trendsSection(r, { fileBase, onError }),
    checkpointTable(r), classChangesSection(r), promptsSection(r));
  box.hidden = false;
}
