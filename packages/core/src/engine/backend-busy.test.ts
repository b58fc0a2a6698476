import os from 'node:os';
import '@tensorflow/tfjs-layers';
import { describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../node/index.js';

describe('selectBackend on a busy machine', () => {
  it('keeps wasm single-threaded when the load average already reaches the number of cores', async () => {
    vi.spyOn(os, 'loadavg').mockReturnValue([64, 64, 64]);
    const prev = process.env.GANFORGE_WASM_THREADS;
    delete process.env.GANFORGE_WASM_THREADS;
    try {
      const sel = await selectBackend('wasm');
      expect(sel.threads).toBe(1);
      expect(sel.reason).toMatch(/single-threaded: machine busy \(load 64\.0 on \d+ cores/);
    } finally {
      if (prev !== undefined) process.env.GANFORGE_WASM_THREADS = prev;
    }
  });
});
