// The Compare page (/?page=compare): prompts side by side with POST /api/compare. A pair (two prompts, the difference
// second − first), templates (one {} slot filled with the same text) or a set (several prompts with labels, e.g.
// languages); target texts whose log-probabilities are compared; [[...]] marks the spans that are aligned.
//
// Results: per prompt its tokens (aligned groups highlighted), top predictions, target probabilities and
// log p(a) − log p(b); across prompts the variances (sets, templates); a heads table of every attention metric per
// prompt with the difference (pair) or the variance (sets), sorted by |value|; a layer × head grid of the chosen
// metric's difference in diverging colours; the aligned attention of the chosen head per group and prompt.
//
// URL (a reload restores the page): /?page=compare&mode=pair&a=…&b=…&targets=…&model=… (templates: t=…&t=…&slot=…;
// set: p=…&l=…, one pair per prompt), then the view: metric, order (abs|desc|asc|layer), all=1 (every metric's
// per-prompt values), head=L,H and run=1 once compared (the comparison is made again on reload).
import { api } from './api.js';
import { csv, download } from './export.js';
import { gridKey } from './heatmap-common.js';
import { h, button, isNum, DASH, METRICS, CLUSTER_COLORS, diverging, divergingText, divergingGradient, requestGuard,
  spinner } from './analytics-common.js';
import { loadModels, fillModelSelect, visibleSpaces, parseTargets, errorBox, labelled, num, percent }
  from './page-common.js';

const MODES = [
  { name: 'pair', label: 'Pair', hint: 'Two prompts; the heads table shows the difference B − A.' },
  { name: 'templates', label: 'Templates', hint: 'Several templates, each with one {}; the slot text goes in every {} and is aligned.' },
  { name: 'set', label: 'Set', hint: 'Several prompts with optional labels (e.g. languages); the heads table shows the variance.' },
];
const ORDERS = ['abs', 'desc', 'asc', 'layer'];
const DEFAULTS = {
  mode: 'pair',
  a: 'The [[doctor]] said that',
  b: 'The [[nurse]] said that',
  templates: ['The {} said that', 'Yesterday the {} told me that', 'When the {} came in, everyone knew that'],
  slot: 'doctor',
  set: [
    { label: 'en', prompt: 'The [[doctor]] said that' },
    { label: 'fr', prompt: 'Le [[médecin]] a dit que' },
    { label: 'de', prompt: 'Der [[Arzt]] sagte, dass' },
  ],
  targets: ' he\n she',
  metric: 'entropy',
  order: 'abs',
};

function groupColor(index) {
  return CLUSTER_COLORS[index % CLUSTER_COLORS.length];
}

export function mountCompare(root, host) {
  return new ComparePage(root, host);
}

