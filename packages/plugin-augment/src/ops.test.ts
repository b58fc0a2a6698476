/**
 * Every op against a float64 reference written here, on fixed images with scripted draws; gradients through
 * every op reach the input (finite, nonzero) on cpu and wasm; options out of range are coded errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, isGanforgeError, type Augment, type ErrorCode, type AugmentationDefinition, type RandomSource, type Tensor4D } from '@ganforge/core';
import { entryOptions, tf, useBackend } from '@ganforge/core/testing';
import augment from './index.js';

const ops: Record<string, AugmentationDefinition> = augment.augmentations!;
const [N, H, W, C] = [2, 6, 6, 3];
/** Fixed, irregular pixel values in [-1, 1]. */
const pixels = Array.from({ length: N * H * W * C }, (_, i) => Math.sin(i * 1.7 + 0.3));
const at = (img: number[], i: number, y: number, x: number, c: number) => img[((i * H + y) * W + x) * C + c]!;

/** A RandomSource that replays `next` values in order and gives `uniform` draws from `u`. */
function scripted(next: number[], u: number[] = []): RandomSource & { used: () => number } {
  let k = 0, j = 0;
  return {
    next: () => next[k++] ?? 0,
    uniform: (shape: number[]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = u.slice(j, j + size);
      j += size;
      return tf.tensor(values, shape);
    },
    normal: (shape: number[]) => tf.zeros(shape),
    integers: (shape: number[]) => tf.zeros(shape, 'int32'),
    used: () => k,
  };
}

function build(entry: AugmentationDefinition, options: Record<string, unknown> = {}): Augment {
  return entry.build({ tf, options: entryOptions(entry, options) });
}

function run(entry: AugmentationDefinition, options: Record<string, unknown>, random: RandomSource): number[] {
  return tf.tidy(() => Array.from(build(entry, options)(tf.tensor4d(pixels, [N, H, W, C]), random).dataSync()));
}

/** Reference image i built pixel by pixel in float64. */
function reference(f: (i: number, y: number, x: number, c: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < N; i++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) out.push(f(i, y, x, c));
  return out;
}

function expectClose(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((a, k) => Math.abs(a - expected[k]!)));
  expect(worst).toBeLessThan(1e-5);
}

beforeAll(() => useBackend('cpu'));
afterAll(() => useBackend('cpu'));

