import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  // One copy of tfjs for the app, the core and the plugins: two copies would split the kernel registry.
  resolve: { dedupe: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'] },
  // The example specs live in the repository's specs/ folder.
  server: { fs: { allow: [resolve(__dirname, '../..')] } },
  build: {
    target: 'es2022',
    rollupOptions: { input: { main: resolve(__dirname, 'index.html'), sample: resolve(__dirname, 'sample.html') } },
  },
});
