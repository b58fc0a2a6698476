import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerator } from '../../packages/core/src/api/load-generator.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { readCheckpoint, listCheckpoints } from '../../packages/core/src/run/checkpoint.js';
import { modelFiles } from '../../packages/core/src/run/export.js';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
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
    const model = await tf.loadLayersModel(modelFiles(tf, join(runDir, 'generator')));
    const final = readCheckpoint(listCheckpoints(runDir)[0]!.dir);
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
      const viaFiles = await tf.loadLayersModel(modelFiles(tf, dir));
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
    expect(g.info).toMatchObject({ spec: 'tiny-gan', model: 'generator', step: 10, scale: 'tanh', ema: false });
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
