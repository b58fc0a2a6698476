/**
 * Checkpoints: one folder per checkpoint, `checkpoints/step-<N>/`, holding
 *   state.json   everything but tensor values (tensors appear as { $tensor: i, shape, dtype }),
 *   tensors.bin  the tensor values, back to back (4-byte aligned),
 *   manifest.json  format, step, and the byte size + sha256 of the two files above.
 * A checkpoint is written under a temporary name, every file fsynced, then renamed into place, so a kill
 * at any moment leaves either the complete new checkpoint or none. On load, checkpoints are verified
 * newest first; a truncated or corrupted one is reported and the previous one is used.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { GanforgeError } from '../errors.js';
import type { HostTensor } from '../engine/host-tensor.js';
import type { ResolvedSpec } from '../spec/types.js';

export const CHECKPOINT_FORMAT = 'ganforge-checkpoint';
export const CHECKPOINT_VERSION = 1;
const STEP_DIR = /^step-(\d+)$/;

export interface CheckpointState {
  /** Steps completed. */
  step: number;
  /** Each model's weights, in `model.weights` order. */
  models: Record<string, HostTensor[]>;
  /** Each optimizer group's slots, in tfjs' order. */
  optimizers: Record<string, HostTensor[]>;
  ema?: HostTensor[];
  objective?: { tensors: Record<string, HostTensor>; json?: unknown };
  /** Randomness is positional (derived from seed and step), so the seed is its whole state. */
  random: { seed: number };
  /** Batches consumed per data stream. */
  data: Record<string, { position: number }>;
  spec: ResolvedSpec;
  versions: { core: string; plugins: Record<string, string> };
  /** Training wall time so far, across resumes. */
  elapsedMs: number;
  savedAt: string;
}

interface FileEntry {
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  step: number;
  files: { 'state.json': FileEntry; 'tensors.bin': FileEntry };
}

export interface CheckpointInfo {
  step: number;
  dir: string;
}

export interface LoadedCheckpoint extends CheckpointInfo {
  state: CheckpointState;
  /** Newer checkpoints that failed verification, with the reason. */
  skipped: { dir: string; reason: string }[];
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function isHostTensor(value: unknown): value is HostTensor {
  return typeof value === 'object' && value !== null && ArrayBuffer.isView((value as HostTensor).data) && Array.isArray((value as HostTensor).shape);
}

/** Split a state into JSON (tensors replaced by references) and one binary blob. */
export function packState(state: CheckpointState): { json: string; blob: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(state, (_key, value: unknown) => {
    if (!isHostTensor(value)) return value;
    const bytes = new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength);
    const ref = { $tensor: offset, bytes: bytes.byteLength, shape: value.shape, dtype: value.dtype };
    chunks.push(bytes);
    const padded = Math.ceil(bytes.byteLength / 4) * 4;
    if (padded > bytes.byteLength) chunks.push(new Uint8Array(padded - bytes.byteLength));
    offset += padded;
    return ref;
  });
  const blob = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    blob.set(chunk, at);
    at += chunk.byteLength;
  }
  return { json, blob };
}

export function unpackState(json: string, blob: Uint8Array): CheckpointState {
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !('$tensor' in value)) return value;
    const ref = value as { $tensor: number; bytes: number; shape: number[]; dtype: HostTensor['dtype'] };
    if (ref.$tensor + ref.bytes > blob.byteLength) throw new Error(`tensor data ends at byte ${ref.$tensor + ref.bytes}, past the end of tensors.bin`);
    const copy = blob.slice(ref.$tensor, ref.$tensor + ref.bytes).buffer;
    const data = ref.dtype === 'float32' ? new Float32Array(copy) : ref.dtype === 'int32' ? new Int32Array(copy) : new Uint8Array(copy);
    return { shape: ref.shape, dtype: ref.dtype, data } satisfies HostTensor;
  }) as CheckpointState;
}

function writeSynced(file: string, data: Uint8Array | string): void {
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a folder so a rename inside it is durable (not supported everywhere; best effort). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* Windows cannot open folders; renames there are durable enough. */
  }
}

export function checkpointDirName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/** Checkpoints present in a run folder, newest first (unverified). */
export function listCheckpoints(runDir: string): CheckpointInfo[] {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, match: STEP_DIR.exec(name) }))
    .filter((e) => e.match)
    .map((e) => ({ step: Number(e.match![1]), dir: join(root, e.name) }))
    .sort((a, b) => b.step - a.step);
}

