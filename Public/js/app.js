// The Glassbox front end's entry and router: the run page for / and /runs/{id} (pages/run/), the Compare page for
// /?page=compare, the Reports page for /?page=reports, the Generate page for /?page=generate and the graph diff of
// two runs for /?page=graph-diff (pages/compare/, pages/reports/, pages/generate/, pages/graph-diff/, loaded when
// asked for);
// the header link of the page shown is marked, and its Run link returns to the last run of this tab. A server that
// asks for a token this browser has not given sends the page to /login first (pages/session-header.js).
import { byId } from './core/dom.js';
import { setStatus } from './pages/page-status.js';
import { checkSession } from './pages/session-header.js';
import { LAST_RUN, mountRunPage } from './pages/run/run-page.js';

const PAGES = {
  compare: { title: 'Compare', load: () => import('./pages/compare/compare-shell.js').then((m) => m.ComparePage) },
  reports: { title: 'Reports', load: () => import('./pages/reports/reports-page.js').then((m) => m.ReportsPage) },
  generate: { title: 'Generate', load: () => import('./pages/generate/generate-page.js').then((m) => m.GeneratePage) },
  // no header link: opened from a run page's "Diff with…" above its graph
  'graph-diff': { title: 'Graph diff', load: () => import('./pages/graph-diff/graph-diff-page.js').then((m) => m.GraphDiffPage) },
};

function markNav(page) {
  for (const name of ['run', ...Object.keys(PAGES)]) {
    const link = byId(`nav-${name}`);
    if (!link) continue;
    if (name === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  try {
    const last = sessionStorage.getItem(LAST_RUN);
    if (page !== 'run' && last && last.startsWith('/runs/')) byId('nav-run').href = last;
  } catch (_) { /* no storage: the link stays / */ }
}

async function openPage(name) {
  const page = PAGES[name];
  byId('page-run').hidden = true;
  const root = byId(`page-${name}`);
  root.hidden = false;
  document.title = `Glassbox · ${page.title}`;
  try {
    const Page = await page.load();
    new Page(root, { setStatus }); // the page lives on in its listeners
  } catch (error) {
    root.textContent = `The ${page.title} page did not load: ${error.message}`;
    setStatus('error', 'error');
  }
}

async function start() {
  if (await checkSession()) return; // gone to the login page
  const pageName = new URLSearchParams(location.search).get('page');
  if (location.pathname === '/' && Object.hasOwn(PAGES, pageName)) {
    markNav(pageName);
    openPage(pageName);
  } else {
    markNav('run');
    mountRunPage();
  }
}

start();
