// The Generate page (/?page=generate): a prompt and the sampling settings, then the continuation appearing token by
// token as POST /api/generate streams it (JSON lines; Stop closes the connection, which stops the server's work
// before the next token). Each token is a button: its panel shows the step's candidates with the model's
// probability and the probability it was drawn with after temperature, top-k and top-p, the chosen one marked, the
// seed and the draw, and opens that step in the run page's views (the stored run of prompt and continuation, at the
// position that predicted the token: Teaching, the graph, attributions).
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { diverging, greenScale } from '../../components/color-scales.js';
import { fmt, percent, quoted } from '../../core/format.js';
import { fillModelSelect, formSection, labelled } from '../../components/form-fields.js';
import { formPageFrame, showPageURL } from '../page-frame.js';
import { ATTRIBUTION_METHODS, attributionCSVRows, attributionLevels, decodeGenerateURL, deliveryMilliseconds, deliveryStats,
  encodeGenerateURL, generateBody, stepSummary } from './generate-state.js';

function numberInput(id, value, attrs) {
  return el('input', null, { id, type: 'number', value, ...attrs });
}

/// The page in root; host: {setStatus(text, kind)}.
export class GeneratePage {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.state = decodeGenerateURL(location.search);
    this.tokens = [];
    this.run = null;
    this.controller = null;
    this.build();
    api.modelsOnce().then((list) => fillModelSelect(this.inputs.model, list, this.state.model))
      .catch((error) => this.showError(error));
  }

  build() {
    const s = this.state;
    const form = el('form', 'page-form', { id: 'generate-form' });
    this.inputs = {
      model: el('select', null, { id: 'generate-model' }),
      prompt: el('textarea', null, { id: 'generate-prompt', rows: 5 }),
      maxNewTokens: numberInput('generate-max-new-tokens', s.maxNewTokens, { min: 1, max: 256 }),
      greedy: el('input', null, { id: 'generate-greedy', type: 'checkbox' }),
      temperature: numberInput('generate-temperature', s.temperature, { min: 0.05, max: 10, step: 0.05 }),
      topK: numberInput('generate-top-k', s.topK, { min: 0, step: 1 }),
      topP: numberInput('generate-top-p', s.topP, { min: 0.01, max: 1, step: 0.01 }),
      repetitionPenalty: numberInput('generate-penalty', s.repetitionPenalty, { min: 1, max: 3, step: 0.05 }),
      seed: numberInput('generate-seed', s.seed, { min: 0, step: 1 }),
    };
    this.inputs.prompt.value = s.prompt;
    this.inputs.greedy.checked = s.greedy;
    this.startButton = el('button', 'primary', { id: 'generate-start', type: 'submit' }, 'Generate');
    this.stopButton = button('Stop', { id: 'generate-stop', disabled: '' });
    const greedy = el('label', 'check');
    greedy.append(this.inputs.greedy, ' greedy (the most probable token; no draw)');
    form.append(
      formSection('Model', this.inputs.model), formSection('Prompt', this.inputs.prompt),
      labelled('New tokens', this.inputs.maxNewTokens), greedy,
      labelled('Temperature T', this.inputs.temperature, 'softmax(z / T): below 1 sharpens, above 1 flattens'),
      labelled('Top-k', this.inputs.topK, '0: off'), labelled('Top-p', this.inputs.topP, '1: off'),
      labelled('Repetition penalty', this.inputs.repetitionPenalty, '1: off'),
      labelled('Seed', this.inputs.seed, 'SplitMix64: the same settings give the same text on any machine'),
      el('div', 'form-buttons'));
    form.lastChild.append(this.startButton, this.stopButton);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.start();
    });
    this.stopButton.addEventListener('click', () => this.controller?.abort());
    const main = formPageFrame(this.root, form, 'Generate');
    this.error = el('div', 'error', { id: 'generate-error', role: 'alert', hidden: '' });
    this.output = el('p', 'generate-output', { id: 'generate-output', 'aria-live': 'polite' });
    this.summary = el('p', 'muted small', { id: 'generate-summary' },
      'Set a prompt and press Generate: the tokens appear as the model produces them. Click one to see how it was drawn.');
    this.tools = el('div', 'generate-tools', { hidden: '' });
    this.openRun = el('a', null, { id: 'generate-open-run' }, 'Open the run');
    this.jsonButton = button('JSON', { id: 'generate-export-json', title: 'every step of the generation as JSON' });
    this.jsonButton.addEventListener('click', () => downloadJSON('glassbox-generation.json',
      { settings: generateBody(this.readState()), tokens: this.tokens, run: this.run }));
    this.tools.append(this.openRun, this.jsonButton);
    this.panel = el('section', 'generate-step', { id: 'generate-step', hidden: '' });
    this.attribution = el('section', 'generate-attribution', { id: 'generate-attribution', hidden: '' });
    this.buildAttribution();
    main.append(this.error, this.summary, this.output, this.tools, this.panel, this.attribution);
  }

  /// The attribution section: the method, the exports, a status line and the matrix (drawn by drawAttribution).
  buildAttribution() {
    this.methodSelect = el('select', null, { id: 'generate-attribution-method' });
    for (const [name, label] of ATTRIBUTION_METHODS) {
      const option = el('option', null, { value: name }, label);
      if (name === this.state.attribution) option.selected = true;
      this.methodSelect.append(option);
    }
    this.methodSelect.addEventListener('change', () => {
      this.state = { ...this.state, attribution: this.methodSelect.value };
      showPageURL(`/?${encodeGenerateURL(this.state)}`, false);
      if (this.run) this.loadAttribution();
    });
    this.attributionAnswer = null;
    const csv = button('CSV', { id: 'generate-attribution-csv', title: 'the matrix as CSV' });
    csv.addEventListener('click', () => this.attributionAnswer
      && downloadCSV('glassbox-generation-attribution.csv', attributionCSVRows(this.attributionAnswer)));
    const json = button('JSON', { id: 'generate-attribution-json', title: 'the matrix as JSON' });
    json.addEventListener('click', () => this.attributionAnswer
      && downloadJSON('glassbox-generation-attribution.json', this.attributionAnswer));
    const bar = el('div', 'generate-tools');
    bar.append(labelled('Method', this.methodSelect), csv, json);
    this.attributionCaption = el('p', 'muted small', { id: 'generate-attribution-caption' });
    this.attributionStatus = el('p', 'muted small', { id: 'generate-attribution-status', 'aria-live': 'polite' });
    this.attributionMap = el('div', 'generate-attribution-holder');
    this.attribution.append(el('h2', null, null, 'Which earlier tokens each generated token came from'), bar,
      this.attributionCaption, this.attributionStatus, this.attributionMap);
  }

  /// Fetches the matrix of the chosen method for the run (the gradient methods run the model once per generated
  /// token, integrated gradients 18 times) and draws it unless the method or the run changed meanwhile.
  async loadAttribution() {
    const run = this.run, method = this.state.attribution;
    const label = ATTRIBUTION_METHODS.find(([name]) => name === method)[1];
    this.attributionStatus.textContent = `computing the ${label} of ${this.tokens.length} generated tokens…`;
    this.attribution.hidden = false;
    let answer;
    try {
      answer = await api.generationAttribution(run.id, method);
    } catch (error) {
      if (this.run === run && this.state.attribution === method) this.attributionStatus.textContent = error.message;
      return;
    }
    if (this.run !== run || this.state.attribution !== method) return;
    this.attributionStatus.textContent = '';
    this.drawAttribution(answer);
  }

  readState() {
    const i = this.inputs;
    return {
      model: i.model.value || null, prompt: i.prompt.value, maxNewTokens: Number(i.maxNewTokens.value),
      greedy: i.greedy.checked, temperature: Number(i.temperature.value), topK: Number(i.topK.value),
      topP: Number(i.topP.value), repetitionPenalty: Number(i.repetitionPenalty.value), seed: Number(i.seed.value),
      attribution: this.methodSelect.value,
    };
  }

  showError(error) {
    this.error.textContent = error.message;
    this.error.hidden = false;
    this.host.setStatus('error', 'error');
  }

  async start() {
    this.state = this.readState();
    showPageURL(`/?${encodeGenerateURL(this.state)}`, false);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.tokens = [];
    this.run = null;
    delete this.summary.dataset.deliveryMaxMs;
    this.error.hidden = true;
    this.panel.hidden = true;
    this.tools.hidden = true;
    this.attribution.hidden = true;
    this.attributionMap.replaceChildren();
    this.attributionAnswer = null;
    this.output.replaceChildren(el('span', 'generate-prompt-text', null, this.state.prompt));
    this.summary.textContent = 'waiting for the model…';
    this.startButton.disabled = true;
    this.stopButton.disabled = false;
    this.host.setStatus('generating', 'busy');
    const started = performance.now();
    try {
      await api.generate(generateBody(this.state), (line) => this.onLine(line, started), controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) this.showError(error);
    } finally {
      if (this.controller === controller) {
        this.startButton.disabled = false;
        this.stopButton.disabled = true;
        if (controller.signal.aborted) {
          this.summary.textContent = `stopped after ${this.tokens.length} tokens (the server stopped too)`;
          this.host.setStatus('stopped', 'done');
        }
      }
    }
  }

  onLine(line, started) {
    if (line.event === 'start') {
      this.summary.textContent = `${line.prompt_tokens.length} prompt tokens; generating…`;
    } else if (line.event === 'token') {
      line.delivery_ms = deliveryMilliseconds(line, performance.timeOrigin + performance.now());
      this.tokens.push(line);
      const index = this.tokens.length - 1;
      const token = button(line.text, { 'data-index': index, 'data-id': line.id, title: `id ${line.id}` }, 'generated-token');
      token.addEventListener('click', () => this.showStep(index));
      this.output.append(token);
      this.summary.textContent = `${this.tokens.length} tokens, ${((performance.now() - started) / 1000).toFixed(1)} s`;
    } else if (line.event === 'done') {
      this.finish(line).catch((error) => this.showError(error));
    } else if (line.event === 'error') {
      this.showError(new Error(line.error.message));
    }
  }

  async finish(line) {
    this.run = line.run ?? await api.createRunFromIds(line.run_request);
    const first = line.first_token_seconds === null ? '–' : fmt(line.first_token_seconds, 2);
    const delivery = deliveryStats(this.tokens);
    this.summary.textContent = `${line.generated} tokens in ${fmt(line.seconds, 2)} s (${fmt(line.tokens_per_second, 1)} `
      + `tokens/s; first token after ${first} s); stopped: ${line.stop_reason.replaceAll('_', ' ')}.`
      + (delivery ? ` Each token reached this page at most ${fmt(delivery.max, 1)} ms (median ${fmt(delivery.median, 1)} ms) `
        + 'after the server made it (its clock against this machine\'s: exact when they are one machine).' : '');
    if (delivery) this.summary.dataset.deliveryMaxMs = String(delivery.max);
    this.openRun.href = `/runs/${this.run.id}?view=graph`;
    this.tools.hidden = false;
    this.host.setStatus('done', 'done');
    if (this.tokens.length) await this.loadAttribution();
  }

  /// The generated-token × source matrix (inseq's view): a row per generated token, shaded by the score of each
  /// earlier token in its prediction (attributionLevels: green for shares and unsigned scores, red–blue for signed).
  drawAttribution(answer) {
    this.attributionAnswer = answer;
    const cell = 14, left = 110, top = 70;
    const sources = answer.tokens.length - 1, rows = answer.generated.length;
    const canvas = el('canvas', 'generate-attribution-map', {
      id: 'generate-attribution-map', width: left + sources * cell, height: top + rows * cell, role: 'img',
      'data-method': answer.method,
      'aria-label': `the ${answer.method} score of each of ${sources} earlier tokens in the prediction of each of ${rows} generated tokens`,
    });
    const context = canvas.getContext('2d');
    if (context) {
      context.font = '11px "DejaVu Sans Mono", monospace';
      context.fillStyle = '#1f2a1f';
      answer.generated.forEach((g, r) => context.fillText(g.display.slice(0, 12), 2, top + r * cell + 11));
      for (let k = 0; k < sources; k++) {
        context.save();
        context.translate(left + k * cell + 10, top - 4);
        context.rotate(-Math.PI / 3);
        context.fillText(answer.tokens[k].slice(0, 10), 0, 0);
        context.restore();
      }
      const colour = answer.signed ? diverging : greenScale;
      attributionLevels(answer).forEach((row, r) => row.forEach((level, k) => {
        context.fillStyle = colour(level);
        context.fillRect(left + k * cell, top + r * cell, cell - 1, cell - 1);
      }));
    }
    this.attributionCaption.textContent = answer.method === 'contribution-share'
      ? 'A row per generated token: the share of every earlier token in its prediction, from the contribution graph '
        + '(contribution-share: the graph\'s token-level rollout to the position that predicted it). Darker is a larger '
        + 'share; each row sums to 1.'
      : `A row per generated token: the ${answer.method} score of every earlier token, with that token as the target at the `
        + 'position that predicted it (docs/analyses.md §6). Each row is scaled by its largest '
        + (answer.signed ? '|score|: blue raises the token\'s logit, red lowers it.' : 'score: darker is larger.')
        + ' Tokens at or after the one explained cannot act on it (0).';
    this.attributionMap.replaceChildren(canvas);
    this.attribution.hidden = false;
  }

  showStep(index) {
    const token = this.tokens[index];
    for (const b of this.output.querySelectorAll('.generated-token')) {
      b.classList.toggle('selected', Number(b.dataset.index) === index);
    }
    const summary = stepSummary(token);
    const table = el('table', 'generate-candidates', { id: 'generate-candidates' });
    const head = el('tr');
    for (const text of ['token', 'logit', 'model p', 'after the filters']) head.append(el('th', null, null, text));
    table.append(head);
    for (const c of token.candidates) {
      const row = el('tr', c.chosen ? 'chosen' : c.sampled_probability > 0 ? 'kept' : 'removed', { 'data-token': c.id });
      row.append(el('td', 'tok', null, c.display + (c.chosen ? '  ← chosen' : '')), el('td', 'num', null, fmt(c.logit, 3)));
      for (const p of [c.probability, c.sampled_probability]) {
        const cell = el('td', 'walk-p');
        const fill = el('span', 'walk-p-fill');
        fill.style.width = `${100 * p}%`;
        cell.append(fill, el('span', 'walk-p-text', null, percent(p)));
        row.append(cell);
      }
      table.append(row);
    }
    const position = token.position - 1; // the position whose prediction this token is
    const links = el('p', 'small');
    if (this.run) {
      for (const [text, query] of [['Teaching', `view=teaching&walk=${position}`], ['Contribution graph', `view=graph&start=${position}`],
        ['Attributions', `view=attributions&target_position=${position}&target=${token.id}`]]) {
        links.append(el('a', null, { href: `/runs/${this.run.id}?${query}` }, text), ' ');
      }
    }
    this.panel.replaceChildren(
      el('h2', null, null, `Token ${index + 1}: ${quoted(token.display)} (id ${token.id}, position ${token.position})`),
      el('p', 'small', null, `${summary.text}; seed ${this.state.seed}. ${summary.kept} of the ${token.candidates.length} `
        + 'candidates shown survive the filters.'),
      table, links);
    this.panel.hidden = false;
  }
}
