/**
 * The floor of the quality table: real training digits scored like a generator, against the same held-out
 * digits and with the same metrics, N and extractor. A perfect generator would score about this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator, type EvaluationProtocol } from '../../packages/core/src/eval/evaluator.js';
import { openStreams, type EvalReport } from '../../packages/core/src/eval/evaluate-run.js';
import * as tf from '../../packages/core/src/engine/tf.js';
import { nodeStorage } from '../../packages/core/src/node/index.js';
import { PluginDriver } from '../../packages/core/src/plugin/driver.js';
import type { ResolvedSpec } from '../../packages/core/src/spec/types.js';
import { validateSpec } from '../../packages/core/src/spec/validate.js';

const silent = { info() {}, warn() {}, debug() {} };

export async function referenceFloor(report: EvalReport, root: string): Promise<{ fid: number; kid: number; kidStd: number; coverage: number; confident: number }> {
  const saved = JSON.parse(readFileSync(join(report.run, 'spec.json'), 'utf8')) as ResolvedSpec;
  const metrics = { fid: { use: 'eval/fid', options: {} }, kid: { use: 'eval/kid', options: {} }, coverage: { use: 'eval/coverage', options: {} } };
  const plugins = saved.plugins.includes('eval') ? saved.plugins : [...saved.plugins, 'eval'];
  const { spec, registry, specDir } = await validateSpec({ ...saved, plugins, evaluation: { samples: (report.protocol as EvaluationProtocol).nReal, metrics } }, { cwd: root });
  const driver = new PluginDriver(registry);
  const streams = await openStreams(spec, driver, specDir, nodeStorage(root), silent);
  const evaluator = await Evaluator.create({ tf, spec, driver, streams, n: (report.protocol as EvaluationProtocol).nReal, log: silent });
  try {
    // Training digits in the stream's shuffled order: batches of the training split, never the held-out ones.
    const stream = streams[evaluator.reference.stream]!;
    const [, h, w, c] = evaluator.reference.shape;
    const data = new Float32Array(evaluator.n * h * w * c);
    for (let filled = 0; filled < evaluator.n; ) {
      const batch = stream.take();
      const count = Math.min(batch.shape[0], evaluator.n - filled);
      data.set(batch.x.subarray(0, count * h * w * c), filled * h * w * c);
      filled += count;
    }
    const values = await evaluator.evaluate({ data, shape: [evaluator.n, h, w, c] });
    return { fid: values.fid!.value!, kid: values.kid!.value!, kidStd: values.kid!.std!, coverage: values.coverage!.value!, confident: values.coverage!.confident! };
  } finally {
    evaluator.dispose();
    await Promise.all(Object.values(streams).map((s) => s.close()));
  }
}
