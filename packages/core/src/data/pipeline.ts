/**
 * One data stream of a run: a seeded split into training and validation examples, a seeded shuffle per
 * epoch, fixed-size batches, pixel scaling and a prefetch queue that reads upcoming batches while the
 * current step runs.
 *
 * The order is a pure function of (seed, stream, epoch), and batch k always holds the same examples, so
 * the only state to checkpoint is how many batches were consumed. Batches run across epoch boundaries
 * (batch k holds examples k·B … k·B+B−1 of the endless shuffled sequence), so no example is dropped.
 */
import { GanforgeError } from '../errors.js';
import { hookError, type HookSite } from '../plugin/driver.js';
import { mixSeed, RANDOM_STREAM, unitFloat } from '../engine/random.js';
import { xorshift32 } from '../engine/xorshift.js';
import type { DataInfo, DataSource, RawBatch, ReadContext } from '../plugin/types.js';

export type PixelScale = 'tanh' | 'unit' | 'none';

/** A batch ready to become tensors: pixels already scaled. */
export interface PreparedBatch {
  x: Float32Array;
  shape: [number, number, number, number];
  label?: Int32Array;
  /** Each image's paired image (DataInfo.pair), scaled like x, and its shape. */
  pair?: Float32Array;
  pairShape?: [number, number, number, number];
}

/** One held-out example at its full size (DataSource.readWhole), scaled, as a batch of one. */
export interface WholeBatch {
  x: Float32Array;
  shape: [1, number, number, number];
  label?: Int32Array;
  pair?: Float32Array;
  pairShape?: [1, number, number, number];
}

export interface DataStreamOptions {
  /** Stream name in the spec ("real", "a", "b"); also salts the shuffle seed. */
  name: string;
  source: DataSource;
  batchSize: number;
  seed: number;
  shuffle?: boolean;
  scale?: PixelScale;
  validationSplit?: number;
  /** Batches prepared ahead of the step (at least 1 is always kept ready). */
  prefetch?: number;
  /** Where the source comes from, for error messages. */
  site?: HookSite;
}

interface Slot {
  batch: number;
  promise: Promise<PreparedBatch>;
  value?: PreparedBatch;
  error?: unknown;
}

