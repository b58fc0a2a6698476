/**
 * @ganforge/plugin-srgan: SRResNet and SRGAN (Ledig et al. 2017) single-image super-resolution for ganforge:
 * "srgan/srresnet" (the upscaling generator), "srgan/discriminator", the objectives "srgan/srresnet"
 * (content loss only) and "srgan/srgan" (content + adversarial), and the custom layer PixelShuffle
 * (registered with the host's tf, so exported upscalers reload).
 */
import { readFileSync } from 'node:fs';
import { definePlugin } from '@ganforge/core';
import { photosDataset } from './data/photos.js';
import { discriminator } from './discriminator.js';
import { srganLayers } from './layers.js';
import { perceptualLossEntry } from './losses/perceptual.js';
import { psnrMetric, ssimMetric } from './metrics/entries.js';
import { srganObjective, srresnetObjective } from './objective.js';
import { srresnet } from './srresnet.js';

export { srganLayers, pixelShuffle, type SrganLayers, type PixelShuffleArgs } from './layers.js';
export { PHOTOS, HELD_OUT_PHOTOS, TRAINING_PHOTOS, photoFile, type PhotoName } from './data/photos.js';
export { perceptualLoss } from './losses/perceptual.js';
export { buildPhotoFeatures, loadPhotoFeatures, FEATURE_TAPS, type FeatureTap } from './features/photo-features.js';
export { psnrY, ssimY, lumaPlane, to8bit, type Image8 } from './metrics/fidelity.js';
export { bicubicResize, bicubicDownsample, resizeMatrix, cubic, type Border } from './bicubic.js';

// src/ and dist/ sit at the same depth below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export default definePlugin({
  meta: { name: pkg.name, version: pkg.version, namespace: 'srgan', core: '^0.1.0', apiVersion: 1 },
  architectures: { srresnet, discriminator },
  objectives: { srresnet: srresnetObjective, srgan: srganObjective },
  datasets: { photos: photosDataset },
  losses: { perceptual: perceptualLossEntry },
  metrics: { psnr: psnrMetric, ssim: ssimMetric },
  layers: (tf) => [srganLayers(tf).PixelShuffle],
});
