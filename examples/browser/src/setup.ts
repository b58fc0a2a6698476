/**
 * What both pages share: the plugins, where the wasm binaries and the MNIST digits are served from (Vite
 * copies them into the build as assets), and a browser Host for the core.
 */
import { browserHost, type Host, type Storage } from '@ganforge/core';
import dcgan from '@ganforge/plugin-dcgan';
import mnist, { fetchMnistDigits } from '@ganforge/plugin-mnist';
import wgan from '@ganforge/plugin-wgan';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import d0 from 'mnist/src/digits/0.json?url';
import d1 from 'mnist/src/digits/1.json?url';
import d2 from 'mnist/src/digits/2.json?url';
import d3 from 'mnist/src/digits/3.json?url';
import d4 from 'mnist/src/digits/4.json?url';
import d5 from 'mnist/src/digits/5.json?url';
import d6 from 'mnist/src/digits/6.json?url';
import d7 from 'mnist/src/digits/7.json?url';
import d8 from 'mnist/src/digits/8.json?url';
import d9 from 'mnist/src/digits/9.json?url';

export const plugins = [dcgan, mnist, wgan];

let digits: Promise<unknown> | undefined;
/** The 10,000 digits of the mnist package, fetched once per page. */
export const loadDigits = () => (digits ??= fetchMnistDigits([d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]));

export function pageHost(storage?: Storage): Host {
  return browserHost({
    plugins,
    storage,
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasm, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
    webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  });
}
