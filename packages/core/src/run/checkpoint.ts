/**
 * Checkpoints: one folder per checkpoint, `checkpoints/step-<N>/`, holding
 *   state.json   everything but tensor values (tensors appear as { $tensor: i, shape, dtype }),
 *   tensors.bin  the tensor values, back to back (4-byte aligned),
 *   manifest.json  format, step, and the byte size + sha256 of the two files above.
 * A checkpoint is written under a temporary name, every file durable (fsynced), then renamed into place,
 * so a kill at any moment leaves either the complete new checkpoint or none. On load, checkpoints are
 * verified newest first; a truncated or corrupted one is reported and the previous one is used.
 * All file access goes through the host's Storage.
 */
import { GanforgeError } from '../errors.js';
import type { HostTensor } from '../engine/host-tensor.js';
import type { RandomPosition } from '../engine/random.js';
import type { Storage } from '../host/types.js';
import { joinPath as join } from '../host/paths.js';
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
  /** Adaptive augmentations' state, by "<index in spec.augment>:<entry id>" (e.g. ADA's p). */
  augment?: Record<string, unknown>;
  /**
   * Randomness is positional: every phase repetition derives its streams' positions from (seed, step,
   * phase, repeat), so the seed decides every draw; the streams' positions at the checkpoint are kept too.
   */
  random: { seed: number; streams?: Record<string, RandomPosition> };
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

/** sha256 as hex, through Web Crypto (globalThis.crypto in Node 20 and in browsers). */
async function sha256(data: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A suffix that keeps two writers' temporary folders apart. */
const writerId = () => Math.floor(Math.random() * 0xffffffff).toString(16);

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

export function unpackState(json: string, data: Uint8Array): CheckpointState {
  // A plain Uint8Array view: a Node Buffer's slice() would share its pool instead of copying.
  const blob = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !('$tensor' in value)) return value;
    const ref = value as { $tensor: number; bytes: number; shape: number[]; dtype: HostTensor['dtype'] };
    if (ref.$tensor + ref.bytes > blob.byteLength) throw new Error(`tensor data ends at byte ${ref.$tensor + ref.bytes}, past the end of tensors.bin`);
    const copy = blob.slice(ref.$tensor, ref.$tensor + ref.bytes).buffer;
    const data = ref.dtype === 'float32' ? new Float32Array(copy) : ref.dtype === 'int32' ? new Int32Array(copy) : new Uint8Array(copy);
    return { shape: ref.shape, dtype: ref.dtype, data } satisfies HostTensor;
  }) as CheckpointState;
}

export function checkpointDirName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/** Checkpoints present in a run folder, newest first (unverified). */
export async function listCheckpoints(storage: Storage, runDir: string): Promise<CheckpointInfo[]> {
  const root = join(runDir, 'checkpoints');
  return (await storage.list(root))
    .map((name) => ({ name, match: STEP_DIR.exec(name) }))
    .filter((e) => e.match)
    .map((e) => ({ step: Number(e.match![1]), dir: join(root, e.name) }))
    .sort((a, b) => b.step - a.step);
}

/** Write atomically, then keep only the newest `keep` checkpoints. Returns the checkpoint's folder. */
export async function writeCheckpoint(storage: Storage, runDir: string, state: CheckpointState, keep: number): Promise<string> {
  const root = join(runDir, 'checkpoints');
  const final = join(root, checkpointDirName(state.step));
  const tmp = join(root, `.tmp-${checkpointDirName(state.step)}-${writerId()}`);
  await storage.remove(tmp);
  await storage.mkdir(tmp);
  const { json, blob } = packState(state);
  const jsonBytes = new TextEncoder().encode(json);
  await storage.write(join(tmp, 'state.json'), jsonBytes, { durable: true });
  await storage.write(join(tmp, 'tensors.bin'), blob, { durable: true });
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: state.step,
    files: {
      'state.json': { bytes: jsonBytes.byteLength, sha256: await sha256(jsonBytes) },
      'tensors.bin': { bytes: blob.byteLength, sha256: await sha256(blob) },
    },
  };
  await storage.write(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { durable: true });
  if (await storage.exists(final)) {
    // Same step written again (e.g. interrupted right after a resume): swap, never leaving no checkpoint.
    const old = join(root, `.old-${checkpointDirName(state.step)}-${writerId()}`);
    await storage.rename(final, old);
    await storage.rename(tmp, final);
    await storage.remove(old);
  } else {
    await storage.rename(tmp, final);
  }
  for (const stale of (await listCheckpoints(storage, runDir)).slice(Math.max(1, keep))) await storage.remove(stale.dir);
  return final;
}

/** Remove leftovers of checkpoints whose writing was interrupted. */
export async function removeIncompleteCheckpoints(storage: Storage, runDir: string): Promise<void> {
  const root = join(runDir, 'checkpoints');
  for (const name of await storage.list(root)) if (name.startsWith('.tmp-') || name.startsWith('.old-')) await storage.remove(join(root, name));
}

/** Read and verify one checkpoint; throws GF_CHECKPOINT saying what is wrong. */
export async function readCheckpoint(storage: Storage, dir: string): Promise<CheckpointState> {
  const fail = (reason: string): never => {
    throw new GanforgeError('GF_CHECKPOINT', `Checkpoint ${dir} is unusable: ${reason}.`, {
      file: dir,
      hint: 'It was probably cut short by a crash or modified; an earlier checkpoint can be used instead.',
    });
  };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await storage.readText(join(dir, 'manifest.json'))) as Manifest;
  } catch (error) {
    return fail(`manifest.json cannot be read (${(error as Error).message})`);
  }
  if (manifest?.format !== CHECKPOINT_FORMAT || !manifest.files) return fail('manifest.json is not a ganforge checkpoint manifest');
  if (manifest.version > CHECKPOINT_VERSION) return fail(`it has format version ${manifest.version}; this core reads up to ${CHECKPOINT_VERSION}`);
  const read = async (name: keyof Manifest['files']): Promise<Uint8Array> => {
    const expected = manifest.files[name];
    let data: Uint8Array;
    try {
      data = await storage.read(join(dir, name));
    } catch (error) {
      return fail(`${name} cannot be read (${(error as Error).message})`);
    }
    if (data.byteLength !== expected.bytes) fail(`${name} has ${data.byteLength} bytes, the manifest says ${expected.bytes} (truncated?)`);
    if ((await sha256(data)) !== expected.sha256) fail(`${name} does not match its sha256 checksum (corrupted)`);
    return data;
  };
  const json = new TextDecoder().decode(await read('state.json'));
  const blob = await read('tensors.bin');
  try {
    const state = unpackState(json, blob);
    if (state.step !== manifest.step) fail(`state.json is for step ${state.step}, the manifest says ${manifest.step}`);
    return state;
  } catch (error) {
    if (error instanceof GanforgeError) throw error;
    return fail((error as Error).message);
  }
}

/** The newest checkpoint that verifies; newer broken ones are reported through `warn` and skipped. */
export async function loadLatestCheckpoint(storage: Storage, runDir: string, warn: (message: string) => void = () => {}): Promise<LoadedCheckpoint | undefined> {
  const skipped: LoadedCheckpoint['skipped'] = [];
  for (const info of await listCheckpoints(storage, runDir)) {
    try {
      const state = await readCheckpoint(storage, info.dir);
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
