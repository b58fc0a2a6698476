import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerator } from '../../packages/core/src/api/load-artifact.js';
import { nodeStorage } from '../../packages/core/src/node/storage.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { readCheckpoint, listCheckpoints } from '../../packages/core/src/run/checkpoint.js';
import { modelFiles } from '../../packages/core/src/run/export.js';
import { readFileSync as readText } from 'node:fs';
import { loadArtifact } from '../../packages/core/src/api/load-artifact.js';
import { evaluateRun } from '../../packages/core/src/eval/evaluate-run.js';
import { tinyGanSpec, tinyPlugin } from '../fixtures/engine/tiny-plugin.js';
import { cycleSpec } from './cycle-spec.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
let runDir = '';
beforeAll(async () => {
  ({ result: { runDir } } = await trainFixture(tinyGanSpec({ output: { dir: 'exported' } }), tmp.dir));
});
afterAll(() => tmp.cleanup());

const noise = () => tf.randomNormal([3, 4], 0, 1, 'float32', 11);

describe('the exported generator', () => {
  it('loads with tf.loadLayersModel from model.json + weights.bin and holds the final weights', async () => {
    const storage = nodeStorage('/');
    const model = await tf.loadLayersModel(modelFiles(tf, storage, join(runDir, 'generator')));
    const final = await readCheckpoint(storage, (await listCheckpoints(storage, runDir))[0]!.dir);
    expect(final.step).toBe(10);
    const saved = final.models.generator!;
    const loaded = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(loaded).toEqual(saved.map((h) => Array.from(h.data)));
    expect(model.outputs[0]!.shape).toEqual([null, 4, 4, 1]);
    model.dispose();
  });

  it('loads over http the way a browser loads it (tf.loadLayersModel(url))', async () => {
    const dir = join(runDir, 'generator');
    const server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, new URL(req.url!, 'http://x').pathname)));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const viaHttp = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      const viaFiles = await tf.loadLayersModel(modelFiles(tf, nodeStorage('/'), dir));
      const z = noise();
      expect(Array.from((viaHttp.predict(z) as tf.Tensor).dataSync())).toEqual(Array.from((viaFiles.predict(z) as tf.Tensor).dataSync()));
      tf.dispose([z]);
      viaHttp.dispose();
      viaFiles.dispose();
    } finally {
      server.close();
    }
  });

  it('samples through loadGenerator(runDir): same seed, same images', async () => {
    const g = await loadGenerator(runDir, { backend: 'cpu' });
    expect(g.info).toMatchObject({
      format: 'ganforge-artifact',
      spec: 'tiny-gan',
      artifact: 'generator',
      input: 'noise',
      output: 'image',
      models: [{ name: 'generator', path: '.' }],
      step: 10,
      scale: 'tanh',
      ema: false,
    });
    const a = await g.images(5, { seed: 3 });
    const b = await g.images(5, { seed: 3 });
    const c = await g.images(5, { seed: 4 });
    expect(a.shape).toEqual([5, 4, 4, 1]);
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
    for (const v of a.data) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    g.dispose();
  });
});

describe('artifacts the objective declares', () => {
  let cycleRun = '';
  beforeAll(async () => {
    ({ result: { runDir: cycleRun } } = await trainFixture(cycleSpec({ output: { dir: 'cycle-artifacts' } }), tmp.dir));
  });

  it('are exported one folder each and listed in artifacts.json, with their input and output kinds', async () => {
    const index = JSON.parse(readText(join(cycleRun, 'artifacts.json'), 'utf8'));
    expect(index.artifacts).toEqual([
      { name: 'translate-ab', aliases: ['AB'], input: 'image', output: 'image', dir: 'translate-ab' },
      { name: 'translate-ba', aliases: ['BA'], input: 'image', output: 'image', dir: 'translate-ba' },
      { name: 'reconstruct-a', input: 'image', output: 'image', dir: 'reconstruct-a' },
    ]);
    const chain = JSON.parse(readText(join(cycleRun, 'reconstruct-a', 'ganforge.json'), 'utf8'));
    expect(chain.models).toEqual([{ name: 'g_ab', path: '0-g_ab' }, { name: 'g_ba', path: '1-g_ba' }]);
  });

  it('load by name; an image → image artifact applies its model, a chain applies its models in order', async () => {
    const ab = await loadArtifact(cycleRun, 'translate-ab', { backend: 'cpu' });
    const ba = await loadArtifact(cycleRun, 'translate-ba', { backend: 'cpu' });
    const aba = await loadArtifact(cycleRun, 'reconstruct-a', { backend: 'cpu' });
    expect([ab.input, ab.output, ab.models.length, aba.models.length]).toEqual(['image', 'image', 1, 2]);
    const x = tf.randomUniform([2, 4, 4, 1], -1, 1, 'float32', 5);
    const viaChain = aba.apply(x);
    const viaSteps = tf.tidy(() => ba.apply(ab.apply(x)));
    expect(Array.from(viaChain.dataSync())).toEqual(Array.from(viaSteps.dataSync()));
    expect(Array.from(viaChain.dataSync())).not.toEqual(Array.from(x.dataSync()));
    tf.dispose([x, viaChain, viaSteps]);
    // Images in, so there is nothing to sample: a coded usage error, not a crash.
    expect(() => ab.sample(2)).toThrow(expect.objectContaining({ code: 'GF_USAGE' }));
    for (const a of [ab, ba, aba]) a.dispose();
  });

  it('an unknown artifact name, or loadGenerator on a run without a noise → image artifact, is a coded error', async () => {
    await expect(loadArtifact(cycleRun, 'translate-ac', { backend: 'cpu' })).rejects.toMatchObject({ code: 'GF_USAGE', message: expect.stringMatching(/no artifact "translate-ac".*Did you mean "translate-ab"/) });
    await expect(loadGenerator(cycleRun, { backend: 'cpu' })).rejects.toMatchObject({ code: 'GF_USAGE' });
  });
});

