/**
 * The training page: an example spec in an editor that validates as you type (the CLI's coded messages,
 * located by line:col), training in the page with a live sample grid, a loss plot and a progress bar,
 * pause/resume through the run's own checkpoints (kept in memory), and the exported generator as a download.
 */
import { addImageFiles, drawGrid, indexedDbStorage, isGanforgeError, memoryStorage, openStoredArtifact, runTraining, validateSpec, type StepEvent, type TrainResult } from '@ganforge/core';
import { createEditor } from './editor.js';
import { LossPlot } from './loss-plot.js';
import { pageHost, loadDigits, plugins } from './setup.js';
import { tarFiles } from './tar.js';

const examples = import.meta.glob('../../../specs/{dcgan,lsgan,hinge,wgan-gp}-mnist.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const byName = Object.fromEntries(Object.entries(examples).map(([path, text]) => [path.split('/').at(-1)!.replace('.json', ''), text]));

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const example = $<HTMLSelectElement>('example');
const errors = $<HTMLUListElement>('errors');
const status = $<HTMLParagraphElement>('status');
const progress = $<HTMLProgressElement>('progress');
const trainButton = $<HTMLButtonElement>('train');
const pauseButton = $<HTMLButtonElement>('pause');
const downloadButton = $<HTMLButtonElement>('download');
const stepsInput = $<HTMLInputElement>('steps');
const backendSelect = $<HTMLSelectElement>('backend');
const grid = $<HTMLCanvasElement>('grid');
const plot = new LossPlot($<HTMLCanvasElement>('losses'));

// Runs, checkpoints and exports live in the page's memory (pause/resume is a resume from the last
// checkpoint); with ?persist=1 they are mirrored to IndexedDB and survive a reload.
const persist = new URLSearchParams(location.search).has('persist');
const storage = persist ? await indexedDbStorage('ganforge-demo') : memoryStorage('/');
const host = pageHost(storage);
const SPEC_FILE = '/specs/spec.json';

const editor = createEditor($('editor'), () => void check());

/** What the demo exposes to its browser tests and to curious users (window.ganforgeDemo). */
const demo = {
  state: 'idle' as 'idle' | 'training' | 'paused' | 'done' | 'failed',
  runDir: undefined as string | undefined,
  result: undefined as (TrainResult & { imgPerSec: number; seconds: number }) | undefined,
  diagnostics: [] as { code: string; message: string; path?: string; line?: number; column?: number }[],
  /** Every file the page's storage holds (runs, checkpoints, exports, dropped images). */
  files: () => [...storage.files.keys()],
  /** Replace the editor's text (as typing would) and wait for its validation. */
  setSpec: (text: string) => {
    editor.setText(text);
    return check();
  },
};
(window as unknown as { ganforgeDemo: typeof demo }).ganforgeDemo = demo;

function setState(state: typeof demo.state, text: string) {
  demo.state = state;
  status.dataset.state = state;
  status.textContent = text;
}

for (const name of Object.keys(byName).sort()) example.add(new Option(name, name, name === 'dcgan-mnist', name === 'dcgan-mnist'));
example.onchange = () => load(example.value);
function load(name: string) {
  editor.setText(byName[name]!);
  stepsInput.value = String(JSON.parse(byName[name]!).training?.steps ?? 100);
  void check();
}

/** Validate the editor's text as the CLI does; list each problem with its code, path and line:col. */
let checking = 0;
async function check(): Promise<boolean> {
  const ticket = ++checking;
  const text = editor.getText();
  let diagnostics: typeof demo.diagnostics = [];
  try {
    await validateSpec({ text, file: SPEC_FILE }, { host });
  } catch (error) {
    if (!isGanforgeError(error)) throw error;
    diagnostics = error.diagnostics.map((d) => ({ code: d.code, message: d.message, path: d.pointer, line: d.line, column: d.column, hint: d.hint }));
  }
  if (ticket !== checking) return diagnostics.length === 0;
  demo.diagnostics = diagnostics;
  editor.showDiagnostics(diagnostics);
  errors.replaceChildren(
    ...(diagnostics.length === 0
      ? [Object.assign(document.createElement('li'), { className: 'ok', textContent: '✔ valid' })]
      : diagnostics.map((d) => Object.assign(document.createElement('li'), { textContent: `${d.line !== undefined ? `${d.line}:${d.column} ` : ''}${d.code} ${d.path ?? ''}: ${d.message}` }))),
  );
  trainButton.disabled = diagnostics.length > 0 || demo.state === 'training';
  return diagnostics.length === 0;
}

let controller: AbortController | undefined;
let firstTimed: StepEvent | undefined;
let lastEvent: StepEvent | undefined;

async function train(resume: boolean) {
  if (!(await check())) return;
  trainButton.disabled = true;
  downloadButton.disabled = true;
  pauseButton.disabled = false;
  pauseButton.textContent = 'Pause';
  if (!resume) {
    plot.clear();
    firstTimed = undefined;
  }
  setState('training', 'loading the digits…');
  await loadDigits();
  const { spec, registry, specDir } = await validateSpec({ text: editor.getText(), file: SPEC_FILE }, { host });
  controller = new AbortController();
  const steps = Number(stepsInput.value) || undefined;
  try {
    const result = await runTraining({
      spec,
      registry,
      specDir,
      host,
      steps,
      backend: backendSelect.value as never,
      signal: controller.signal,
      resume: resume ? demo.runDir : undefined,
      onStart: (event) => {
        demo.runDir = event.runDir;
        setState('training', `training on ${event.backend.name} (${event.backend.reason})`);
      },
      onStep: async (event) => {
        lastEvent = event;
        // Speed after a few warm-up steps (kernels compiled, caches filled), over the rest of the run.
        if (event.step === Math.min(10, event.totalSteps - 1)) firstTimed = event;
        plot.add(event.step, event.losses);
        progress.value = event.step / event.totalSteps;
        const eta = ((event.totalSteps - event.step) * event.elapsedMs) / Math.max(1, event.step) / 1000;
        status.textContent = `step ${event.step}/${event.totalSteps} · ${event.imgPerSec.toFixed(0)} img/s · ${eta.toFixed(0)} s left · ${Object.entries(event.losses).filter(([k]) => !k.includes('/')).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' · ')}`;
      },
      onSample: (event) => drawGrid(grid, event.images, 3),
    });
    if (result.interrupted) {
      setState('paused', `paused after step ${result.step} (checkpoint kept in memory); resume to go on`);
      pauseButton.textContent = 'Resume';
      pauseButton.disabled = false;
      return;
    }
    const batch = spec.training.batchSize;
    const timed = firstTimed && lastEvent && lastEvent.step > firstTimed.step ? ((lastEvent.step - firstTimed.step) * batch * 1000) / (lastEvent.elapsedMs - firstTimed.elapsedMs) : (lastEvent?.imgPerSec ?? 0);
    demo.result = { ...result, imgPerSec: timed, seconds: (lastEvent?.elapsedMs ?? 0) / 1000 };
    // The final grid, from the exported generator (EMA weights when the spec averages them).
    const generator = await openStoredArtifact(storage, result.runDir, undefined, { plugins });
    drawGrid(grid, await generator.images(64, { seed: 0 }), 3);
    generator.dispose();
    downloadButton.disabled = !result.exportDir;
    pauseButton.disabled = true;
    setState('done', `trained ${result.step} steps on ${result.backend.name} · ${timed.toFixed(0)} img/s`);
  } catch (error) {
    pauseButton.disabled = true;
    setState('failed', isGanforgeError(error) ? `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}` : String(error));
    throw error;
  } finally {
    trainButton.disabled = false;
  }
}

trainButton.onclick = () => void train(false);
pauseButton.onclick = () => {
  if (demo.state === 'training') {
    pauseButton.disabled = true;
    controller?.abort();
  } else if (demo.state === 'paused') void train(true);
};
downloadButton.onclick = async () => {
  const dir = demo.result?.exportDir;
  if (!dir) return;
  const files = await Promise.all((await storage.list(dir)).map(async (name: string) => [name, await storage.read(`${dir}/${name}`)] as [string, Uint8Array]));
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([tarFiles(files, "generator") as Uint8Array<ArrayBuffer>], { type: "application/x-tar" })),
    download: 'generator.tar',
  });
  link.click();
};

