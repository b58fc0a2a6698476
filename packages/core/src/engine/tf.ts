/**
 * The one tfjs namespace of the process (core ops + layers). Plugins receive this object in every context
 * and never import tfjs themselves: a second copy of tfjs-core has its own kernel and layer registries.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
