/// <reference lib="dom.iterable" />
/// <reference lib="dom" />
/**
 * The browser demo (examples/browser), built with Vite and driven in Debian's headless Chromium:
 * - it trains dcgan-mnist for 50 steps in the page on wasm and shows a sample grid; on webgl when headless
 *   Chromium offers WebGL, else the page must say so with the same coded error as the CLI;
 * - pause and resume go through the run's checkpoint and end at the asked step;
 * - a bad spec in the editor gets the code, path and line:col that `ganforge validate` prints;
 * - a generator exported by training in Node samples the same images in the page (max abs diff < 1e-4).
 * The demo imports the packages' built dist (as an app would): `pnpm build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerator } from '../../packages/core/src/api/load-artifact.js';
import { runTraining } from '../../packages/core/src/engine/run-training.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { runCli } from '../helpers/cli.js';
import { ensureChromium, launchChromium } from './chromium.js';
import { serveFolders } from './static-server.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const demo = join(repo, 'examples', 'browser');
const tmp = mkdtempSync(join(tmpdir(), 'gf-browser-'));
let browser: Browser;
let server: { url: string; close(): Promise<void> };
let nodeSamples: { data: Float32Array; shape: number[] };

beforeAll(async () => {
  if (!existsSync(join(repo, 'packages', 'core', 'dist', 'browser.js'))) throw new Error('The demo imports the built packages: run `pnpm build` first.');
  ensureChromium();
  execFileSync('pnpm', ['--filter', 'ganforge-browser-demo', 'build'], { cwd: repo, stdio: 'pipe' });

  // A small generator trained and exported in Node, and its samples for seed 0.
  const spec = {
    name: 'tiny-node',
    plugins: ['dcgan', 'mnist'],
    data: { real: { use: 'mnist/digits', options: { maxPerDigit: 10 } } },
    models: {
      generator: { use: 'dcgan/generator', options: { width: 8, latentDim: 16 } },
      discriminator: { use: 'dcgan/discriminator', options: { width: 8 } },
    },
    objective: { use: 'dcgan/dcgan' },
    training: { batchSize: 16, steps: 10, seed: 1, backend: 'cpu', ema: { decay: 0.9 } },
    output: { dir: join(tmp, 'models', 'tiny'), sampleEvery: 1000, checkpointEvery: 1000 },
  };
  const { spec: resolved, registry, specDir } = await validateSpec(spec, { cwd: repo });
  await runTraining({ spec: resolved, registry, specDir, cwd: repo });
  const generator = await loadGenerator(join(tmp, 'models', 'tiny'), { backend: 'cpu' });
  const images = await generator.images(16, { seed: 0 });
  nodeSamples = { data: images.data, shape: images.shape };
  generator.dispose();

  server = await serveFolders({ '/': join(demo, 'dist'), '/models': join(tmp, 'models') });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function openDemo(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => (window as any).ganforgeDemo?.diagnostics !== undefined && document.querySelector('#errors li') !== null);
  return page;
}

/** Train the editor's spec in the page; the status element's state when it settles, and the run's figures. */
async function trainInPage(page: Page, backend: string, steps: number) {
  await page.selectOption('#backend', backend);
  await page.fill('#steps', String(steps));
  await page.click('#train');
  await page.waitForFunction(() => ['done', 'failed', 'paused'].includes(document.getElementById('status')!.dataset.state!), undefined, { timeout: 540_000 });
  return page.evaluate(() => {
    const d = (window as any).ganforgeDemo;
    return { state: d.state as string, status: document.getElementById('status')!.textContent!, step: d.result?.step as number | undefined, imgPerSec: d.result?.imgPerSec as number | undefined, backend: d.result?.backend?.name as string | undefined };
  });
}

/** Share of grid pixels that are not black: a drawn grid of digits has strokes, an untouched canvas none. */
const gridInk = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.getElementById('grid') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 40) lit++;
    return { width: canvas.width, height: canvas.height, ink: lit / (data.length / 4) };
  });

