// A module worker that makes attention thumbnails of long prompts off the page's main thread: it fetches a pattern
// (GET /attention?format=f32, n × n float32, about 10 MB at 1600 tokens) and max-pools it to res × res colours.
//   message in:  {id, url, n, res, table (Uint32Array of 256 colours)}
//   message out: {id, pixels (Uint32Array res·res), max} or {id, error}
import { maxValue, poolPixels } from '../../components/heatmap/pooling.js';

async function errorText(response) {
  try {
    return (await response.json())?.error?.message || `${response.status} ${response.statusText}`;
  } catch (_) {
    return `${response.status} ${response.statusText}`;
  }
}

self.onmessage = async (event) => {
  const { id, url, n, res, table } = event.data;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(await errorText(response));
    const values = new Float32Array(await response.arrayBuffer());
    if (values.length < n * n) throw new Error(`expected ${n * n} values`);
    const max = maxValue(values, n);
    const pixels = poolPixels(new Uint32Array(res * res), values, n, res, max > 0 ? 255 / max : 0, table);
    self.postMessage({ id, pixels, max }, [pixels.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error?.message || error) });
  }
};
