import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GanforgeError } from '../errors.js';
import { nodeStorage } from '../node/storage.js';
import type { ResolvedSpec } from '../spec/types.js';
import { loadLatestCheckpoint, packState, readCheckpoint, unpackState, writeCheckpoint, type CheckpointState } from './checkpoint.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'gf-ckpt-')));
const storage = nodeStorage(tmpdir());

function state(step: number): CheckpointState {
  return {
    step,
    models: { g: [{ shape: [2, 2], dtype: 'float32', data: Float32Array.from([step, 0.5, -1, 3]) }, { shape: [3], dtype: 'bool', data: Uint8Array.from([1, 0, 1]) }] },
    optimizers: { g: [{ shape: [], dtype: 'int32', data: Int32Array.from([step]) }] },
    random: { seed: 1 },
    data: { real: { position: step * 2 } },
    spec: { name: 't' } as ResolvedSpec,
    versions: { core: '0.1.0', plugins: {} },
    elapsedMs: 10,
    savedAt: 'now',
  };
}

describe('checkpoint files', () => {
  it('pack and unpack tensors exactly, with 4-byte alignment after odd-sized ones', () => {
    const s = state(3);
    s.ema = [{ shape: [1], dtype: 'float32', data: Float32Array.from([Math.PI]) }];
    const { json, blob } = packState(s);
    expect(blob.byteLength % 4).toBe(0);
    expect(unpackState(json, blob)).toEqual(s);
  });

  it('keeps the last K and writes no leftovers', async () => {
    fresh();
    for (const step of [1, 2, 3, 4]) await writeCheckpoint(storage, dir, state(step), 2);
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual(['step-000000003', 'step-000000004']);
    expect((await loadLatestCheckpoint(storage, dir))!.state).toEqual(state(4));
  });

  it.each([
    ['truncated tensors', (d: string) => truncateSync(join(d, 'tensors.bin'), 3), /tensors\.bin has 3 bytes/],
    ['corrupted state', (d: string) => writeFileSync(join(d, 'state.json'), '{"step": 2}'), /state\.json has \d+ bytes|sha256/],
    ['missing manifest', (d: string) => rmSync(join(d, 'manifest.json')), /manifest\.json cannot be read/],
    ['garbled manifest', (d: string) => writeFileSync(join(d, 'manifest.json'), '{"form'), /manifest\.json cannot be read/],
  ])('a %s checkpoint is reported and the previous one used', async (_label, damage, reason) => {
    fresh();
    await writeCheckpoint(storage, dir, state(1), 3);
    const newest = await writeCheckpoint(storage, dir, state(2), 3);
    damage(newest);
    await expect(readCheckpoint(storage, newest)).rejects.toThrow(reason);
    const warnings: string[] = [];
    const loaded = (await loadLatestCheckpoint(storage, dir, (m) => warnings.push(m)))!;
    expect(loaded.step).toBe(1);
    expect(loaded.skipped).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toMatch(/Falling back to the previous checkpoint/);
  });

  it('fails with GF_CHECKPOINT when every checkpoint is broken', async () => {
    fresh();
    const only = await writeCheckpoint(storage, dir, state(1), 3);
    truncateSync(join(only, 'state.json'), 1);
    const error = (await loadLatestCheckpoint(storage, dir).catch((e: unknown) => e)) as GanforgeError;
    expect(error).toBeInstanceOf(GanforgeError);
    expect(error.code).toBe('GF_CHECKPOINT');
  });
});