describe('ops equal a float64 reference', () => {
  it('translation: out[y, x] = in[y + ty, x + tx], zero outside; shifts within ±round(ratio·size)', () => {
    // ratio 1/3 of 6 px: s = 2. Draws → shifts: image 0 (ty, tx) = (-2, 1), image 1 = (2, 0).
    // drawInt(-2, 2) = -2 + floor(u·5): u 0 → -2, u 0.7 → 1, u 0.99 → 2, u 0.5 → 0.
    const out = run(ops.translation!, { ratio: 1 / 3 }, scripted([0, 0.7, 0.99, 0.5]));
    const shifts = [[-2, 1], [2, 0]];
    expectClose(out, reference((i, y, x, c) => {
      const [ty, tx] = shifts[i]!, sy = y + ty!, sx = x + tx!;
      return sy >= 0 && sy < H && sx >= 0 && sx < W ? at(pixels, i, sy, sx, c) : 0;
    }));
  });

  it('cutout: a patch of round(ratio·size) px centred at the draw is zero, the rest unchanged', () => {
    // ratio 0.5: a 3x3 patch; the centre ranges over [0, 6] (6 - 3 % 2 = 5 → drawInt(0, 5)), corner = centre - 1.
    // Image 0: centre (0, 5) → rows -1..1, cols 4..6 (clipped); image 1: centre (3, 2) → rows 2..4, cols 1..3.
    const out = run(ops.cutout!, { ratio: 0.5 }, scripted([0, 0.99, 0.5, 0.34]));
    const boxes = [[-1, 4], [2, 1]];
    expectClose(out, reference((i, y, x, c) => {
      const [y0, x0] = boxes[i]!;
      return y >= y0! && y < y0! + 3 && x >= x0! && x < x0! + 3 ? 0 : at(pixels, i, y, x, c);
    }));
  });

  it('color: brightness, saturation, contrast as in DiffAugment', () => {
    const u = [0.1, 0.8];
    const mean = (vals: number[]) => vals.reduce((a, b) => a + b, 0) / vals.length;
    const px = (i: number, y: number, x: number) => [0, 1, 2].map((c) => at(pixels, i, y, x, c));
    const all = (i: number) => pixels.slice(i * H * W * C, (i + 1) * H * W * C);
    expectClose(run(ops.brightness!, {}, scripted([], u)), reference((i, y, x, c) => at(pixels, i, y, x, c) + u[i]! - 0.5));
    expectClose(run(ops.saturation!, {}, scripted([], u)), reference((i, y, x, c) => {
      const m = mean(px(i, y, x));
      return (at(pixels, i, y, x, c) - m) * 2 * u[i]! + m;
    }));
    expectClose(run(ops.contrast!, {}, scripted([], u)), reference((i, y, x, c) => {
      const m = mean(all(i));
      return (at(pixels, i, y, x, c) - m) * (u[i]! + 0.5) + m;
    }));
  });

  it('flip and rotate: per image, by its own draw', () => {
    // flip p 0.5: image 0 draws 0.2 (< 0.5: flipped), image 1 draws 0.9 (kept).
    expectClose(run(ops.flip!, {}, scripted([0.2, 0.9])), reference((i, y, x, c) => at(pixels, i, y, i === 0 ? W - 1 - x : x, c)));
    // rotate p 1: image 0 draws 0.5 → k = 2 (180°), image 1 draws 0 → k = 1 (90° counter-clockwise).
    expectClose(run(ops.rotate!, { p: 1 }, scripted([0, 0.5, 0, 0])), reference((i, y, x, c) =>
      i === 0 ? at(pixels, i, H - 1 - y, W - 1 - x, c) : at(pixels, i, x, W - 1 - y, c)));
  });

  it('p: each image is augmented with probability p, by its own draw; p 0 changes nothing', () => {
    // brightness with p 0.5: image 0's draw 0.7 keeps it, image 1's 0.1 augments it.
    const u = [0.9, 0.9];
    expectClose(run(ops.brightness!, { p: 0.5 }, scripted([0.7, 0.1], u)), reference((i, y, x, c) => at(pixels, i, y, x, c) + (i === 1 ? 0.4 : 0)));
    expectClose(run(ops.translation!, { p: 0 }, scripted([0, 0, 0, 0])), pixels);
  });
});

describe('gradients', () => {
  it.each(['cpu', 'wasm'] as const)('flow through every op to the input on %s: finite and nonzero', async (backend) => {
    await useBackend(backend);
    try {
      for (const [name, entry] of Object.entries(ops)) {
        const options = name === 'flip' || name === 'rotate' ? { p: 1 } : {};
        const aug = build(entry, options);
        const weights = tf.tensor4d(pixels.map((v, k) => Math.cos(k) + 0.1 * v), [N, H, W, C]);
        const g: number[] = tf.tidy(() => Array.from(tf.grad((x: Tensor4D) => tf.sum(tf.mul(aug(x, scripted([0.3, 0.6, 0.2, 0.9, 0.4, 0.7], [0.3, 0.6, 0.2, 0.9, 0.4, 0.7])), weights)))(tf.tensor4d(pixels, [N, H, W, C])).dataSync()));
        weights.dispose();
        expect(g.every(Number.isFinite), name).toBe(true);
        expect(g.some((v) => Math.abs(v) > 1e-6), name).toBe(true);
      }
    } finally {
      await useBackend('cpu');
    }
  });
});

describe('options', () => {
  it.each([
    ['translation', { p: 1.5 }],
    ['cutout', { p: -0.1 }],
    ['translation', { ratio: 2 }],
    ['cutout', { ratio: 0 }],
    ['color', { strength: 1 }],
  ] as [string, Record<string, unknown>][])('%s %j is a coded spec error (exit 2)', (name, options) => {
    let error: unknown;
    try {
      entryOptions(ops[name]!, options);
    } catch (e) {
      error = e;
    }
    expect(isGanforgeError(error)).toBe(true);
    expect((error as { code: string }).code).toMatch(/^GF_SPEC_(RANGE|UNKNOWN_KEY)$/);
    expect(exitCodeOf((error as { code: ErrorCode }).code)).toBe(2);
  });
});
