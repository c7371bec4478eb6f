// The run page's state and its URL, /runs/{id}?view=…&threshold=…: the state is one plain object, the URL its
// permalink; each view adds its own part of both through its codec (views/<view>/url-state.js):
//   defaults(state)       puts the view's defaults into the state
//   read(params, state)   takes what the URL's URLSearchParams say
//   write(state, params)  adds the view's parameters
//   newRun(state, run)    (optional) drops what belonged to the previous prompt
//   shared                true when the parameters are written whatever the view (the graph's threshold and
//                         selection: the sidebar shows them in every view); else only while the view is shown
// `views` below is the ordered list of {name, url: codec}. Pure: no DOM.

const RUN_PATH = /^\/runs\/([0-9a-f]{64})\/?$/;

/// The run id of a /runs/{id} path, or null.
export function runIdOf(pathname) {
  const match = RUN_PATH.exec(pathname);
  return match ? match[1] : null;
}

export function runURL(runId, params) {
  return `/runs/${runId}?${params}`;
}

/// The state before any URL or run: the first view, every view's defaults.
export function createRunState(views) {
  const state = { runId: null, run: null, view: views[0].name };
  for (const view of views) view.url.defaults(state);
  return state;
}

/// The URL parameters of a state: the view, the shared parameters, then the shown view's own.
export function encodeRunState(state, views) {
  const params = new URLSearchParams({ view: state.view });
  for (const view of views) if (view.url.shared) view.url.write(state, params);
  const shown = views.find((view) => view.name === state.view);
  if (shown && !shown.url.shared) shown.url.write(state, params);
  return params;
}

/// Reads a URL's query (a string or URLSearchParams) into the state; answers the state.
export function decodeRunState(query, views, state) {
  const params = new URLSearchParams(query);
  if (views.some((view) => view.name === params.get('view'))) state.view = params.get('view');
  for (const view of views) view.url.read(params, state);
  return state;
}

/// A new prompt was run: every view drops what belonged to the previous one.
export function startNewRun(state, views, run) {
  state.runId = run.id;
  for (const view of views) view.url.newRun?.(state, run);
}
