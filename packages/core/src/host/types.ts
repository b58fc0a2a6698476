/**
 * What the platform-free core needs from the platform it runs on. The core (spec, plugin registry,
 * engine, run folder, evaluation) talks only to a Host; `node/` implements it with the file system,
 * tfjs-node and worker threads, and a browser app can implement it with IndexedDB and its bundler's
 * imports. Nothing under the core's platform-free folders imports `node:*` or reads `process`.
 */
import type { BackendRequest, BackendSelection, SelectBackendOptions } from '../engine/choose-backend.js';
import type { PluginRegistry } from '../plugin/registry.js';
import type { GanforgePlugin, Logger } from '../plugin/types.js';

/**
 * Files by path. Paths are '/'-separated; relative ones are relative to the host's working folder.
 * Every method is async so that a browser (IndexedDB, OPFS) can implement it.
 */
export interface Storage {
  /** File contents; throws when the file does not exist (check with `exists`). */
  read(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** Creates parent folders. With `durable`, the bytes reach the medium before the promise settles (fsync). */
  write(path: string, data: Uint8Array | string, options?: { durable?: boolean }): Promise<void>;
  append(path: string, text: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  /** Names of a folder's entries (not paths), sorted; [] when the folder does not exist. */
  list(path: string): Promise<string[]>;
  /** Creates a folder and its parents. */
  mkdir(path: string): Promise<void>;
  /**
   * Atomic where the platform allows: a folder or file appears whole under its new name or not at all.
   * The new name is durable when the promise settles (Node: the parent folder is fsynced, best effort).
   */
  rename(from: string, to: string): Promise<void>;
  /** Last modification time in ms, or undefined when the path does not exist. */
  modified(path: string): Promise<number | undefined>;
  /** Removes a file or a folder with everything in it; no error when it is missing. */
  remove(path: string): Promise<void>;
  /** An absolute path for `path`, resolved against the working folder (no file system access). */
  resolve(...paths: string[]): string;
}

export interface Clock {
  /** Wall-clock milliseconds (Date.now()). */
  now(): number;
  /** Let timers, I/O and signal handlers run between training steps (setImmediate in Node, a macrotask in a page). */
  yield(): Promise<void>;
}

export interface PluginLoader {
  /** Resolve and import the plugins a spec names ("dcgan", "@acme/foo", "./local.js"), relative to the spec's folder. */
  load(specifiers: readonly string[], options: PluginLoadOptions): Promise<PluginRegistry>;
}

export interface PluginLoadOptions {
  specDir: string;
  cwd: string;
  /** Plugin objects passed by a program besides the names: registered first, and they win over a same-named package. */
  extra?: GanforgePlugin[];
  /** The spec file, for messages ("referenced from specs/x.json"). */
  specFile?: string;
}

/**
 * Which tfjs backends this platform offers and how to start them: Node adds libtensorflow (tfjs-node) and a
 * worker-thread pool for wasm; the platform-free choice is wasm (one thread) and cpu.
 */
export interface BackendProvider {
  /** Activate `requested` (or the first that loads, for "auto"); `log` gets one line saying which and why. */
  select(requested: BackendRequest, log?: (message: string) => void, options?: SelectBackendOptions): Promise<BackendSelection>;
}

/** TensorBoard-style scalar logging. */
export interface ScalarWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

export interface Host {
  /** Platform name for messages ("node", "browser"). */
  name: string;
  /** Working folder: relative spec, data and run paths resolve against it. */
  cwd: string;
  storage: Storage;
  clock: Clock;
  log: Logger;
  plugins: PluginLoader;
  /** tfjs backends; absent: the platform-free ones (`portableBackends`: wasm single-threaded, cpu). */
  backends?: BackendProvider;
  /** A TensorBoard writer for a folder, where the platform has one (Node: tfjs-node's, when installed). */
  scalarWriter?(dir: string, log: Logger): Promise<ScalarWriter | undefined>;
}
