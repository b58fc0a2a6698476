/// <reference lib="dom" />
/**
 * `pnpm bench browser`: dcgan-mnist trained in headless Chromium (the examples/browser demo, Debian's
 * chromium through playwright-core) on wasm and on webgl, next to the same spec trained in Node on wasm
 * (one thread, as a page without cross-origin isolation has, and the default threads), in one run on this
 * machine. Writes docs/results-browser.md and screenshots of the demo and of the sampling page.
 *
 *   pnpm bench browser [--steps 300] [--webgl-steps 50] [--out docs/results-browser.md]   (run `pnpm build` first)
 *
 * WebGL runs fewer steps: without a GPU, Chromium emulates one on the CPU (SwiftShader), ~50x slower.
 *
 * img/s counts the steps after the 10th (kernels compiled, caches warm), as the demo reports it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '../packages/core/src/node/index.js'; // registers the Node host the Node runs below use
import { runTraining, type StepEvent } from '../packages/core/src/engine/run-training.js';
import { validateSpec } from '../packages/core/src/spec/validate.js';
import { ensureChromium, launchChromium } from '../test/browser/chromium.js';
import { serveFolders } from '../test/browser/static-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const silent = { info() {}, warn() {}, debug() {} };

interface Row {
  where: string;
  backend: string;
  imgPerSec?: number;
  seconds?: number;
  note: string;
}

/** img/s over the steps after the 10th. */
function speed(events: StepEvent[], batch: number): number {
  const first = events.find((e) => e.step === 10)!;
  const last = events.at(-1)!;
  return ((last.step - first.step) * batch * 1000) / (last.elapsedMs - first.elapsedMs);
}

async function inNode(steps: number, threads: string | undefined): Promise<{ imgPerSec: number; seconds: number; runDir: string; threads: number }> {
  if (threads === undefined) delete process.env.GANFORGE_WASM_THREADS;
  else process.env.GANFORGE_WASM_THREADS = threads;
  const { spec, registry, specDir } = await validateSpec({ text: readFileSync(join(root, 'specs/dcgan-mnist.json'), 'utf8'), file: join(root, 'specs/dcgan-mnist.json') }, { cwd: root });
  const events: StepEvent[] = [];
  const outDir = mkdtempSync(join(tmpdir(), 'gf-bench-browser-'));
  const result = await runTraining({ spec, registry, specDir, cwd: root, steps, backend: 'wasm', outDir, log: silent, onStep: (e) => void events.push(e) });
  return { imgPerSec: speed(events, spec.training.batchSize), seconds: events.at(-1)!.elapsedMs / 1000, runDir: result.runDir, threads: result.backend.threads ?? 1 };
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs({ args: argv, options: { steps: { type: 'string', default: '300' }, 'webgl-steps': { type: 'string', default: '50' }, out: { type: 'string', default: 'docs/results-browser.md' } } }).values;
  const steps = Number(args.steps);
  ensureChromium();
  console.log('building examples/browser…');
  execFileSync('pnpm', ['--filter', 'ganforge-browser-demo', 'build'], { cwd: root, stdio: 'pipe' });
  const rows: Row[] = [];
  let maxLoad = loadavg()[0]!;

  // Node first: its exported generator is what the sampling page shows.
  console.log(`Node, wasm, 1 thread: ${steps} steps…`);
  const single = await inNode(steps, '1');
  rows.push({ where: 'Node 20', backend: `wasm (${single.threads} thread)`, imgPerSec: single.imgPerSec, seconds: single.seconds, note: 'as many threads as the page' });
  console.log(`Node, wasm, default threads: ${steps} steps…`);
  const threaded = await inNode(steps, undefined);
  rows.push({ where: 'Node 20', backend: `wasm (${threaded.threads} threads)`, imgPerSec: threaded.imgPerSec, seconds: threaded.seconds, note: '`ganforge train`’s default' });
  maxLoad = Math.max(maxLoad, loadavg()[0]!);

  const server = await serveFolders({ '/': join(root, 'examples/browser/dist'), '/models': single.runDir });
  const browser = await launchChromium();
  const version = browser.version();
  try {
    for (const backend of ['wasm', 'webgl']) {
      console.log(`Chromium ${version}, ${backend}…`);
      const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => document.querySelector('#errors li') !== null);
      await page.selectOption('#backend', backend);
      const pageSteps = backend === 'webgl' ? Number(args['webgl-steps']) : steps;
      await page.fill('#steps', String(pageSteps));
      await page.click('#train');
      await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('status')!.dataset.state!), undefined, { timeout: 3_600_000 });
      const r = await page.evaluate(() => ({ state: (window as any).ganforgeDemo.state as string, status: document.getElementById('status')!.textContent!, result: (window as any).ganforgeDemo.result }));
      maxLoad = Math.max(maxLoad, loadavg()[0]!);
      if (r.state === 'done') {
        rows.push({ where: `Chromium ${version} (headless)`, backend: backend === 'wasm' ? 'wasm (1 thread)' : 'webgl (SwiftShader: no GPU here)', imgPerSec: r.result.imgPerSec, seconds: r.result.seconds, note: `the demo page, ${pageSteps} steps` });
        await page.screenshot({ path: join(root, `docs/browser-demo-${backend}.png`) });
      } else {
        rows.push({ where: `Chromium ${version} (headless)`, backend, note: r.status });
      }
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
    await page.goto(`${server.url}/sample.html?model=/models&seed=0&n=64&backend=wasm`);
    await page.waitForFunction(() => ['done', 'failed'].includes((window as any).ganforgeSample?.state), undefined, { timeout: 120_000 });
    await page.screenshot({ path: join(root, 'docs/browser-sample.png') });
  } finally {
    await browser.close();
    await server.close();
  }

  const md = [
    '# Results: training in the browser',
    '',
    `Produced by \`pnpm bench browser --steps ${steps}\` (bench/browser.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, highest 1-minute load ${maxLoad.toFixed(1)}: \`specs/dcgan-mnist.json\` (batch 32, width-32 nets, EMA) for ${steps} steps, in Node and in the demo page (examples/browser) in Debian's headless Chromium, one after the other. img/s counts the steps after the 10th.`,
    '',
    '| where | backend | img/s | train time | note |',
    '| --- | --- | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.imgPerSec !== undefined ? r.imgPerSec.toFixed(0) : '–'} | ${r.seconds !== undefined ? `${r.seconds.toFixed(0)} s` : '–'} | ${r.note} |`),
    '',
    'A page gets one wasm thread unless it is served cross-origin isolated (COOP/COEP headers, which threaded wasm needs for SharedArrayBuffer); the demo server does not send them. This machine has no GPU: Chromium runs WebGL on SwiftShader, a CPU emulation of a GPU, so the webgl row says nothing about a real GPU.',
    '',
    '![the demo after training on wasm](browser-demo-wasm.png)',
    '',
    '![the demo after 50 steps on webgl (SwiftShader): still noise this early](browser-demo-webgl.png)',
    '',
    '![the sampling page with the generator trained in Node](browser-sample.png)',
    '',
  ].join('\n');
  writeFileSync(resolve(root, args.out!), md);
  console.log(md);
  rmSync(single.runDir, { recursive: true, force: true });
  rmSync(threaded.runDir, { recursive: true, force: true });
}