/** A stable 32-bit number for a stream name. */
function nameSalt(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Fisher–Yates with a seeded xorshift generator: the same seed gives the same permutation everywhere. */
export function seededPermutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Seed 0 has always started from 0x2545f491 here (not the generator's default 1): kept, so data orders stay.
  const next = xorshift32(seed, 0x2545f491);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Maps raw pixels in `range` to the stream's scale. */
export function scalePixels(x: Uint8Array | Float32Array, range: [number, number], scale: PixelScale): Float32Array {
  const out = new Float32Array(x.length);
  const [lo, hi] = range;
  const span = hi - lo || 1;
  if (scale === 'none') {
    out.set(x);
  } else if (scale === 'unit') {
    for (let i = 0; i < x.length; i++) out[i] = (x[i]! - lo) / span;
  } else {
    for (let i = 0; i < x.length; i++) out[i] = ((x[i]! - lo) / span) * 2 - 1;
  }
  return out;
}

export class DataStream {
  readonly name: string;
  readonly batchSize: number;
  readonly scale: PixelScale;
  /** Shape of the training part (size excludes the validation examples). */
  readonly info: DataInfo;
  readonly source: DataSource;
  /** Source indices used for training, and those held out (the tail of a seeded permutation). */
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array;
  readonly #seed: number;
  readonly #shuffle: boolean;
  readonly #prefetch: number;
  readonly #site: HookSite;
  #consumed = 0;
  #queue: Slot[] = [];
  readonly #orders = new Map<number, Int32Array>();

  constructor(options: DataStreamOptions) {
    const { source, name } = options;
    this.name = name;
    this.source = source;
    this.batchSize = options.batchSize;
    this.scale = options.scale ?? 'tanh';
    this.#shuffle = options.shuffle ?? true;
    this.#prefetch = Math.max(1, options.prefetch ?? 2);
    this.#seed = mixSeed(options.seed, RANDOM_STREAM.data, nameSalt(name));
    this.#site = options.site ?? { plugin: 'dataset', entry: name, hook: 'read' };

    const total = source.info.size;
    const split = options.validationSplit ?? 0;
    const held = Math.floor(total * split);
    if (total - held < 1) {
      throw new GanforgeError('GF_DATA', `Data stream "${name}" has ${total} examples, too few to train on after a validation split of ${split}.`, {
        pointer: `/data/${name}`,
        hint: 'Point the dataset at more images, or lower validationSplit.',
      });
    }
    if (held === 0) {
      this.trainIndices = Int32Array.from({ length: total }, (_, i) => i);
      this.validationIndices = new Int32Array(0);
    } else {
      const permutation = seededPermutation(total, mixSeed(this.#seed, 0x5917));
      this.trainIndices = permutation.slice(0, total - held);
      this.validationIndices = permutation.slice(total - held);
    }
    this.info = { ...source.info, size: this.trainIndices.length };
  }

  /** Batches handed to the trainer so far: the checkpointed position. */
  get position(): number {
    return this.#consumed;
  }

  /** Passes over the training examples so far (fractional). */
  get epoch(): number {
    return (this.#consumed * this.batchSize) / this.info.size;
  }

  /** Continue from a checkpointed position (drops anything prefetched). */
  seek(position: number): void {
    this.#consumed = position;
    this.#queue = [];
  }

  /** Source indices of batch `k` of the endless shuffled sequence. */
  indicesOf(k: number): number[] {
    const n = this.info.size;
    const indices: number[] = [];
    for (let j = k * this.batchSize; j < (k + 1) * this.batchSize; j++) {
      const epoch = Math.floor(j / n);
      indices.push(this.trainIndices[this.#order(epoch)[j - epoch * n]!]!);
    }
    return indices;
  }

  #order(epoch: number): Int32Array {
    let order = this.#orders.get(epoch);
    if (!order) {
      const n = this.info.size;
      order = this.#shuffle ? seededPermutation(n, mixSeed(this.#seed, epoch)) : Int32Array.from({ length: n }, (_, i) => i);
      // Keep a few epochs (a batch can span two; prefetch looks ahead).
      if (this.#orders.size >= 4) this.#orders.delete(Math.min(...this.#orders.keys()));
      this.#orders.set(epoch, order);
    }
    return order;
  }

  /** Start reading batches until `count` (at least the prefetch depth) are queued. */
  fill(count = this.#prefetch): void {
    const want = Math.max(count, this.#prefetch);
    while (this.#queue.length < want) {
      const batch = this.#consumed + this.#queue.length;
      const slot: Slot = { batch, promise: Promise.resolve(undefined as never) };
      slot.promise = this.#read(batch).then(
        (value) => (slot.value = value),
        (error: unknown) => {
          slot.error = error;
          throw error;
        },
      );
      slot.promise.catch(() => {}); // surfaced by ready()/take()
      this.#queue.push(slot);
    }
  }

  /** Wait until the next `count` batches are in memory, so `take()` can run synchronously inside a step. */
  async ready(count = 1): Promise<void> {
    this.fill(count);
    await Promise.all(this.#queue.slice(0, count).map((slot) => slot.promise));
  }

  /** The next batch. Synchronous: the trainer calls ready() before each phase. */
  take(): PreparedBatch {
    const slot = this.#queue[0];
    let value: PreparedBatch;
    if (slot?.value) {
      value = slot.value;
    } else if (slot?.error !== undefined) {
      throw slot.error;
    } else {
      // The phase asked for more batches than were prefetched: read synchronously if the source can.
      const raw = this.#readRaw(this.indicesOf(this.#consumed));
      if (raw instanceof Promise) {
        raw.catch(() => {});
        throw new GanforgeError('GF_DATA', `Data stream "${this.name}" was asked for more batches in one phase than are prefetched.`, {
          pointer: '/training/prefetch',
          hint: 'Raise training.prefetch to at least the number of batches a phase draws from one stream.',
        });
      }
      value = this.#prepare(raw, this.batchSize);
    }
    this.#queue.shift();
    this.#consumed++;
    this.fill(); // read ahead while the step runs
    return value;
  }

  /** The batch `ahead` places after the next one, without consuming it (for a dry-run step). */
  peek(ahead = 0): PreparedBatch {
    this.fill(ahead + 1);
    const slot = this.#queue[ahead]!;
    if (slot.value) return slot.value;
    if (slot.error !== undefined) throw slot.error;
    const raw = this.#readRaw(this.indicesOf(slot.batch));
    if (raw instanceof Promise) {
      raw.catch(() => {});
      throw new GanforgeError('GF_DATA', `Data stream "${this.name}" has no batch ready to peek at.`, { hint: 'Await ready() first.' });
    }
    return this.#prepare(raw, this.batchSize);
  }

  /**
   * The same `count` examples every time, scaled: the held-out split's first ones when there is a split,
   * else the first training examples (unshuffled), repeated if the stream has fewer.
   */
  async fixed(count: number): Promise<PreparedBatch> {
    const pool = this.validationIndices.length > 0 ? this.validationIndices : this.trainIndices;
    const indices = Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
    return this.#prepare(await this.#readRaw(indices), count);
  }

  /** Read held-out examples (the validation split), scaled; up to `count`. */
  async validation(count: number): Promise<PreparedBatch | undefined> {
    const indices = [...this.validationIndices.slice(0, count)];
    if (indices.length === 0) return undefined;
    return this.#prepare(await this.#readRaw(indices), indices.length);
  }

  /** Whether the source can read examples whole (DataSource.readWhole). */
  get readsWhole(): boolean {
    return typeof this.source.readWhole === 'function';
  }

  /** Source example `index` whole (no crop window), scaled; for scoring held-out images at full size. */
  async whole(index: number): Promise<WholeBatch> {
    let example;
    try {
      example = await this.source.readWhole!(index);
    } catch (error) {
      throw hookError(error, { ...this.#site, hook: 'readWhole' });
    }
    const check = (what: string, values: ArrayLike<number> | undefined, shape: readonly number[] | undefined) => {
      if (!values || !shape || shape.length !== 3 || values.length !== shape[0]! * shape[1]! * shape[2]!) {
        throw new GanforgeError('GF_DATA', `Data stream "${this.name}" returned ${values?.length ?? 'no'} pixel values for the whole ${what} of example ${index}, shaped ${JSON.stringify(shape)}.`, {
          pointer: `/data/${this.name}`,
          hint: "The dataset entry's readWhole() must return h·w·c pixels and their [h, w, c] shape.",
        });
      }
    };
    check('image', example?.x, example?.shape);
    const range = this.source.range;
    const out: WholeBatch = { x: scalePixels(example.x, range, this.scale), shape: [1, ...example.shape] };
    if (example.label !== undefined) out.label = Int32Array.of(example.label);
    if (this.info.pair) {
      check('pair', example.pair, example.pairShape);
      out.pair = scalePixels(example.pair!, range, this.scale);
      out.pairShape = [1, ...example.pairShape!];
    }
    return out;
  }

  async #read(batch: number): Promise<PreparedBatch> {
    // Randomness for crops and flips: a function of (seed, batch), so batch k reads the same after a resume.
    let calls = 0;
    const random = () => unitFloat(mixSeed(this.#seed, 0xc209, batch, calls++));
    return this.#prepare(await this.#readRaw(this.indicesOf(batch), { random }), this.batchSize);
  }

  #readRaw(indices: number[], context?: ReadContext): RawBatch | Promise<RawBatch> {
    try {
      const raw = this.source.read(indices, context);
      return raw instanceof Promise ? raw.catch((error: unknown) => Promise.reject(hookError(error, this.#site))) : raw;
    } catch (error) {
      throw hookError(error, this.#site);
    }
  }

  #prepare(raw: RawBatch, n: number): PreparedBatch {
    const [h, w, c] = this.info.shape;
    const expected = n * h * w * c;
    if (!raw || raw.x?.length !== expected) {
      throw new GanforgeError(
        'GF_DATA',
        `Data stream "${this.name}" returned ${raw?.x?.length ?? 'no'} pixel values for ${n} images of ${h}x${w}x${c} (expected ${expected}).`,
        { pointer: `/data/${this.name}`, hint: 'The dataset entry\'s read() must return n·H·W·C pixels in NHWC order.' },
      );
    }
    if (raw.label !== undefined && raw.label.length !== n) {
      throw new GanforgeError('GF_DATA', `Data stream "${this.name}" returned ${raw.label.length} labels for ${n} images.`, {
        pointer: `/data/${this.name}`,
      });
    }
    const x = scalePixels(raw.x, this.source.range, this.scale);
    const prepared: PreparedBatch = raw.label === undefined ? { x, shape: [n, h, w, c] } : { x, shape: [n, h, w, c], label: Int32Array.from(raw.label) };
    const pair = this.info.pair?.shape;
    if (pair) {
      // Pairs travel with their images: a dataset that declares them must return them in every read.
      const [ph, pw, pc] = pair;
      if (raw.pair?.length !== n * ph * pw * pc) {
        throw new GanforgeError('GF_DATA', `Data stream "${this.name}" returned ${raw.pair?.length ?? 'no'} paired pixel values for ${n} pairs of ${ph}x${pw}x${pc} (expected ${n * ph * pw * pc}).`, {
          pointer: `/data/${this.name}`,
          hint: "A dataset whose info declares `pair` must return RawBatch.pair with every read.",
        });
      }
      prepared.pair = scalePixels(raw.pair, this.source.range, this.scale);
      prepared.pairShape = [n, ph, pw, pc];
    }
    return prepared;
  }

  async close(): Promise<void> {
    this.#queue = [];
    await this.source.close?.();
  }
}
