/**
 * TensorBoard scalars through tfjs-node's summary writer, when tfjs-node is installed (an optional peer).
 * Without it the run says so once and carries on.
 */
import type { Logger } from '../plugin/types.js';

export interface ScalarWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

export async function openTensorBoard(dir: string, log: Logger): Promise<ScalarWriter | undefined> {
  const specifier = '@tensorflow/tfjs-node'; // a variable, so bundlers leave the optional peer alone
  try {
    const tfnode = (await import(specifier)) as { node: { summaryFileWriter(dir: string): ScalarWriter } };
    return tfnode.node.summaryFileWriter(dir);
  } catch {
    log.warn('output.tensorboard needs @tensorflow/tfjs-node, which is not installed; TensorBoard scalars are skipped (metrics.jsonl has the same values).');
    return undefined;
  }
}
