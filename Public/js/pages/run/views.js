// The run page's views, in the order of their tabs (#tab-{name} → #view-{name} in index.html). Each module is one
// folder of views/ and has the same interface, which the run page (run-page.js) uses:
//   name                   its tab
//   url                    its codec of the page's state and URL (core/url-state.js)
//   mount(root, host)      builds the view in its section (once per run, when first shown) → the view
//   update(view, change?)  draws it for the host's state (fetching what it lacks); change 'start': only the start
//                          token changed
//   destroy(view)          removes what mount made (a new run, or the page going away)
// host: {state, runId, run, timings, writeURL(), showError(e), baseName(), setStart(s), showView(name),
//        openAttention(layer, head), openNode(name), openLens(layer, token), openAttribution(tokenId, position),
//        markTarget(tokenId | null, position)}.
import * as ablation from '../../views/ablation/index.js';
import * as anomalies from '../../views/anomalies/index.js';
import * as attention from '../../views/attention/index.js';
import * as attributions from '../../views/attributions/index.js';
import * as evaluate from '../../views/evaluate/index.js';
import * as flow from '../../views/flow/index.js';
import * as graph from '../../views/graph/index.js';
import * as lens from '../../views/lens/index.js';
import * as metrics from '../../views/metrics/index.js';
import * as rollout from '../../views/rollout/index.js';
import * as teaching from '../../views/teaching/index.js';

export const VIEWS = [graph, attention, lens, metrics, rollout, flow, anomalies, ablation, attributions, evaluate, teaching];