class ComparePage {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;        // the last response
    this.dataBody = null;    // the body it answers (JSON text)
    this.cache = new Map();  // body JSON → response (Back/Forward without asking again)
    this.guard = requestGuard();
    this.view = { metric: DEFAULTS.metric, order: DEFAULTS.order, all: false, head: null };
    this.ran = false;
    this.build();
    window.addEventListener('popstate', () => this.start());
    this.start();
  }

  // -------------------------------------------------------------------------------------------------------------
  // The form

  build() {
    const layout = h('div', 'layout page-layout');
    const side = h('aside', 'sidebar');
    this.form = h('form', 'page-form', { id: 'compare-form', novalidate: '', 'aria-label': 'comparison' });

    this.model = h('select', null, { id: 'compare-model' });
    const modelSection = h('section');
    modelSection.append(h('h2', null, null, ''), this.model);
    modelSection.firstChild.append(h('label', null, { for: 'compare-model' }, 'Model'));

    // mode switch: a radio group drawn as a segmented control (arrow keys move between the modes)
    const modes = h('fieldset', 'mode-switch', { id: 'compare-mode' });
    modes.append(h('legend', null, null, 'Compare'));
    const segments = h('div', 'segments');
    this.modeInputs = MODES.map((mode) => {
      const input = h('input', null, { type: 'radio', name: 'compare-mode', id: `compare-mode-${mode.name}`, value: mode.name });
      const label = h('label', 'segment', { for: input.id, title: mode.hint }, mode.label);
      segments.append(input, label);
      input.addEventListener('change', () => this.setMode(mode.name, true));
      return input;
    });
    this.modeHint = h('p', 'muted small', { id: 'compare-mode-hint' });
    modes.append(segments, this.modeHint);

    // pair
    this.pairBox = h('div', 'mode-box', { id: 'compare-pair-box' });
    this.a = h('textarea', 'prompt-input', { id: 'compare-a', rows: '2', spellcheck: 'false' });
    this.b = h('textarea', 'prompt-input', { id: 'compare-b', rows: '2', spellcheck: 'false' });
    this.pairBox.append(labelled('Prompt A', this.a), labelled('Prompt B', this.b));

    // templates
    this.templatesBox = h('div', 'mode-box', { id: 'compare-templates-box', hidden: '' });
    this.templateList = h('ol', 'row-list', { id: 'compare-templates', 'aria-label': 'templates' });
    this.addTemplate = button('+ template', { id: 'compare-add-template' }, 'small-button add-row');
    this.slot = h('input', null, { id: 'compare-slot', type: 'text', spellcheck: 'false' });
    const templatesHead = h('div', 'row');
    templatesHead.append(h('span', 'field-title', null, 'Templates (each with one {})'), this.addTemplate);
    this.templatesBox.append(templatesHead, this.templateList,
      labelled('Slot text', this.slot, 'Put in every {} and marked as the aligned span.'));

    // set
    this.setBox = h('div', 'mode-box', { id: 'compare-set-box', hidden: '' });
    this.setList = h('ol', 'row-list', { id: 'compare-set', 'aria-label': 'prompts of the set' });
    this.addPrompt = button('+ prompt', { id: 'compare-add-prompt' }, 'small-button add-row');
    const setHead = h('div', 'row');
    setHead.append(h('span', 'field-title', null, 'Prompts (label optional)'), this.addPrompt);
    this.setBox.append(setHead, this.setList);

    this.spanHelp = h('p', 'help small', { id: 'compare-span-help' });
    this.spanHelp.append('Mark the tokens to align with ', h('code', null, null, '[[…]]'),
      ', the same number of spans in every prompt: ', h('code', null, null, 'The [[doctor]] said that'),
      '. Without marks, tokens with identical text are aligned.');

    this.targets = h('textarea', null, { id: 'compare-targets', rows: '2', spellcheck: 'false' });
    const targetsField = labelled('Targets', this.targets,
      'One per line, or comma-separated on one line. Spaces matter: " he" (␣he) and "he" are different tokens; ' +
      'only a target\'s first token is scored.');
    this.targetsPreview = h('div', 'target-chips', { id: 'compare-targets-preview', 'aria-live': 'polite',
      'aria-label': 'the targets as sent, spaces shown as ␣' });
    targetsField.append(this.targetsPreview);

    this.submit = h('button', 'primary', { type: 'submit', id: 'compare-submit' }, 'Compare');
    const submitRow = h('div', 'row');
    submitRow.append(h('span', 'muted small', null, 'Ctrl+Enter'), this.submit);
    this.errorElement = h('div', 'error', { id: 'compare-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter, message) => this.fieldsFor(parameter, message));

    this.form.append(modelSection, modes, this.pairBox, this.templatesBox, this.setBox, this.spanHelp, targetsField,
      submitRow, this.errorElement);
    side.append(this.form);

    // results
    const main = h('main', 'main');
    main.append(h('h1', 'page-title', null, 'Compare prompts'));
    const toolbar = h('div', 'toolbar');
    this.caption = h('span', 'muted small', { id: 'compare-caption' });
    this.csvButton = button('CSV', { id: 'compare-export-csv', title: 'the heads table (every metric) as CSV', disabled: '' });
    this.jsonButton = button('JSON', { id: 'compare-export-json', title: 'the comparison response as JSON', disabled: '' });
    toolbar.append(this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);
    toolbar.append(this.caption);
    this.empty = h('p', 'empty-state', { id: 'compare-empty' },
      'Choose what to compare and press Compare: the prompts appear side by side, then every head\'s attention metrics.');
    this.results = h('div', 'compare-results', { id: 'compare-results', hidden: '', 'aria-live': 'polite' });
    main.append(toolbar, this.empty, this.results);
    layout.append(side, main);
    this.root.replaceChildren(layout);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.compare(true);
    });
    this.form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.compare(true);
      }
    });
    this.form.addEventListener('input', () => this.formChanged());
    this.model.addEventListener('change', () => this.formChanged());
    this.addTemplate.addEventListener('click', () => { this.templateRow(''); this.formChanged(); this.lastInput(this.templateList); });
    this.addPrompt.addEventListener('click', () => { this.setRow('', ''); this.formChanged(); this.lastInput(this.setList, '.set-prompt'); });
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data &&
      download(`glassbox-compare-${this.data.kind}.json`, JSON.stringify(this.data, null, 1), 'application/json'));
  }

  lastInput(list, selector = 'input') {
    const inputs = list.querySelectorAll(selector);
    inputs[inputs.length - 1]?.focus();
  }

  templateRow(text) {
    const li = h('li', 'template-row');
    const index = this.templateList.children.length + 1;
    const input = h('input', 'template-input', { type: 'text', spellcheck: 'false', 'aria-label': `template ${index}` });
    input.value = text;
    const remove = button('×', { 'aria-label': `remove template ${index}`, title: 'remove this template' }, 'small-button remove-row');
    remove.addEventListener('click', () => {
      li.remove();
      this.renumber(this.templateList, 'template');
      this.formChanged();
    });
    li.append(input, remove);
    this.templateList.append(li);
  }

  setRow(label, prompt) {
    const li = h('li', 'set-row');
    const index = this.setList.children.length + 1;
    const labelInput = h('input', 'set-label', { type: 'text', spellcheck: 'false', placeholder: 'label',
      'aria-label': `label of prompt ${index}` });
    labelInput.value = label;
    const promptInput = h('input', 'set-prompt', { type: 'text', spellcheck: 'false', 'aria-label': `prompt ${index}` });
    promptInput.value = prompt;
    const remove = button('×', { 'aria-label': `remove prompt ${index}`, title: 'remove this prompt' }, 'small-button remove-row');
    remove.addEventListener('click', () => {
      li.remove();
      this.renumber(this.setList, 'prompt');
      this.formChanged();
    });
    li.append(labelInput, promptInput, remove);
    this.setList.append(li);
  }

  renumber(list, noun) {
    [...list.children].forEach((li, i) => {
      const inputs = li.querySelectorAll('input');
      if (noun === 'template') inputs[0].setAttribute('aria-label', `template ${i + 1}`);
      else {
        inputs[0].setAttribute('aria-label', `label of prompt ${i + 1}`);
        inputs[1].setAttribute('aria-label', `prompt ${i + 1}`);
      }
      li.querySelector('.remove-row').setAttribute('aria-label', `remove ${noun} ${i + 1}`);
    });
  }

  setMode(mode, fromUser = false) {
    this.mode = mode;
    for (const input of this.modeInputs) input.checked = input.value === mode;
    this.pairBox.hidden = mode !== 'pair';
    this.templatesBox.hidden = mode !== 'templates';
    this.setBox.hidden = mode !== 'set';
    this.modeHint.textContent = MODES.find((m) => m.name === mode).hint;
    if (fromUser) this.formChanged();
  }

  /// The inputs an error's parameter names (marked aria-invalid next to the message).
  fieldsFor(parameter, message) {
    let prompts = this.mode === 'pair' ? [this.a, this.b]
      : this.mode === 'templates' ? [...this.templateList.querySelectorAll('input')]
        : [...this.setList.querySelectorAll('.set-prompt')];
    // "template 2 must contain…", "prompt 1 is empty": only that one (blank rows are not sent, so count the sent ones)
    const one = /\b(?:template|prompt) (\d+) (?:is empty|must contain|has \d+ bytes)/.exec(message);
    if (one && (parameter === 'prompts' || parameter === 'templates')) {
      const sent = this.mode === 'templates' ? prompts.filter((input) => input.value.trim().length > 0)
        : this.mode === 'set' ? prompts.filter((input) => input.value.length > 0
          || input.closest('li').querySelector('.set-label').value.trim().length > 0) : prompts;
      if (sent[Number(one[1]) - 1]) prompts = [sent[Number(one[1]) - 1]];
    }
    switch (parameter) {
      case 'prompts': return prompts;
      case 'templates': return prompts;
      case 'slot': return [this.slot];
      case 'targets': return [this.targets];
      case 'labels': return [...this.setList.querySelectorAll('.set-label')];
      case 'model': return [this.model];
      default: return [];
    }
  }

  renderTargetsPreview() {
    const targets = parseTargets(this.targets.value);
    if (!targets.length) {
      this.targetsPreview.replaceChildren(h('span', 'muted small', null, 'no targets: only the predictions are compared'));
      return;
    }
    this.targetsPreview.replaceChildren(...targets.map((t, i) =>
      h('span', 'target-chip', { 'data-index': i, title: `target ${i + 1}: "${t}"` }, visibleSpaces(t))));
  }

  /// The form as the request body and the URL parameters.
  formState() {
    const state = { mode: this.mode, model: this.model.value, targets: this.targets.value };
    if (this.mode === 'pair') {
      state.a = this.a.value;
      state.b = this.b.value;
    } else if (this.mode === 'templates') {
      state.templates = [...this.templateList.querySelectorAll('input')].map((i) => i.value);
      state.slot = this.slot.value;
    } else {
      state.set = [...this.setList.children].map((li) => ({
        label: li.querySelector('.set-label').value, prompt: li.querySelector('.set-prompt').value }));
    }
    return state;
  }

  requestBody(state) {
    const body = { model: state.model, kind: state.mode };
    if (state.mode === 'pair') body.prompts = [state.a, state.b];
    else if (state.mode === 'templates') {
      body.templates = state.templates.filter((t) => t.trim().length > 0); // blank rows are left out
      body.slot = state.slot;
    } else {
      const rows = state.set.filter((r) => r.prompt.length > 0 || r.label.trim().length > 0);
      body.prompts = rows.map((r) => r.prompt);
      if (rows.some((r) => r.label.trim())) body.labels = rows.map((r, i) => r.label.trim() || `prompt ${i + 1}`);
    }
    const targets = parseTargets(state.targets);
    if (targets.length) body.targets = targets;
    if (!body.model) delete body.model;
    return body;
  }

  formChanged() {
    this.renderTargetsPreview();
    if (this.data) this.results.classList.toggle('stale', JSON.stringify(this.requestBody(this.formState())) !== this.dataBody);
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => this.writeURL(false), 300);
  }

  // -------------------------------------------------------------------------------------------------------------
  // URL

  writeURL(push) {
    const state = this.formState();
    const params = new URLSearchParams({ page: 'compare', mode: state.mode });
    if (state.model) params.set('model', state.model);
    if (state.mode === 'pair') {
      params.set('a', state.a);
      params.set('b', state.b);
    } else if (state.mode === 'templates') {
      for (const t of state.templates) params.append('t', t);
      params.set('slot', state.slot);
    } else {
      for (const row of state.set) {
        params.append('p', row.prompt);
        params.append('l', row.label);
      }
    }
    params.set('targets', state.targets);
    if (this.view.metric !== DEFAULTS.metric) params.set('metric', this.view.metric);
    if (this.view.order !== DEFAULTS.order) params.set('order', this.view.order);
    if (this.view.all) params.set('all', '1');
    if (this.view.head) params.set('head', `${this.view.head.layer},${this.view.head.head}`);
    if (this.ran) params.set('run', '1');
    const url = `/?${params}`;
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  readURL() {
    const params = new URLSearchParams(location.search);
    const mode = MODES.some((m) => m.name === params.get('mode')) ? params.get('mode') : DEFAULTS.mode;
    this.a.value = params.has('a') ? params.get('a') : DEFAULTS.a;
    this.b.value = params.has('b') ? params.get('b') : DEFAULTS.b;
    const templates = params.getAll('t');
    this.templateList.replaceChildren();
    for (const t of (mode === 'templates' && templates.length ? templates : DEFAULTS.templates)) this.templateRow(t);
    this.slot.value = params.has('slot') ? params.get('slot') : DEFAULTS.slot;
    const prompts = params.getAll('p'), labels = params.getAll('l');
    this.setList.replaceChildren();
    const rows = mode === 'set' && prompts.length ? prompts.map((p, i) => ({ prompt: p, label: labels[i] ?? '' })) : DEFAULTS.set;
    for (const row of rows) this.setRow(row.label, row.prompt);
    this.targets.value = params.has('targets') ? params.get('targets') : DEFAULTS.targets;
    this.setMode(mode);
    this.view.metric = METRICS.some((m) => m.key === params.get('metric')) ? params.get('metric') : DEFAULTS.metric;
    this.view.order = ORDERS.includes(params.get('order')) ? params.get('order') : DEFAULTS.order;
    this.view.all = params.get('all') === '1';
    const head = /^(\d+),(\d+)$/.exec(params.get('head') || '');
    this.view.head = head ? { layer: Number(head[1]), head: Number(head[2]) } : null;
    this.ran = params.get('run') === '1';
    return params.get('model');
  }

  async start() {
    const model = this.readURL();
    this.renderTargetsPreview();
    try {
      const list = await loadModels();
      fillModelSelect(this.model, list, model);
      this.models = list.models;
    } catch (error) {
      this.error.show(error);
      return;
    }
    if (this.ran) await this.compare(false);
    else {
      this.guard.cancel();
      this.data = null;
      this.results.hidden = true;
      this.empty.hidden = false;
      this.error.clear();
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Comparing

  async compare(fromUser) {
    const body = this.requestBody(this.formState());
    const key = JSON.stringify(body);
    this.ran = true;
    if (fromUser) {
      this.view.head = null; // the best head of the new comparison
      this.writeURL(true);
    }
    this.error.clear();
    const current = this.guard.next();
    let data = this.cache.get(key);
    if (!data) {
      this.submit.disabled = true;
      this.busy.start('comparing');
      this.host.setStatus('comparing…', 'running');
      const started = performance.now();
      try {
        data = await api.compare(body);
        if (!current()) return;
        this.cache.set(key, data);
        this.host.setStatus(`compared in ${((performance.now() - started) / 1000).toFixed(2)} s`, 'done');
      } catch (error) {
        if (!current()) return;
        this.error.show(error);
        this.host.setStatus('error', 'error');
        this.results.classList.add('stale');
        return;
      } finally {
        if (current()) {
          this.busy.stop();
          this.submit.disabled = false;
        }
      }
    } else {
      this.host.setStatus('', 'done');
    }
    this.data = data;
    this.dataBody = key;
    this.render();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Results

  /// Short column names of the prompts: A/B for a pair, the label when short, else P1, P2, …
  promptNames() {
    const d = this.data;
    if (d.kind === 'pair') return ['A', 'B'];
    return d.prompts.map((p, i) => (p.label && [...p.label].length <= 10 ? p.label : `P${i + 1}`));
  }

  get isPair() { return this.data.kind === 'pair'; }
  get spreadKey() { return this.isPair ? 'difference' : 'variance'; }
  get spreadName() { return this.isPair ? 'Δ B − A' : 'variance'; }

  render() {
    const d = this.data;
    this.names = this.promptNames();
    this.results.classList.remove('stale');
    this.results.dataset.kind = d.kind;
    this.results.dataset.prompts = String(d.prompts.length);
    const L = Math.max(0, ...d.heads.map((x) => x.layer + 1));
    const H = Math.max(0, ...d.heads.map((x) => x.head + 1));
    this.shape = { L, H };
    this.caption.textContent = `${d.model} · ${d.kind} of ${d.prompts.length} prompts · ` +
      `aligned by ${d.alignment === 'spans' ? 'the marked spans' : 'identical tokens'} (${d.groups.length} group${d.groups.length === 1 ? '' : 's'})` +
      ` · ${d.heads.length} heads (${L} layers × ${H})`;

    const notes = h('div', 'compare-notes', { id: 'compare-notes' });
    for (const t of d.targets) {
      if (t.first_token_only) {
        notes.append(h('p', 'note small', { 'data-target': t.text },
          `Target "${visibleSpaces(t.text)}" is more than one token: only its first token ${t.display} is scored.`));
      }
    }
    if (d.alignment === 'tokens' && !d.groups.length) {
      notes.append(h('p', 'note small', null, 'No tokens are shared by every prompt and no spans are marked: nothing is aligned. Mark spans with [[…]].'));
    }

    this.cards = h('div', 'prompt-cards', { id: 'compare-prompts' });
    this.cards.style.gridTemplateColumns = `repeat(${d.prompts.length}, minmax(15rem, 1fr))`;
    d.prompts.forEach((p, i) => this.cards.append(this.promptCard(p, i)));
    const across = this.acrossSection();

    const heads = h('section', 'compare-heads', { id: 'compare-heads' });
    const headsTop = h('div', 'toolbar');
    this.metricSelect = h('select', null, { id: 'compare-metric', 'aria-label': 'metric of the grid and of the sort' });
    for (const m of METRICS) this.metricSelect.append(new Option(m.label, m.key));
    this.metricSelect.value = this.view.metric;
    const metricLabel = h('label', null, null, 'Metric ');
    metricLabel.append(this.metricSelect);
    this.allCheck = h('input', null, { type: 'checkbox', id: 'compare-all' });
    this.allCheck.checked = this.view.all;
    const allLabel = h('label', 'check-inline', { for: 'compare-all' });
    allLabel.append(this.allCheck, ' per-prompt values of every metric');
    headsTop.append(h('h3', null, null, 'Heads'), metricLabel, allLabel,
      h('span', 'muted small', null, `click a ${this.spreadName} header to sort (|value| ↓, value ↓, value ↑) · a row or cell for its aligned attention`));
    this.tableWrap = h('div', 'compare-table-wrap');
    this.table = h('table', 'table compare-table', { id: 'compare-heads-table' });
    this.tableWrap.append(this.table);
    const below = h('div', 'compare-below');
    const gridPart = h('div', 'compare-grid-part');
    this.gridTitle = h('h4', null, { id: 'compare-grid-title' });
    this.grid = h('div', 'compare-grid', { id: 'compare-grid', role: 'grid' });
    this.legend = h('div', 'diverging-legend', { id: 'compare-grid-legend' });
    gridPart.append(this.gridTitle, h('p', 'muted small', null, 'Layers bottom to top, heads left to right.'), this.grid, this.legend);
    this.aligned = h('div', 'compare-aligned', { id: 'compare-aligned', 'aria-live': 'polite' });
    below.append(gridPart, this.aligned);
    heads.append(headsTop, this.tableWrap, below);

    this.results.replaceChildren(notes, this.cards, across, heads);
    this.results.hidden = false;
    this.empty.hidden = true;
    this.csvButton.disabled = false;
    this.jsonButton.disabled = false;

    this.metricSelect.addEventListener('change', () => {
      this.view.metric = this.metricSelect.value;
      this.view.order = 'abs';
      this.view.head = null;
      this.writeURL(false);
      this.renderHeads();
    });
    this.allCheck.addEventListener('change', () => {
      this.view.all = this.allCheck.checked;
      this.writeURL(false);
      this.renderTable();
    });
    this.table.addEventListener('click', (event) => {
      const tr = event.target.closest?.('tbody tr');
      if (tr) this.selectHead(Number(tr.dataset.layer), Number(tr.dataset.head));
    });
    this.table.addEventListener('keydown', (event) => this.tableKey(event));
    this.grid.addEventListener('click', (event) => {
      const cell = event.target.closest?.('.compare-cell');
      if (cell) this.selectHead(Number(cell.dataset.layer), Number(cell.dataset.head));
    });
    this.grid.addEventListener('keydown', (event) => this.gridKey(event));
    this.renderHeads();
  }

  promptCard(p, i) {
    const d = this.data;
    const card = h('article', 'prompt-card', { 'data-prompt': i, 'aria-label': `prompt ${this.names[i]}` });
    const head = h('header', 'row');
    const title = h('h3', null, { title: p.text });
    title.append(h('span', 'prompt-name', null, this.names[i]));
    if (this.names[i] !== p.label) title.append(' ', h('span', 'muted small', null, p.label));
    const open = button('open run', { title: 'run this prompt on the run page (graph, lens, analytics)', 'data-prompt': i },
      'small-button open-run');
    open.addEventListener('click', () => this.openRun(p.text, open));
    head.append(title, open);

    // tokens, aligned groups highlighted
    const groupOf = new Map();
    d.groups.forEach((g, gi) => { for (const position of g.positions[i] || []) groupOf.set(position, gi); });
    const tokens = h('div', 'prompt-tokens', { 'aria-label': `tokens of prompt ${this.names[i]}` });
    p.tokens.forEach((t, position) => {
      const group = groupOf.get(position);
      const span = h('span', 'token' + (group !== undefined ? ' aligned' : ''), {
        'data-index': position, 'data-group': group ?? null,
        title: `position ${position}` + (group !== undefined ? ` · aligned group ${group + 1} "${d.groups[group].label}"` : ''),
      }, t);
      if (group !== undefined) {
        span.style.background = groupColor(group);
        span.style.borderColor = 'rgba(0,0,0,0.35)';
      }
      tokens.append(span);
    });
    card.append(head, tokens);

    // predictions
    card.append(h('h4', null, null, 'Next token'));
    const top = h('ol', 'prompt-top');
    const maxP = Math.max(1e-12, ...p.top.map((t) => t.probability));
    for (const t of p.top) {
      const li = h('li', null, { 'data-token-id': t.id, 'data-value': t.probability });
      const bar = h('span', 'bar', { 'aria-hidden': 'true' });
      bar.style.width = `${(t.probability / maxP) * 100}%`;
      li.append(h('span', 'tok', null, t.display), h('span', 'track'), h('span', 'prob', null, percent(t.probability)));
      li.children[1].append(bar);
      top.append(li);
    }
    card.append(top);

    // targets
    if (d.targets.length) {
      card.append(h('h4', null, null, 'Targets'));
      const table = h('table', 'table target-table');
      const hr = h('tr');
      hr.append(h('th', null, { scope: 'col' }, 'target'), h('th', 'num', { scope: 'col' }, 'p'),
        h('th', 'num', { scope: 'col' }, 'log p'));
      const tbody = h('tbody');
      d.targets.forEach((t, j) => {
        const lp = p.target_log_probabilities[j];
        const prob = isNum(lp) ? Math.exp(lp) : null;
        const tr = h('tr', null, { 'data-target': j, 'data-text': t.text });
        tr.append(h('th', 'tok', { scope: 'row', title: `"${t.text}" → token ${t.id} ${t.display}${t.first_token_only ? ' (first token only)' : ''}` },
          visibleSpaces(t.text) + (t.first_token_only ? ' *' : '')),
        h('td', 'num', { 'data-key': 'probability', 'data-value': prob ?? '' }, percent(prob)),
        h('td', 'num', { 'data-key': 'log_probability', 'data-value': isNum(lp) ? lp : '' }, num(lp)));
        tbody.append(tr);
      });
      const thead = h('thead');
      thead.append(hr);
      table.append(thead, tbody);
      card.append(table);
      if (d.target_differences.length) {
        const diffs = h('dl', 'target-diffs');
        d.target_differences.forEach((td, k) => {
          const v = td.log_ratio[i];
          diffs.append(h('dt', null, null, `log p(${visibleSpaces(td.a)}) − log p(${visibleSpaces(td.b)})`),
            h('dd', 'num target-diff', { 'data-index': k, 'data-a': td.a, 'data-b': td.b, 'data-value': isNum(v) ? v : '',
              title: isNum(v) ? `p(${visibleSpaces(td.a)}) / p(${visibleSpaces(td.b)}) = ${num(Math.exp(v), 3)}` : '' }, num(v)));
        });
        card.append(diffs);
      }
    }
    if (isNum(p.span_rollout_share)) {
      card.append(h('p', 'muted small span-rollout', { 'data-value': p.span_rollout_share },
        `rollout share of the aligned span${d.groups.length === 1 ? '' : 's'} in the last token: ${percent(p.span_rollout_share)}`));
    }
    return card;
  }

  async openRun(text, control) {
    control.disabled = true;
    try {
      const run = await api.createRun(this.data.model, text);
      location.href = `/runs/${run.id}`;
    } catch (error) {
      control.disabled = false;
      this.error.show(error);
    }
  }

  acrossSection() {
    const d = this.data;
    const section = h('section', 'compare-across', { id: 'compare-across' });
    if (this.isPair) {
      if (!d.target_differences.length) return section;
      section.append(h('h3', null, null, 'Between the prompts'));
      const dl = h('dl', 'across-list');
      d.target_differences.forEach((td, k) => {
        const [x, y] = td.log_ratio;
        dl.append(h('dt', null, null, `log p(${visibleSpaces(td.a)}) − log p(${visibleSpaces(td.b)})`),
          h('dd', 'num', { 'data-index': k }, `A ${num(x)} → B ${num(y)} (change ${isNum(x) && isNum(y) ? num(y - x) : DASH})`));
      });
      section.append(dl);
      return section;
    }
    const v = d.variance || {};
    section.append(h('h3', null, null, 'Across the prompts'),
      h('p', 'muted small', null, 'Variance over the prompts (as the API computes it).'));
    const table = h('table', 'table variance-table', { id: 'compare-variance' });
    const tbody = h('tbody');
    d.targets.forEach((t, j) => {
      const value = v.target_probability?.[j];
      const tr = h('tr', null, { 'data-target': j });
      tr.append(h('th', null, { scope: 'row' }, `variance of p(${visibleSpaces(t.text)})`),
        h('td', 'num', { 'data-value': isNum(value) ? value : '' }, num(value)));
      tbody.append(tr);
    });
    const share = v.span_rollout_share;
    const tr = h('tr', null, { 'data-key': 'span_rollout_share' });
    tr.append(h('th', null, { scope: 'row' }, 'variance of the span rollout share'),
      h('td', 'num', { 'data-value': isNum(share) ? share : '' }, isNum(share) ? num(share) : `${DASH} (no spans)`));
    tbody.append(tr);
    table.append(tbody);
    section.append(table);
    return section;
  }

  spread(head, metric) {
    const v = head[this.spreadKey]?.[metric];
    return isNum(v) ? v : null;
  }

  sortedHeads() {
    const { metric, order } = this.view;
    const heads = this.data.heads.slice();
    const natural = (a, b) => a.layer - b.layer || a.head - b.head;
    if (order === 'layer') return heads.sort(natural);
    const key = order === 'abs' ? (x) => Math.abs(x) : (x) => x;
    const sign = order === 'asc' ? 1 : -1;
    return heads.sort((a, b) => {
      const x = this.spread(a, metric), y = this.spread(b, metric);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1; // missing values last
      } else if (key(x) !== key(y)) return sign * (key(x) - key(y));
      return natural(a, b);
    });
  }

  renderHeads() {
    if (!this.view.head || !this.data.heads.some((x) => x.layer === this.view.head.layer && x.head === this.view.head.head)) {
      const first = this.sortedHeads()[0];
      this.selected = first ? { layer: first.layer, head: first.head } : null;
    } else {
      this.selected = this.view.head;
    }
    this.renderTable();
    this.renderGrid();
    this.renderAligned();
  }

  sortButton(key, label, title) {
    const { metric, order } = this.view;
    const active = key === 'layer' ? order === 'layer' : (metric === key && order !== 'layer');
    const symbol = !active ? '↕' : key === 'layer' ? '▲' : order === 'abs' ? '|▼|' : order === 'desc' ? '▼' : '▲';
    const b = h('button', 'sort-button', { type: 'button', 'data-key': key, title });
    b.append(h('span', null, null, label), ' ', h('span', 'sort-indicator' + (active ? ' active' : ''), { 'aria-hidden': 'true' }, symbol));
    b.addEventListener('click', () => this.sortBy(key));
    return b;
  }

  ariaSort(key) {
    const { metric, order } = this.view;
    if (key === 'layer') return order === 'layer' ? 'ascending' : 'none';
    if (metric !== key || order === 'layer') return 'none';
    return order === 'asc' ? 'ascending' : 'descending';
  }

  sortBy(key) {
    if (key === 'layer') this.view.order = 'layer';
    else if (this.view.metric !== key || this.view.order === 'layer') {
      this.view.metric = key;
      this.view.order = 'abs';
    } else {
      this.view.order = ORDERS[(ORDERS.indexOf(this.view.order) + 1) % 3]; // abs → desc → asc → abs
    }
    this.metricSelect.value = this.view.metric;
    this.writeURL(false);
    this.renderHeads();
    this.table.querySelector(`thead button[data-key="${key}"]`)?.focus();
  }

  renderTable() {
    const d = this.data;
    const names = this.names;
    const n = d.prompts.length;
    const spreadLabel = this.isPair ? 'Δ' : 'var';
    const expanded = (m) => this.view.all || m.key === this.view.metric;
    const columns = d.metrics.map((key) => METRICS.find((m) => m.key === key) || { key, label: key, title: key });
    const thead = h('thead');
    const top = h('tr');
    const sub = h('tr');
    const layerTh = h('th', 'text sticky-col', { scope: 'col', rowspan: '2', 'data-key': 'layer', 'aria-sort': this.ariaSort('layer') });
    layerTh.append(this.sortButton('layer', 'layer', 'sort by layer and head'));
    top.append(layerTh, h('th', 'text sticky-col second', { scope: 'col', rowspan: '2', 'data-key': 'head' }, 'head'));
    for (const m of columns) {
      const title = `${m.title}; ${this.isPair ? 'Δ = B − A' : 'variance over the prompts'} — sort by it`;
      if (expanded(m)) {
        top.append(h('th', 'group' + (m.key === this.view.metric ? ' chosen' : ''), { scope: 'colgroup', colspan: String(n + 1), title: m.title }, m.label));
        names.forEach((name, i) => sub.append(h('th', 'num', { scope: 'col', title: `${m.label} in prompt ${d.prompts[i].label}` }, name)));
        const th = h('th', 'num spread', { scope: 'col', 'data-key': m.key, 'aria-sort': this.ariaSort(m.key) });
        th.append(this.sortButton(m.key, spreadLabel, title));
        sub.append(th);
      } else {
        const th = h('th', 'num spread', { scope: 'col', rowspan: '2', 'data-key': m.key, 'aria-sort': this.ariaSort(m.key) });
        th.append(this.sortButton(m.key, `${m.label} ${spreadLabel}`, title));
        top.append(th);
      }
    }
    thead.append(top, sub);
    const tbody = h('tbody');
    const rows = this.sortedHeads().map((head, index) => {
      const isSelected = this.selected && this.selected.layer === head.layer && this.selected.head === head.head;
      const tr = h('tr', isSelected ? 'selected' : null, { 'data-layer': head.layer, 'data-head': head.head,
        tabindex: index === 0 ? '0' : '-1', 'aria-selected': String(Boolean(isSelected)),
        title: `L${head.layer} H${head.head}: show its aligned attention` });
      tr.append(h('td', 'num sticky-col', { 'data-key': 'layer' }, String(head.layer)),
        h('td', 'num sticky-col second', { 'data-key': 'head' }, String(head.head)));
      for (const m of columns) {
        if (expanded(m)) {
          const values = head.values[m.key] || [];
          for (let i = 0; i < n; i++) {
            const v = values[i];
            tr.append(h('td', 'num', { 'data-key': `${m.key}:${i}`, 'data-value': isNum(v) ? v : '' }, num(v, 3)));
          }
        }
        const s = this.spread(head, m.key);
        const td = h('td', 'num spread', { 'data-key': `${m.key}:${this.isPair ? 'diff' : 'var'}`, 'data-value': s ?? '' }, num(s, 3));
        if (m.key === this.view.metric && s !== null) {
          td.classList.add(s > 0 ? 'pos' : s < 0 ? 'neg' : 'zero');
        }
        tr.append(td);
      }
      return tr;
    });
    tbody.append(...rows);
    this.table.replaceChildren(thead, tbody);
    this.table.dataset.rows = String(rows.length);
    this.table.dataset.metric = this.view.metric;
    this.table.dataset.order = this.view.order;
  }

  tableKey(event) {
    const tr = event.target.closest?.('tbody tr');
    if (!tr) return;
    const rows = [...this.table.querySelectorAll('tbody tr')];
    const index = rows.indexOf(tr);
    let next = null;
    if (event.key === 'ArrowDown') next = rows[Math.min(rows.length - 1, index + 1)];
    else if (event.key === 'ArrowUp') next = rows[Math.max(0, index - 1)];
    else if (event.key === 'Home') next = rows[0];
    else if (event.key === 'End') next = rows[rows.length - 1];
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.selectHead(Number(tr.dataset.layer), Number(tr.dataset.head));
      return;
    } else return;
    event.preventDefault();
    if (next && next !== tr) {
      tr.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  }

  renderGrid() {
    const d = this.data;
    const { L, H } = this.shape;
    const metric = METRICS.find((m) => m.key === this.view.metric) || { key: this.view.metric, label: this.view.metric };
    this.gridTitle.textContent = `${metric.label}: ${this.isPair ? 'Δ B − A' : 'variance over the prompts'}`;
    const byCell = new Map(d.heads.map((x) => [`${x.layer},${x.head}`, x]));
    const values = d.heads.map((x) => this.spread(x, metric.key)).filter((v) => v !== null);
    const max = Math.max(1e-12, ...values.map(Math.abs));
    this.grid.setAttribute('aria-label', `${metric.label} ${this.isPair ? 'difference' : 'variance'} by layer and head`);
    this.grid.style.gridTemplateColumns = `auto repeat(${H}, minmax(3.2rem, 4rem))`;
    const cells = [h('div', 'cluster-corner', { 'aria-hidden': 'true' })];
    for (let head = 0; head < H; head++) cells.push(h('div', 'cluster-axis', { role: 'columnheader' }, `H${head}`));
    for (let layer = L - 1; layer >= 0; layer--) {
      cells.push(h('div', 'cluster-axis layer', { role: 'rowheader' }, `L${layer}`));
      for (let head = 0; head < H; head++) {
        const x = byCell.get(`${layer},${head}`);
        const v = x ? this.spread(x, metric.key) : null;
        const t = v === null ? 0 : v / max;
        const isSelected = this.selected && this.selected.layer === layer && this.selected.head === head;
        const cell = h('div', 'compare-cell' + (isSelected ? ' selected' : ''), {
          role: 'gridcell', tabindex: isSelected ? '0' : '-1', 'data-layer': layer, 'data-head': head,
          'data-value': v ?? '', 'aria-selected': String(Boolean(isSelected)),
          title: `L${layer} H${head} · ${metric.label} ${this.isPair ? 'Δ' : 'variance'} ${num(v)}` +
            (x ? ' · ' + (x.values[metric.key] || []).map((value, i) => `${this.names[i]} ${num(value, 3)}`).join(', ') : ''),
        }, num(v, 2));
        cell.style.background = diverging(t);
        cell.style.color = divergingText(t);
        cells.push(cell);
      }
    }
    this.grid.replaceChildren(...cells);
    if (!this.grid.querySelector('.compare-cell[tabindex="0"]')) this.grid.querySelector('.compare-cell')?.setAttribute('tabindex', '0');
    const bar = h('span', 'legend-bar', { 'aria-hidden': 'true' });
    bar.style.background = this.isPair ? divergingGradient() : `linear-gradient(to right, ${diverging(0)}, ${diverging(0.5)}, ${diverging(1)})`;
    this.legend.replaceChildren(h('span', 'small', null, this.isPair ? `−${num(max, 2)}` : '0'), bar,
      h('span', 'small', null, `+${num(max, 2)}`),
      h('span', 'muted small legend-note', null, this.isPair ? 'blue: larger in B · red: larger in A' : 'darker blue: varies more across the prompts'));
  }

  gridKey(event) {
    const cell = event.target.closest?.('.compare-cell');
    if (!cell) return;
    const move = gridKey(event.key, Number(cell.dataset.layer), Number(cell.dataset.head), this.shape.L, this.shape.H);
    if (!move) return;
    event.preventDefault();
    if (move.select) return this.selectHead(Number(cell.dataset.layer), Number(cell.dataset.head), true);
    const next = this.grid.querySelector(`.compare-cell[data-layer="${move.layer}"][data-head="${move.column}"]`);
    if (next) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  }

  selectHead(layer, head, fromGrid = false) {
    this.view.head = { layer, head };
    this.selected = this.view.head;
    this.writeURL(false);
    for (const tr of this.table.querySelectorAll('tbody tr')) {
      const on = Number(tr.dataset.layer) === layer && Number(tr.dataset.head) === head;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
    for (const cell of this.grid.querySelectorAll('.compare-cell')) {
      const on = Number(cell.dataset.layer) === layer && Number(cell.dataset.head) === head;
      cell.classList.toggle('selected', on);
      cell.setAttribute('aria-selected', String(on));
      if (fromGrid) cell.tabIndex = on ? 0 : -1;
    }
    this.renderAligned();
  }

  renderAligned() {
    const d = this.data;
    const s = this.selected;
    const head = s && d.heads.find((x) => x.layer === s.layer && x.head === s.head);
    const title = h('h4', null, { id: 'compare-aligned-title' }, head ? `Aligned attention · L${head.layer} H${head.head}` : 'Aligned attention');
    const intro = h('p', 'muted small', null, 'The last token\'s attention to each aligned group (summed over the group\'s tokens), per prompt.');
    if (!head) {
      this.aligned.replaceChildren(title, h('p', 'muted', null, 'Choose a head in the table or the grid.'));
      return;
    }
    this.aligned.dataset.layer = String(head.layer);
    this.aligned.dataset.head = String(head.head);
    if (!d.groups.length) {
      this.aligned.replaceChildren(title, intro, h('p', 'empty-state', null,
        'No aligned groups: mark the same number of spans in every prompt with [[…]].'));
      return;
    }
    const table = h('table', 'table aligned-table', { id: 'compare-aligned-table' });
    const hr = h('tr');
    hr.append(h('th', null, { scope: 'col' }, 'group'));
    this.names.forEach((name, i) => hr.append(h('th', 'num', { scope: 'col', title: d.prompts[i].text }, name)));
    if (this.isPair) hr.append(h('th', 'num', { scope: 'col', title: 'B − A' }, 'Δ B − A'));
    const thead = h('thead');
    thead.append(hr);
    const tbody = h('tbody');
    d.groups.forEach((g, gi) => {
      const tr = h('tr', null, { 'data-group': gi });
      const th = h('th', null, { scope: 'row' });
      const swatch = h('span', 'swatch', { 'aria-hidden': 'true' });
      swatch.style.background = groupColor(gi);
      th.append(swatch, visibleSpaces(g.label));
      tr.append(th);
      const values = d.prompts.map((_, i) => head.aligned_attention?.[i]?.[gi]);
      values.forEach((v, i) => {
        const tokens = (g.positions[i] || []).map((position) => d.prompts[i].tokens[position]).join('');
        const td = h('td', 'num aligned-value', { 'data-prompt': i, 'data-value': isNum(v) ? v : '',
          title: `${this.names[i]}: tokens ${(g.positions[i] || []).join(', ')} "${tokens}"` });
        const bar = h('span', 'mini-bar', { 'aria-hidden': 'true' });
        bar.style.width = `${Math.max(0, Math.min(1, isNum(v) ? v : 0)) * 100}%`;
        td.append(bar, h('span', null, null, num(v, 3)), h('span', 'aligned-tokens', null, visibleSpaces(tokens)));
        tr.append(td);
      });
      if (this.isPair) {
        const [x, y] = values;
        tr.append(h('td', 'num', null, isNum(x) && isNum(y) ? num(y - x, 3) : DASH));
      }
      tbody.append(tr);
    });
    table.append(thead, tbody);
    this.aligned.replaceChildren(title, intro, table);
  }

  exportCSV() {
    const d = this.data;
    if (!d) return;
    const tag = this.isPair ? 'diff' : 'var';
    const header = ['layer', 'head'];
    for (const key of d.metrics) {
      d.prompts.forEach((_, i) => header.push(`${key}:${this.names[i]}`));
      header.push(`${key}:${tag}`);
    }
    d.groups.forEach((g, gi) => d.prompts.forEach((_, i) => header.push(`aligned:${gi + 1}:${g.label}:${this.names[i]}`)));
    const rows = [header];
    for (const head of this.sortedHeads()) {
      const row = [head.layer, head.head];
      for (const key of d.metrics) {
        d.prompts.forEach((_, i) => row.push(head.values[key]?.[i] ?? ''));
        row.push(this.spread(head, key) ?? '');
      }
      d.groups.forEach((_, gi) => d.prompts.forEach((__, i) => row.push(head.aligned_attention?.[i]?.[gi] ?? '')));
      rows.push(row);
    }
    download(`glassbox-compare-${d.kind}-heads.csv`, csv(rows), 'text/csv');
  }
}
