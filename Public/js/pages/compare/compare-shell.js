// The Compare page (/?page=compare): the switch between its subjects (compare-subjects.js) and the page of each,
// loaded when first shown and kept (its form and results stay when the user switches back). The shell owns the
// history: Back and Forward show the subject the URL names and let its page read the rest of the URL.
//   prompts → compare-page.js (PromptComparison), models → models/models-page.js (ModelComparison),
//   checkpoints → checkpoints/checkpoints-page.js (CheckpointComparison)
import { el } from '../../core/dom.js';
import { segmentedControl } from '../../components/segmented.js';
import { showPageURL } from '../page-frame.js';
import { SUBJECTS, subjectOf, subjectURL } from './compare-subjects.js';

const PAGES = {
  prompts: () => import('./compare-page.js').then((m) => m.PromptComparison),
  models: () => import('./models/models-page.js').then((m) => m.ModelComparison),
  checkpoints: () => import('./checkpoints/checkpoints-page.js').then((m) => m.CheckpointComparison),
};

export class ComparePage {
  /// The page in root; host: {setStatus(text, kind)}.
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.pages = new Map(); // subject → {root, page}
    this.urls = new Map(); // subject → its last URL, to return to it
    this.shown = null;
    this.switch = segmentedControl({ id: 'compare-subject', legend: 'Compare', options: SUBJECTS,
      onChange: (name) => this.choose(name) });
    root.replaceChildren();
    window.addEventListener('popstate', () => this.start());
    this.start();
  }

  /// The subject's page, made on first use in a root of its own.
  async page(subject) {
    if (!this.pages.has(subject)) {
      const Page = await PAGES[subject]();
      const root = el('div', 'compare-subject', { 'data-subject': subject });
      this.root.append(root);
      this.pages.set(subject, { root, page: new Page(root, this.host) });
    }
    return this.pages.get(subject);
  }

  /// Shows the subject the URL names and lets its page read the URL.
  async start() {
    const subject = subjectOf(location.search);
    const entry = await this.page(subject);
    for (const [name, other] of this.pages) other.root.hidden = name !== subject;
    entry.root.querySelector('.sidebar').prepend(this.switch.element);
    this.switch.set(subject);
    this.shown = subject;
    await entry.page.start();
  }

  /// The user picked a subject: its last URL (or a fresh one) as a new history entry.
  choose(subject) {
    if (subject === this.shown) return;
    this.urls.set(this.shown, location.pathname + location.search);
    showPageURL(this.urls.get(subject) || subjectURL(subject), true);
    this.start();
  }
}
