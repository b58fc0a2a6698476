// Lists the kernels each probe GAN step dispatches (profiled on cpu) and which are missing on wasm,
// then runs each step on wasm to see what fails. Usage: node --import tsx bench/probe-kernels.ts [--train-kernels]
import { tf } from './lib/tf.ts';
import { GAN_STEPS } from './lib/gan-steps.ts';

const { registerTrainingGradients } = await import('../packages/core/src/engine/wasm/gradients.ts');
registerTrainingGradients();
const withKernels = process.argv.includes('--train-kernels');
if (withKernels) {
  const { registerWasmTrainingKernels } = await import('../packages/core/src/engine/wasm/register.ts');
  registerWasmTrainingKernels(tf);
}
const report: Record<string, unknown> = {};
for (const [name, make] of Object.entries(GAN_STEPS)) {
  await tf.setBackend('cpu');
  const s = make();
  s.step(0);
  const prof = await tf.profile(() => { s.step(1); });
  s.dispose();
  const kernels = [...new Set(prof.kernelNames)].sort();
  const missing = kernels.filter((k) => !tf.getKernel(k, 'wasm'));
  await tf.setBackend('wasm');
  let error: string | undefined;
  try {
    const w = make();
    for (let i = 0; i < 2; i++) w.step(i);
    w.dispose();
  } catch (e) {
    error = String((e as Error).message).slice(0, 300);
  }
  report[name] = { kernels, missingOnWasm: missing, wasmError: error };
}
console.log(JSON.stringify(report, null, 1));
