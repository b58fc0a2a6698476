/// <reference lib="dom" />
/**
 * The Host for a web page or worker: files in memory (optionally mirrored to IndexedDB), plugins the app
 * imported itself (its bundler resolves them), and the browser's tfjs backends — webgpu and webgl when the
 * app installed their packages and the browser offers them, wasm (the core's training kernels run there too),
 * cpu — chosen by the same capability check as in Node.
 *   const host = browserHost({ plugins: [dcgan, mnist], wasmPaths: { 'tfjs-backend-wasm.wasm': url, … } });
 *   await runTraining({ spec, registry, specDir: '/', host });
 */
import { chooseBackend, cpuBackend, wasmBackend, activate, type BackendLoaders, type SelectBackendOptions } from '../engine/choose-backend.js';
import type { BackendProvider, Host, Storage } from '../host/types.js';
import { staticPluginLoader } from '../plugin/static-loader.js';
import type { GanforgePlugin, Logger } from '../plugin/types.js';
import { memoryStorage } from './memory-storage.js';

export interface BrowserHostOptions {
  /** The plugins specs may name, imported by the app. */
  plugins: readonly GanforgePlugin[];
  /** Where files go (default: a fresh memoryStorage). Pass `await indexedDbStorage()` to keep runs across reloads. */
  storage?: Storage;
  /**
   * Where the tfjs wasm binaries are served: a URL prefix, or a URL per file name ("tfjs-backend-wasm.wasm",
   * "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"), e.g. from Vite's `?url` imports.
   */
  wasmPaths?: string | Record<string, string>;
  /** The app's imports of the optional GPU backends, e.g. `() => import('@tensorflow/tfjs-backend-webgl')`. */
  webgl?: () => Promise<unknown>;
  webgpu?: () => Promise<unknown>;
  log?: Logger;
}

const consoleLog: Logger = { info: (m) => console.info(m), warn: (m) => console.warn(m), debug() {} };

/** The WebGL renderer's name, and whether it is a CPU emulation (SwiftShader, llvmpipe): slower than wasm. */
export function webglRenderer(): { name: string; software: boolean } | undefined {
  const gl = (typeof OffscreenCanvas === 'undefined' ? undefined : new OffscreenCanvas(1, 1).getContext('webgl2')) as WebGL2RenderingContext | null | undefined;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return { name, software: /swiftshader|llvmpipe|software/i.test(name) };
}

/** A backend whose package the app imports: registered by the import, usable when the browser supports it. */
function gpuBackend(name: 'webgl' | 'webgpu', load: () => Promise<unknown>, reason: string) {
  return async (opts: SelectBackendOptions) => {
    let why = reason;
    if (name === 'webgl') {
      const renderer = webglRenderer();
      if (!renderer) throw new Error('this browser offers no WebGL 2');
      // Picked by `auto`, a CPU-emulated GPU would be far slower than wasm; asked for by name, it runs.
      if (opts.auto && renderer.software) throw new Error(`software renderer (${renderer.name.slice(0, 60)}): slower than wasm; ask for "webgl" to use it anyway`);
      why = `${reason}: ${renderer.name.slice(0, 80)}`;
    }
    await load();
    await activate(name);
    return { tfBackend: name, reason: why };
  };
}

export function browserBackends(options: Pick<BrowserHostOptions, 'wasmPaths' | 'webgl' | 'webgpu'> = {}): BackendProvider {
  const loaders: BackendLoaders = {
    wasm: wasmBackend(async () => {
      if (options.wasmPaths !== undefined) {
        const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
        setWasmPaths(options.wasmPaths as string);
      }
      return { threaded: false, note: 'a page without cross-origin isolation has one thread' };
    }),
    cpu: cpuBackend,
  };
  if (options.webgl) loaders.webgl = gpuBackend('webgl', options.webgl, 'WebGL');
  if (options.webgpu) loaders.webgpu = gpuBackend('webgpu', options.webgpu, 'WebGPU');
  return { select: (requested, log, opts) => chooseBackend(loaders, requested, log, opts) };
}

export function browserHost(options: BrowserHostOptions): Host {
  const storage = options.storage ?? memoryStorage('/');
  return {
    name: 'browser',
    cwd: '/',
    storage,
    log: options.log ?? consoleLog,
    plugins: staticPluginLoader(options.plugins),
    backends: browserBackends(options),
    clock: {
      now: () => Date.now(),
      // A macrotask, so the page repaints and handles clicks (pause) between steps.
      yield: () => new Promise((resolve) => setTimeout(resolve, 0)),
    },
  };
}