describe('the browser demo', () => {
  it('trains dcgan-mnist for 50 steps on wasm and shows a sample grid', { timeout: 300_000 }, async () => {
    const page = await openDemo();
    const result = await trainInPage(page, 'wasm', 50);
    expect(result.status).not.toMatch(/GF_/);
    expect(result).toMatchObject({ state: 'done', step: 50, backend: 'wasm' });
    expect(result.imgPerSec).toBeGreaterThan(0);
    const grid = await gridInk(page);
    // 64 samples of 28 px, 8 x 8 with 1 px gaps, drawn 3x.
    expect(grid.width).toBe((8 * 28 + 7) * 3);
    expect(grid.ink).toBeGreaterThan(0.02);
    await page.screenshot({ path: join(tmp, 'demo-wasm.png') });
    await page.close();
  });

  it('trains on webgl where headless Chromium offers WebGL, else says so with a coded error', { timeout: 600_000 }, async () => {
    const page = await openDemo();
    const webgl = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    const result = await trainInPage(page, 'webgl', 50);
    if (webgl) {
      expect(result).toMatchObject({ state: 'done', step: 50, backend: 'webgl' });
      expect((await gridInk(page)).ink).toBeGreaterThan(0.02);
    } else {
      expect(result.state).toBe('failed');
      expect(result.status).toMatch(/^GF_BACKEND_UNAVAILABLE: Backend "webgl" cannot be loaded/);
    }
    await page.close();
  });

  it('`auto` passes over a software WebGL (and a WebGPU without adapter) for wasm, saying why', { timeout: 300_000 }, async () => {
    const page = await openDemo();
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'none';
    });
    const gpu = await page.evaluate(async () => !!(await (navigator as any).gpu?.requestAdapter()));
    const result = await trainInPage(page, 'auto', 3);
    expect(result.state).toBe('done');
    const skipped = await page.evaluate(() => (window as any).ganforgeDemo.result.backend.skipped as { name: string; why: string }[]);
    if (!gpu && /swiftshader|llvmpipe/i.test(renderer)) {
      expect(result.backend).toBe('wasm');
      expect(skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
      expect(skipped[1]!.why).toMatch(/^software renderer \(.*SwiftShader.*\): slower than wasm/);
    }
    await page.close();
  });

  it('pauses at a checkpoint and resumes to the last step', { timeout: 300_000 }, async () => {
    const page = await openDemo();
    await page.selectOption('#backend', 'wasm');
    await page.fill('#steps', '30');
    await page.click('#train');
    await page.waitForFunction(() => /^step ([5-9]|1\d)\//.test(document.getElementById('status')!.textContent!), undefined, { timeout: 120_000 });
    await page.click('#pause');
    await page.waitForFunction(() => document.getElementById('status')!.dataset.state === 'paused', undefined, { timeout: 60_000 });
    const paused = await page.evaluate(() => document.getElementById('status')!.textContent!);
    const at = Number(/after step (\d+)/.exec(paused)?.[1]);
    expect(at).toBeGreaterThanOrEqual(5);
    expect(at).toBeLessThan(30);
    await page.click('#pause'); // now "Resume"
    await page.waitForFunction(() => document.getElementById('status')!.dataset.state === 'done', undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => (window as any).ganforgeDemo.result.step)).toBe(30);
    await page.close();
  });

  it("trains on images the user gives it (files into the page's storage, read by core/image-folder)", { timeout: 300_000 }, async () => {
    const page = await openDemo();
    // 40 small PNGs: bright bars at different places, like crude strokes.
    const files = Array.from({ length: 40 }, (_, i) => {
      const data = new Float32Array(20 * 20).map((_, p) => (Math.abs((p % 20) - (4 + (i % 12))) < 2 ? 1 : 0));
      return { name: `bar-${i}.png`, mimeType: 'image/png', buffer: Buffer.from(encodeImage({ data, shape: [1, 20, 20, 1], scale: 'unit' }, 0)) };
    });
    await page.setInputFiles('#files', files);
    await page.waitForFunction(() => /40 in \/data\/dropped/.test(document.getElementById('files-status')!.textContent!));
    await page.click('#use-files');
    await page.waitForFunction(() => (window as any).ganforgeDemo.diagnostics.length === 0 && /core\/image-folder/.test(document.querySelector('.cm-content')!.textContent!));
    const result = await trainInPage(page, 'wasm', 5);
    expect(result.status).not.toMatch(/GF_/);
    expect(result).toMatchObject({ state: 'done', step: 5 });
    await page.close();
  });

  it('keeps runs in IndexedDB across a reload (?persist=1)', { timeout: 300_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/index.html?persist=1`);
    await page.waitForFunction(() => document.querySelector('#errors li') !== null);
    const result = await trainInPage(page, 'wasm', 4);
    expect(result).toMatchObject({ state: 'done', step: 4 });
    const runDir = await page.evaluate(() => (window as any).ganforgeDemo.runDir as string);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#errors li') !== null);
    const files = await page.evaluate(() => (window as any).ganforgeDemo.files() as string[]);
    expect(files).toContain(`${runDir}/checkpoints/step-000000004/manifest.json`);
    expect(files).toContain(`${runDir}/generator/model.json`);
    await page.close();
  });

  it('marks a bad spec with the code, path and line:col of `ganforge validate`', async () => {
    const page = await openDemo();
    const good = readFileSync(join(repo, 'specs', 'dcgan-mnist.json'), 'utf8');
    const bad = good.replace('"batchSize": 32', '"batchSize": 0').replace('"sampleEvery"', '"sampleEvry"');
    const inPage = await page.evaluate(async (text) => {
      const d = (window as any).ganforgeDemo;
      await d.setSpec(text);
      return { diagnostics: d.diagnostics, lint: [...document.querySelectorAll('.cm-lintRange-error')].length, train: (document.getElementById('train') as HTMLButtonElement).disabled };
    }, bad);
    const file = join(tmp, 'bad.json');
    writeFileSync(file, bad);
    const cli = await runCli(['validate', file, '--json'], repo);
    expect(cli.exitCode).toBe(2);
    const expected = (JSON.parse(cli.stdout) as { diagnostics: { code: string; pointer?: string; line?: number; column?: number }[] }).diagnostics.map((d) => ({ code: d.code, path: d.pointer, line: d.line, column: d.column }));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(inPage.diagnostics.map((d: any) => ({ code: d.code, path: d.path, line: d.line, column: d.column }))).toEqual(expected);
    expect(inPage.lint).toBe(expected.length);
    expect(inPage.train).toBe(true);
    await page.close();
  });

  it('samples a generator exported in Node with the same images (max abs diff < 1e-4)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sample.html?model=/models/tiny&seed=0&n=16&backend=wasm`);
    await page.waitForFunction(() => ['done', 'failed'].includes((window as any).ganforgeSample?.state), undefined, { timeout: 60_000 });
    const sampled = await page.evaluate(() => (window as any).ganforgeSample as { state: string; backend: string; shape: number[]; data: number[] });
    expect(sampled.state).toBe('done');
    expect(sampled.backend).toBe('wasm');
    expect(sampled.shape).toEqual(nodeSamples.shape);
    let max = 0;
    for (let i = 0; i < sampled.data.length; i++) max = Math.max(max, Math.abs(sampled.data[i]! - nodeSamples.data[i]!));
    expect(max).toBeLessThan(1e-4);
    await page.close();
  });
});
