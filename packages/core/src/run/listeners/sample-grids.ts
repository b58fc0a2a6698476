/** Every `output.sampleEvery` steps (and at the last), a PNG grid from the run's fixed noise: samples/step-N.png, then a "sample" event. */
import type { RunListener } from '../../engine/lifecycle.js';
import { canSample, drawSamples } from '../../engine/sampling.js';
import { joinPath } from '../../host/paths.js';
import { encodeGrid } from '../png.js';

export function sampleGridListener(): RunListener {
  return {
    name: 'sample grids',
    async step({ step, totalSteps }, run) {
      if (step % run.settings.sampleEvery !== 0 && step !== totalSteps) return;
      if (!canSample(run.built)) return;
      const images = await drawSamples(run, run.settings.sampleCount);
      const file = joinPath(run.runDir, 'samples', `step-${String(step).padStart(9, '0')}.png`);
      await run.storage.write(file, encodeGrid(images));
      await run.emit('sample', { step, file, images });
    },
  };
}
