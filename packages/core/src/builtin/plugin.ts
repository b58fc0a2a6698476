/**
 * The core's own entries, registered as an ordinary plugin under the namespace "core" (Vite keeps its
 * built-in features as internal plugins the same way): generic losses and datasets every variant may use.
 */
import { imageFolderDataset } from '../data/image-folder.js';
import { l1Loss } from '../losses/l1.js';
import { minimaxLoss } from '../losses/minimax.js';
import { mseLoss } from '../losses/mse.js';
import { nonSaturatingLoss } from '../losses/non-saturating.js';
import { definePlugin } from '../plugin/define.js';
import { PLUGIN_API_VERSION } from '../plugin/types.js';
import { CORE_VERSION } from '../version.js';

export const corePlugin = definePlugin({
  meta: { name: '@ganforge/core', version: CORE_VERSION, namespace: 'core', core: '*', apiVersion: PLUGIN_API_VERSION },
  losses: { minimax: minimaxLoss, 'non-saturating': nonSaturatingLoss, l1: l1Loss, mse: mseLoss },
  datasets: { 'image-folder': imageFolderDataset },
  augmentations: {},
});
