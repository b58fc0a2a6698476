import { describe, expect, it } from 'vitest';
import { GanforgeError } from '../errors.js';
import type { DataSource, RawBatch } from '../plugin/types.js';
import { DataStream, scalePixels, seededPermutation } from './pipeline.js';

/** Image i is 1x1x1 with pixel value i (so a batch shows which examples it holds); label i % 3. */
function source(size: number, { async = false, reads = [] as number[][] } = {}): DataSource {
  return {
    info: { size, shape: [1, 1, 1], numClasses: 3 },
    range: [0, 255],
    read(indices) {
      reads.push([...indices]);
      const batch: RawBatch = { x: Uint8Array.from(indices), label: Int32Array.from(indices, (i) => i % 3) };
      return async ? new Promise((r) => setTimeout(() => r(batch), 2)) : batch;
    },
  };
}

const ids = (x: Float32Array) => Array.from(x, (v) => Math.round(((v + 1) / 2) * 255));

async function take(stream: DataStream, n: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    await stream.ready();
    out.push(ids(stream.take().x));
  }
  return out;
}

describe('seededPermutation', () => {
  it('is a permutation, the same for the same seed, different for another', () => {
    const a = seededPermutation(100, 1);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(seededPermutation(100, 1)).toEqual(a);
    expect(seededPermutation(100, 2)).not.toEqual(a);
  });
});

describe('scalePixels', () => {
  it('maps the source range to [-1, 1], [0, 1], or leaves values', () => {
    expect(Array.from(scalePixels(Uint8Array.from([0, 255]), [0, 255], 'tanh'))).toEqual([-1, 1]);
    expect(Array.from(scalePixels(Float32Array.from([0, 0.5, 1]), [0, 1], 'unit'))).toEqual([0, 0.5, 1]);
    expect(Array.from(scalePixels(Uint8Array.from([7]), [0, 255], 'none'))).toEqual([7]);
  });
});

describe('DataStream', () => {
  it('visits every training example once per epoch, reshuffled each epoch, across batch boundaries', async () => {
    const stream = new DataStream({ name: 'real', source: source(10), batchSize: 4, seed: 1 });
    const batches = await take(stream, 5); // 20 examples = 2 epochs
    const flat = batches.flat();
    expect([...flat.slice(0, 10)].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect([...flat.slice(10)].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(flat.slice(0, 10)).not.toEqual(flat.slice(10));
    expect(stream.position).toBe(5);
    expect(stream.epoch).toBe(2);
  });

  it('gives the same order for the same seed and stream name, another for another name', async () => {
    const make = (name: string, seed = 1) => new DataStream({ name, source: source(50), batchSize: 5, seed });
    expect(await take(make('a'), 3)).toEqual(await take(make('a'), 3));
    expect(await take(make('b'), 3)).not.toEqual(await take(make('a'), 3));
    expect(await take(make('a', 2), 3)).not.toEqual(await take(make('a'), 3));
  });

  it('continues exactly from a checkpointed position', async () => {
    const straight = await take(new DataStream({ name: 'x', source: source(13), batchSize: 4, seed: 3 }), 9);
    const resumed = new DataStream({ name: 'x', source: source(13), batchSize: 4, seed: 3 });
    resumed.seek(5);
    expect(await take(resumed, 4)).toEqual(straight.slice(5));
  });

  it('keeps order without shuffle', async () => {
    const stream = new DataStream({ name: 'x', source: source(6), batchSize: 4, seed: 3, shuffle: false });
    expect(await take(stream, 2)).toEqual([[0, 1, 2, 3], [4, 5, 0, 1]]);
  });

  it('holds out the tail of a seeded permutation for validation, never trained on', async () => {
    const stream = new DataStream({ name: 'x', source: source(20), batchSize: 4, seed: 3, validationSplit: 0.25 });
    expect(stream.info.size).toBe(15);
    expect(stream.validationIndices).toHaveLength(5);
    const trained = new Set((await take(stream, 8)).flat());
    for (const i of stream.validationIndices) expect(trained.has(i)).toBe(false);
    const validation = await stream.validation(10);
    expect(ids(validation!.x).sort((a, b) => a - b)).toEqual([...stream.validationIndices].sort((a, b) => a - b));
  });

  it('prefetches ahead of the step and passes labels through', async () => {
    const reads: number[][] = [];
    const stream = new DataStream({ name: 'x', source: source(40, { async: true, reads }), batchSize: 2, seed: 1, prefetch: 3 });
    await stream.ready();
    expect(reads).toHaveLength(3); // three batches requested before the first is taken
    const batch = stream.take();
    expect(reads).toHaveLength(4); // taking one starts reading the next
    expect(Array.from(batch.label!)).toEqual(ids(batch.x).map((i) => i % 3));
    expect(batch.shape).toEqual([2, 1, 1, 1]);
  });

  it('reports a source that returns the wrong number of pixels as GF_DATA', async () => {
    const bad: DataSource = { info: { size: 4, shape: [2, 2, 1] }, range: [0, 255], read: (i) => ({ x: new Uint8Array(i.length) }) };
    const stream = new DataStream({ name: 'real', source: bad, batchSize: 2, seed: 1 });
    const error = (await stream.ready().catch((e: unknown) => e)) as GanforgeError;
    expect(error).toBeInstanceOf(GanforgeError);
    expect(error.code).toBe('GF_DATA');
    expect(error.message).toMatch(/returned 2 pixel values for 2 images of 2x2x1 \(expected 8\)/);
  });

  it('wraps errors thrown by the source, naming plugin and hook', () => {
    const throwing: DataSource = { info: { size: 4, shape: [1, 1, 1] }, range: [0, 1], read: () => { throw new Error('disk on fire'); } };
    const stream = new DataStream({ name: 'real', source: throwing, batchSize: 2, seed: 1, site: { plugin: 'p', entry: 'p/d', hook: 'read' } });
    expect(() => stream.take()).toThrow(/\[plugin p\] p\/d \(hook "read"\) threw: disk on fire/);
  });

  it('gives training reads randomness fixed by (seed, batch), so a resumed run crops and flips the same; held-out reads get none', async () => {
    let seen: { indices: string; draws?: number[] }[] = [];
    const recording: DataSource = {
      info: { size: 12, shape: [1, 1, 1] },
      range: [0, 255],
      read: (indices, context) => {
        seen.push({ indices: indices.join(','), draws: context?.random ? [context.random(), context.random()] : undefined });
        return { x: Uint8Array.from(indices) };
      },
    };
    const make = () => new DataStream({ name: 'x', source: recording, batchSize: 2, seed: 3, validationSplit: 0.25 });
    const straight = make();
    for (let k = 0; k < 4; k++) {
      await straight.ready(1);
      straight.take();
    }
    const batches = seen.slice(0, 4);
    seen = [];
    expect(new Set(batches.map((b) => JSON.stringify(b.draws))).size).toBe(4); // every batch draws differently
    const resumed = make();
    resumed.seek(2);
    await resumed.ready(1);
    resumed.take();
    expect(seen[0]).toEqual(batches[2]); // batch 2 again: same examples, same draws
    seen = [];
    await make().validation(3);
    await make().fixed(2);
    expect(seen.map((s) => s.draws)).toEqual([undefined, undefined]);
  });
});
