/**
 * The sampling page: a generator exported by `ganforge train` in Node, served as static files, sampled in
 * the page with the same noise as `ganforge sample --seed S` (so the same images, up to float rounding).
 *   sample.html?model=/models/dcgan-mnist&seed=0&n=64&backend=wasm
 */
import { drawGrid, isGanforgeError, loadGeneratorFromUrl } from '@ganforge/core';
import { pageHost, plugins } from './setup.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const params = new URLSearchParams(location.search);
const fields = { model: $<HTMLInputElement>('model'), seed: $<HTMLInputElement>('seed'), count: $<HTMLInputElement>('count'), backend: $<HTMLSelectElement>('backend') };
fields.model.value = params.get('model') ?? '';
fields.seed.value = params.get('seed') ?? '0';
fields.count.value = params.get('n') ?? '64';
fields.backend.value = params.get('backend') ?? 'auto';

/** The last sample, for tests and curious users: pixels in the training scale. */
const out = { state: 'idle', backend: '', shape: [] as number[], data: [] as number[] };
(window as unknown as { ganforgeSample: typeof out }).ganforgeSample = out;

async function sample() {
  status.dataset.state = out.state = 'loading';
  status.textContent = 'loading…';
  try {
    const selection = await pageHost().backends!.select(fields.backend.value as never);
    const generator = await loadGeneratorFromUrl(fields.model.value, { plugins });
    const images = await generator.images(Number(fields.count.value), { seed: Number(fields.seed.value) });
    generator.dispose();
    drawGrid($<HTMLCanvasElement>('grid'), images, 3);
    Object.assign(out, { backend: selection.name, shape: images.shape, data: Array.from(images.data) });
    status.dataset.state = out.state = 'done';
    status.textContent = `${images.shape[0]} samples of "${generator.info.spec}" (step ${generator.info.step}${generator.info.ema ? ', EMA weights' : ''}) on ${selection.name}, seed ${fields.seed.value}`;
  } catch (error) {
    status.dataset.state = out.state = 'failed';
    status.textContent = isGanforgeError(error) ? `${error.code}: ${error.message}` : String(error);
    throw error;
  }
}

$<HTMLFormElement>('form').onsubmit = (event) => {
  event.preventDefault();
  void sample();
};
if (fields.model.value) void sample();
