// tfjs as the core package sees it (bench/ has no node_modules of its own): one shared instance.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/core/package.json', import.meta.url));
export const tf: typeof import('@tensorflow/tfjs-core') = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
export const tfWasm: typeof import('@tensorflow/tfjs-backend-wasm') = require('@tensorflow/tfjs-backend-wasm');
require('@tensorflow/tfjs-layers');
