/** The capability check before step 1: a kernel the backend lacks is a coded error, not a crash mid-step. */
import { afterAll, describe, expect, it } from 'vitest';
import { GanforgeError } from '../../packages/core/src/errors.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { tinyGanSpec } from '../fixtures/engine/tiny-plugin.js';
import { tempDir, trainFixture } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('the kernel capability check', () => {
  it('names the missing kernel and the backends that have it, before any step runs', async () => {
    let steps = 0;
    const error = (await trainFixture(tinyGanSpec({ training: { backend: 'wasm' }, output: { dir: 'missing' } }), tmp.dir, {
      // The tiny generator ends in tanh: once wasm is up, take that kernel away (this file runs in its own process).
      onStart: () => tf.unregisterKernel('Tanh', 'wasm'),
      onStep: () => void steps++,
    }).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toBeInstanceOf(GanforgeError);
    expect(error.code).toBe('GF_BACKEND_MISSING_KERNEL');
    expect(error.message).toMatch(/^The wasm backend lacks .*training step needs: .*Tanh \(available on [^)]*cpu/);
    expect(steps).toBe(0);
  });
});