/** Write atomically, then keep only the newest `keep` checkpoints. Returns the checkpoint's folder. */
export function writeCheckpoint(runDir: string, state: CheckpointState, keep: number): string {
  const root = join(runDir, 'checkpoints');
  mkdirSync(root, { recursive: true });
  const final = join(root, checkpointDirName(state.step));
  const tmp = join(root, `.tmp-${checkpointDirName(state.step)}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const { json, blob } = packState(state);
  const jsonBytes = Buffer.from(json);
  writeSynced(join(tmp, 'state.json'), jsonBytes);
  writeSynced(join(tmp, 'tensors.bin'), blob);
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: state.step,
    files: {
      'state.json': { bytes: jsonBytes.byteLength, sha256: sha256(jsonBytes) },
      'tensors.bin': { bytes: blob.byteLength, sha256: sha256(blob) },
    },
  };
  writeSynced(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  syncDir(tmp);
  if (existsSync(final)) {
    // Same step written again (e.g. interrupted right after a resume): swap, never leaving no checkpoint.
    const old = join(root, `.old-${checkpointDirName(state.step)}-${process.pid}`);
    renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, final);
  }
  syncDir(root);
  for (const stale of listCheckpoints(runDir).slice(Math.max(1, keep))) rmSync(stale.dir, { recursive: true, force: true });
  return final;
}

/** Remove leftovers of checkpoints whose writing was interrupted. */
export function removeIncompleteCheckpoints(runDir: string): void {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) if (name.startsWith('.tmp-') || name.startsWith('.old-')) rmSync(join(root, name), { recursive: true, force: true });
}

/** Read and verify one checkpoint; throws GF_CHECKPOINT saying what is wrong. */
export function readCheckpoint(dir: string): CheckpointState {
  const fail = (reason: string): never => {
    throw new GanforgeError('GF_CHECKPOINT', `Checkpoint ${dir} is unusable: ${reason}.`, {
      file: dir,
      hint: 'It was probably cut short by a crash or modified; an earlier checkpoint can be used instead.',
    });
  };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    return fail(`manifest.json cannot be read (${(error as Error).message})`);
  }
  if (manifest?.format !== CHECKPOINT_FORMAT || !manifest.files) return fail('manifest.json is not a ganforge checkpoint manifest');
  if (manifest.version > CHECKPOINT_VERSION) return fail(`it has format version ${manifest.version}; this core reads up to ${CHECKPOINT_VERSION}`);
  const read = (name: keyof Manifest['files']): Buffer => {
    const expected = manifest.files[name];
    let data: Buffer;
    try {
      data = readFileSync(join(dir, name));
    } catch (error) {
      return fail(`${name} cannot be read (${(error as Error).message})`);
    }
    if (data.byteLength !== expected.bytes) fail(`${name} has ${data.byteLength} bytes, the manifest says ${expected.bytes} (truncated?)`);
    if (sha256(data) !== expected.sha256) fail(`${name} does not match its sha256 checksum (corrupted)`);
    return data;
  };
  const json = read('state.json').toString('utf8');
  const blob = read('tensors.bin');
  try {
    const state = unpackState(json, new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength));
    if (state.step !== manifest.step) fail(`state.json is for step ${state.step}, the manifest says ${manifest.step}`);
    return state;
  } catch (error) {
    if (error instanceof GanforgeError) throw error;
    return fail((error as Error).message);
  }
}

/** The newest checkpoint that verifies; newer broken ones are reported through `warn` and skipped. */
export function loadLatestCheckpoint(runDir: string, warn: (message: string) => void = () => {}): LoadedCheckpoint | undefined {
  const skipped: LoadedCheckpoint['skipped'] = [];
  for (const info of listCheckpoints(runDir)) {
    try {
      const state = readCheckpoint(info.dir);
      return { ...info, state, skipped };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      skipped.push({ dir: info.dir, reason });
      warn(`${reason} Falling back to the previous checkpoint.`);
    }
  }
  if (skipped.length > 0) {
    throw new GanforgeError('GF_CHECKPOINT', `No usable checkpoint in ${runDir}: all ${skipped.length} are truncated or corrupted.`, {
      file: runDir,
      hint: 'Start a new run without --resume.',
      diagnostics: skipped.map((s) => ({ code: 'GF_CHECKPOINT' as const, message: s.reason, file: s.dir })),
    });
  }
  return undefined;
}
