// A module worker that makes attention thumbnails of long prompts off the page's main thread: it fetches a pattern
// (GET /attention?format=f32, n × n float32, about 10 MB at 1600 tokens) and max-pools it to res × res colours.
//   message in:  {id, url, n, res, table (Uint32Array of 256 colours)}
//   message out: {id, pixels (Uint32Array res·res), max} or {id, error, status?, code?}
// Its fetch sends the page's session cookie (same origin); a 401 (the session ended) comes back as an error with
// its status, and the page's next API call goes to the login page (core/api.js).
import { maxValue, poolPixels } from '../../components/heatmap/pooling.js';

class HTTPFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(response) {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const error = (await response.json())?.error;
    code = error?.code || code;
    message = error?.message || message;
  } catch (_) {
    // not JSON: keep the status line
  }
  return new HTTPFailure(response.status, code, message);
}

self.onmessage = async (event) => {
  const { id, url, n, res, table } = event.data;
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw await failure(response);
    const values = new Float32Array(await response.arrayBuffer());
    if (values.length < n * n) throw new Error(`expected ${n * n} values`);
    const max = maxValue(values, n);
    const pixels = poolPixels(new Uint32Array(res * res), values, n, res, max > 0 ? 255 / max : 0, table);
    self.postMessage({ id, pixels, max }, [pixels.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error?.message || error), status: error?.status, code: error?.code });
  }
};