// The user's own images: written into the page's storage as a folder that core/image-folder reads.
const DROPPED = '/data/dropped';
const filesStatus = $<HTMLSpanElement>('files-status');
const useFiles = $<HTMLButtonElement>('use-files');
async function addFiles(files: File[]) {
  const images = files.filter((f) => /\.(png|jpe?g)$/i.test(f.name));
  const written = await addImageFiles(storage, DROPPED, images);
  const total = (await storage.list(DROPPED)).length;
  filesStatus.textContent = `${written.length} added, ${total} in ${DROPPED}`;
  useFiles.disabled = total === 0;
}
const drop = $<HTMLDivElement>('drop');
drop.ondragover = (event) => {
  event.preventDefault();
  drop.classList.add('over');
};
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  void addFiles([...(event.dataTransfer?.files ?? [])]);
};
$<HTMLInputElement>('files').onchange = (event) => void addFiles([...((event.target as HTMLInputElement).files ?? [])]);
/** Point the spec's first data stream at the dropped images (28x28 grayscale, as the MNIST nets expect). */
useFiles.onclick = () => {
  const spec = JSON.parse(editor.getText());
  const stream = Object.keys(spec.data)[0] ?? 'real';
  spec.data[stream] = { use: 'core/image-folder', options: { path: DROPPED, size: 28, color: 'grayscale' }, validationSplit: spec.data[stream]?.validationSplit ?? 0 };
  editor.setText(JSON.stringify(spec, null, 2));
  void check();
};

load('dcgan-mnist');
