/**
 * `ganforge translate` and loadTranslator: a run's image → image artifact applied to PNG files and
 * folders, chosen by alias (--direction AB) or name; bad input gets coded errors with exit 2.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranslator } from '../../packages/core/src/api/load-translator.js';
import { decodeImage } from '../../packages/core/src/data/decode-image.js';
import { scalePixels } from '../../packages/core/src/data/pipeline.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { encodeImage } from '../../packages/core/src/run/png.js';
import { cycleSpec } from '../engine/cycle-spec.js';
import { tempDir, trainFixture } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';

const tmp = tempDir('gf-translate-');
let runDir = '';
/** A 4x4 gray test pattern as PNG bytes (pixel values 0..255). */
const pattern = (seed: number) => encodeImage({ data: Float32Array.from({ length: 16 }, (_, i) => ((i * 37 + seed * 11) % 256) / 255), shape: [1, 4, 4, 1], scale: 'unit' }, 0);

beforeAll(async () => {
  ({ result: { runDir } } = await trainFixture(cycleSpec({ output: { dir: 'cycle' } }), tmp.dir));
  mkdirSync(join(tmp.dir, 'inputs', 'more'), { recursive: true });
  writeFileSync(join(tmp.dir, 'inputs', 'one.png'), pattern(1));
  writeFileSync(join(tmp.dir, 'inputs', 'more', 'two.png'), pattern(2));
  writeFileSync(join(tmp.dir, 'inputs', 'notes.txt'), 'not an image');
});
afterAll(() => tmp.cleanup());

describe('ganforge translate', () => {
  it('translates one image with the artifact an alias names, as the model does on the same pixels', async () => {
    const { exitCode, stdout, stderr } = await runCli(['translate', 'cycle', 'inputs/one.png', '--direction', 'AB', '--out', 'one-ab.png', '--backend', 'cpu'], tmp.dir);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('with "translate-ab" into one-ab.png');
    const written = decodeImage(readFileSync(join(tmp.dir, 'one-ab.png')));
    expect([written.width, written.height]).toEqual([4, 4]);

    const translator = await loadTranslator(runDir, 'ab', { backend: 'cpu' });
    expect(translator.artifact.name).toBe('translate-ab');
    expect(translator.inputShape).toEqual([4, 4, 1]);
    const source = decodeImage(readFileSync(join(tmp.dir, 'inputs', 'one.png')));
    const gray = Uint8Array.from({ length: 16 }, (_, i) => source.rgba[i * 4]!);
    const x = tf.tensor4d(scalePixels(gray, [0, 255], 'tanh'), [1, 4, 4, 1]);
    const y = translator.translate(x);
    const expected = Array.from(y.dataSync(), (v) => Math.max(0, Math.min(255, Math.round(((v + 1) / 2) * 255))));
    expect(Array.from({ length: 16 }, (_, i) => written.rgba[i * 4]!)).toEqual(expected);
    tf.dispose([x, y]);
    translator.dispose();
  });

  it('translates every PNG/JPEG in a folder, keeping sub-folders, and skips other files', async () => {
    const { exitCode, stdout } = await runCli(['translate', 'cycle', 'inputs', '--direction', 'BA', '--out', 'out-ba', '--backend', 'cpu'], tmp.dir);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('translated 2 images with "translate-ba"');
    for (const file of ['one.png', 'more/two.png']) expect(decodeImage(readFileSync(join(tmp.dir, 'out-ba', file))).width).toBe(4);
  });

  it('refuses bad input with coded errors and exit 2', async () => {
    const unknown = await runCli(['translate', 'cycle', 'inputs/one.png', '--direction', 'XB', '--out', 'x.png', '--backend', 'cpu'], tmp.dir);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/GF_USAGE.*no artifact "XB"/);
    const missing = await runCli(['translate', 'cycle', 'nope.png', '--out', 'x.png'], tmp.dir);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/GF_USAGE: nope.png does not exist/);
    const notImage = await runCli(['translate', 'cycle', 'inputs/notes.txt', '--direction', 'AB', '--out', 'x.png', '--backend', 'cpu'], tmp.dir);
    expect(notImage.exitCode).toBe(2);
    expect(notImage.stderr).toMatch(/GF_DATA: .*notes.txt cannot be read as an image/);
    const noOut = await runCli(['translate', 'cycle', 'inputs/one.png'], tmp.dir);
    expect(noOut.exitCode).toBe(2);
    for (const r of [unknown, missing, notImage]) expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