describe('evaluating an image → image artifact', () => {
  it('translates held-out inputs of its stream, keeps their labels, and gives metrics the input of each output', async () => {
    const spec = cycleSpec({ output: { dir: 'cycle-eval' } });
    spec.data.a = { ...spec.data.a, options: { size: 24, classes: 3 }, validationSplit: 0.25 } as typeof spec.data.a;
    spec.data.b = { ...spec.data.b, validationSplit: 0.25 } as typeof spec.data.b;
    const { result } = await trainFixture(spec, tmp.dir);
    const evalPlugin = (await import('../../packages/plugin-eval/src/index.js')).default;
    const report = await evaluateRun(result.runDir, { artifact: 'reconstruct-a', metrics: ['eval/input-l1'], plugins: [tinyPlugin, evalPlugin], backend: 'cpu', out: false, cwd: tmp.dir });
    expect(report.model.artifact).toBe('reconstruct-a');
    expect(report.protocol).toMatchObject({ nFake: 6, inputs: { stream: 'a', split: 'validation', used: 6 }, fakeLabels: 'the labels of the inputs (held-out images of stream "a")' });
    expect('reference' in report.protocol && report.protocol.reference.stream).toBe('a');

    // The same number by hand: reconstruct a's held-out images, mean |output − input| on [0, 1] pixels.
    const artifact = await loadArtifact(result.runDir, 'reconstruct-a', { backend: 'cpu' });
    const { openStreams } = await import('../../packages/core/src/eval/evaluate-run.js');
    const { validateSpec } = await import('../../packages/core/src/spec/validate.js');
    const { PluginDriver } = await import('../../packages/core/src/plugin/driver.js');
    const { spec: resolved, registry, specDir } = await validateSpec(JSON.parse(readText(join(result.runDir, 'spec.json'), 'utf8')), { plugins: [tinyPlugin], cwd: tmp.dir });
    const streams = await openStreams(resolved, new PluginDriver(registry), specDir, nodeStorage(tmp.dir), { info() {}, warn() {}, debug() {} });
    const held = (await streams.a!.validation(6))!;
    const x = tf.tensor4d(held.x, held.shape);
    const y = artifact.apply(x);
    const byHand = tf.tidy(() => tf.mean(tf.abs(tf.sub(y, x))).dataSync()[0]! / 2);
    expect(report.metrics['input-l1']!.value).toBeCloseTo(byHand, 6);
    tf.dispose([x, y]);
    artifact.dispose();
    await Promise.all(Object.values(streams).map((s) => s.close()));
  });
});

describe('run folders written before artifacts (format ganforge-generator v1)', () => {
  const fixture = join(__dirname, '../fixtures/runs/v1-dcgan-conditional');

  it('still load as the noise + label → image artifact "generator" and draw the images 0.1.0 drew', async () => {
    const expected = JSON.parse(readText(join(fixture, 'expected-sample.json'), 'utf8')) as { shape: number[]; sum: number; first: number[] };
    const { dcganPlugin } = await import('../../packages/plugin-dcgan/src/index.js').then((m) => ({ dcganPlugin: m.default }));
    const g = await loadArtifact(fixture, undefined, { backend: 'cpu', plugins: [dcganPlugin] });
    expect([g.name, g.input, g.output, g.conditional]).toEqual(['generator', 'noise+label', 'image', true]);
    expect(g.info).toMatchObject({ spec: 'v1-fixture', step: 3, numClasses: 10, ema: true });
    const images = await g.images(4, { seed: 5, labels: [0, 1, 2, 3] });
    expect(images.shape).toEqual(expected.shape);
    const sum = images.data.reduce((a, v) => a + v, 0);
    expect(sum).toBeCloseTo(expected.sum, 5);
    Array.from(images.data.slice(0, 8)).forEach((v, i) => expect(v).toBeCloseTo(expected.first[i]!, 7));
    g.dispose();
  });
});

describe('heads', () => {
  it('become score artifacts at the end of a run, rebuilt by their plugin when loaded', async () => {
    const spec = { ...tinyGanSpec({ output: { dir: 'with-head' } }), heads: { realness: { use: 'tiny/discriminator-score', options: { sign: -1 } } } };
    const { result } = await trainFixture(spec, tmp.dir);
    expect(result.artifacts.map((a) => [a.name, a.input, a.output])).toEqual([
      ['generator', 'noise', 'image'],
      ['realness', 'image', 'score'],
    ]);
    const head = await loadArtifact(result.runDir, 'realness', { backend: 'cpu', plugins: [tinyPlugin] });
    expect(head.info).toMatchObject({ output: 'score', head: { use: 'tiny/discriminator-score', options: { sign: -1 } } });
    const x = tf.randomUniform([3, 4, 4, 1], -1, 1, 'float32', 9);
    const scores = head.score!(x as tf.Tensor4D);
    const d = head.models[head.info.models.findIndex((m) => m.name === 'discriminator')]!;
    const logits = tf.tidy(() => tf.neg(tf.reshape(d.predict(x) as tf.Tensor, [-1])));
    expect(scores.shape).toEqual([3]);
    expect(Array.from(scores.dataSync())).toEqual(Array.from(logits.dataSync()));
    tf.dispose([x, scores, logits]);
    head.dispose();
    // Without the plugin that defines the head, loading says which to pass.
    await expect(loadArtifact(result.runDir, 'realness', { backend: 'cpu' })).rejects.toMatchObject({ code: 'GF_PLUGIN_NOT_FOUND' });
  });
});
