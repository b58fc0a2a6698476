/** The CycleGAN-shaped fixture spec: two generators, two discriminators, two data streams. */
export function cycleSpec(overrides: { training?: Record<string, unknown>; output?: Record<string, unknown> } = {}) {
  return {
    name: 'tiny-cycle',
    data: { a: { use: 'tiny/blobs', options: { size: 24 } }, b: { use: 'tiny/blobs', options: { size: 20, offset: 128 } } },
    models: {
      g_ab: { use: 'tiny/dense-translator' },
      g_ba: { use: 'tiny/dense-translator' },
      d_a: { use: 'tiny/dense-discriminator' },
      d_b: { use: 'tiny/dense-discriminator' },
    },
    objective: { use: 'tiny/cycle' },
    training: { batchSize: 4, steps: 12, seed: 3, backend: 'cpu', ...overrides.training },
    output: { sampleCount: 4, ...overrides.output },
  };
}
