/**
 * Small, deterministic GAN training steps used to (a) discover which kernels a
 * training step dispatches on a backend, (b) compare losses between backends
 * and (c) benchmark. Every step builds its weights from seeded initialisers and
 * draws its inputs from seeded random ops, so the same step run on two
 * backends sees bit-identical weights and inputs.
 *
 * The nets use plain tfjs-core ops on explicit variables (no tfjs-layers), so
 * the dispatched kernels are those of the ops themselves. A second GAN
 * implementation, so it lives here and not in the core's sources; users:
 * bench dcgan-step and probe-kernels, and the core's wasm training-steps test.
 */
// The core's one tfjs namespace: core ops plus tfjs-layers, whose bundle registers the gradients (tfjs-core's
// node bundle registers none). A .js specifier, so test/'s tsconfig can check this file too.
import * as tf from '../../packages/core/src/engine/tf.js';
import type { Optimizer, Scalar, Tensor, Tensor2D, Tensor4D, Variable } from '../../packages/core/src/engine/tf.js';

export interface GanStep {
  /** Runs one full training step (all updates) and returns its losses. */
  step(i: number): number[];
  dispose(): void;
}

type T4 = Tensor4D;

class Params {
  readonly vars: Variable[] = [];
  private n = 0;
  constructor(private readonly seed: number) {}
  /** Glorot-uniform like initialiser with a per-parameter seed. */
  w(shape: number[], fanIn: number, fanOut: number): Variable {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    const v = tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', this.seed * 1000 + this.n++));
    this.vars.push(v);
    return v;
  }
  conv(k: number, cin: number, cout: number): Variable {
    return this.w([k, k, cin, cout], k * k * cin, k * k * cout);
  }
  convT(k: number, cin: number, cout: number): Variable {
    // conv2dTranspose filters are [k, k, outChannels, inChannels]
    return this.w([k, k, cout, cin], k * k * cin, k * k * cout);
  }
  const(shape: number[], value: number): Variable {
    const v = tf.variable(tf.fill(shape, value));
    this.vars.push(v);
    this.n++;
    return v;
  }
}

/**
 * tfjs has no stopGradient op; with an explicit variable list the tape only differentiates paths from
 * those variables, so a tensor computed from other variables is already constant for that update.
 */
const detach = <X extends Tensor>(x: X): X => x;

const lrelu = (x: Tensor) => tf.leakyRelu(x, 0.2);

/** Training-mode batch norm over all axes but the last, with scale and offset. */
function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, eps);
}

/** Instance norm (per sample, per channel over H and W), with scale and offset. */
function instanceNorm(x: T4, gamma: Tensor, beta: Tensor, eps = 1e-5): T4 {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as T4;
}

const reflect = (x: T4, p: number): T4 =>
  tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');

function bce(logits: Tensor, label: 0 | 1): Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as Scalar;
}

function minimize(opt: Optimizer, vars: Variable[], f: () => Scalar): number {
  const cost = opt.minimize(f, true, vars)!;
  const v = cost.dataSync()[0]!;
  cost.dispose();
  return v;
}

function disposeAll(...groups: { vars: Variable[] }[]) {
  for (const g of groups) for (const v of g.vars) v.dispose();
}

// ---------------------------------------------------------------------------
// DCGAN (the benchmark nets of shared/bench/torch_dcgan.py)

export interface DcganOptions {
  batch?: number;
  /** Image side; must be divisible by 4 (28 in the benchmark). */
  size?: number;
  z?: number;
  /** Channel widths of G's first convT input and D's second conv (128 in the benchmark). */
  width?: number;
  seed?: number;
}

export function dcganStep(opts: DcganOptions = {}): GanStep {
  const B = opts.batch ?? 64, S = opts.size ?? 28, Z = opts.z ?? 100, W = opts.width ?? 128;
  const s4 = S / 4;
  const seed = opts.seed ?? 1;
  const g = new Params(seed), d = new Params(seed + 1);
  const gDense = g.w([Z, s4 * s4 * W], Z, s4 * s4 * W);
  const gBn1g = g.const([W], 1), gBn1b = g.const([W], 0);
  const gT1 = g.convT(4, W, W / 2);
  const gBn2g = g.const([W / 2], 1), gBn2b = g.const([W / 2], 0);
  const gT2 = g.convT(4, W / 2, 1), gT2b = g.const([1], 0);
  const dC1 = d.conv(4, 1, W / 2), dC1b = d.const([W / 2], 0);
  const dC2 = d.conv(4, W / 2, W), dC2b = d.const([W], 0);
  const dDense = d.w([s4 * s4 * W, 1], s4 * s4 * W, 1), dDenseB = d.const([1], 0);

  const G = (z: Tensor2D): T4 => {
    let h: Tensor = tf.reshape(tf.matMul(z, gDense), [B, s4, s4, W]);
    h = lrelu(batchNorm(h, gBn1g, gBn1b));
    h = tf.conv2dTranspose(h as T4, gT1 as Tensor4D, [B, S / 2, S / 2, W / 2], 2, 'same');
    h = lrelu(batchNorm(h, gBn2g, gBn2b));
    h = tf.add(tf.conv2dTranspose(h as T4, gT2 as Tensor4D, [B, S, S, 1], 2, 'same'), gT2b);
    return tf.tanh(h) as T4;
  };
  const D = (x: T4): Tensor2D => {
    let h: Tensor = lrelu(tf.add(tf.conv2d(x, dC1 as Tensor4D, 2, 'same'), dC1b));
    h = lrelu(tf.add(tf.conv2d(h as T4, dC2 as Tensor4D, 2, 'same'), dC2b));
    return tf.add(tf.matMul(tf.reshape(h, [B, s4 * s4 * W]), dDense), dDenseB) as Tensor2D;
  };
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const real = tf.keep(tf.randomUniform([B, S, S, 1], -1, 1, 'float32', seed + 7)) as T4;

  return {
    step(i) {
      return tf.tidy(() => {
        const z = tf.randomNormal([B, Z], 0, 1, 'float32', seed * 7919 + i) as Tensor2D;
        const ld = minimize(dOpt, d.vars, () =>
          tf.add(bce(D(real), 1), bce(D(detach(G(z)) as T4), 0)) as Scalar);
        const lg = minimize(gOpt, g.vars, () => bce(D(G(z)), 1));
        return [ld, lg];
      });
    },
    dispose() {
      disposeAll(g, d);
      real.dispose();
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

// ---------------------------------------------------------------------------
// WGAN-GP: critic loss with gradient penalty (gradient of a gradient)

export function wganGpStep(opts: { batch?: number; seed?: number } = {}): GanStep {
  const B = opts.batch ?? 4, S = 8, Z = 16, C = 8;
  const seed = opts.seed ?? 3;
  const g = new Params(seed), d = new Params(seed + 1);
  const gDense = g.w([Z, 2 * 2 * 2 * C], Z, 8 * C);
  const gBng = g.const([2 * C], 1), gBnb = g.const([2 * C], 0);
  const gT1 = g.convT(4, 2 * C, C);
  const gT2 = g.convT(3, C, 1), gT2b = g.const([1], 0);
  const dC1 = d.conv(3, 1, C), dC1b = d.const([C], 0);
  const dC2 = d.conv(3, C, 2 * C), dC2b = d.const([2 * C], 0);
  const dDense = d.w([2 * 2 * 2 * C, 1], 8 * C, 1), dDenseB = d.const([1], 0);
  const G = (z: Tensor2D): T4 => {
    let h: Tensor = tf.reshape(tf.matMul(z, gDense), [B, 2, 2, 2 * C]);
    h = tf.relu(batchNorm(h, gBng, gBnb));
    h = tf.relu(tf.conv2dTranspose(h as T4, gT1 as T4, [B, 4, 4, C], 2, 'same'));
    h = tf.add(tf.conv2dTranspose(h as T4, gT2 as T4, [B, S, S, 1], 2, 'same'), gT2b);
    return tf.tanh(h) as T4;
  };
  const D = (x: T4): Tensor2D => {
    let h: Tensor = lrelu(tf.add(tf.conv2d(x, dC1 as T4, 2, 'same'), dC1b));
    h = lrelu(tf.add(tf.conv2d(h as T4, dC2 as T4, 2, 'same'), dC2b));
    return tf.add(tf.matMul(tf.reshape(h, [B, 8 * C]), dDense), dDenseB) as Tensor2D;
  };
  const gOpt = tf.train.adam(1e-4, 0.0, 0.9);
  const dOpt = tf.train.adam(1e-4, 0.0, 0.9);
  const real = tf.keep(tf.randomUniform([B, S, S, 1], -1, 1, 'float32', seed + 7)) as T4;
  return {
    step(i) {
      return tf.tidy(() => {
        const z = tf.randomNormal([B, Z], 0, 1, 'float32', seed * 7919 + i) as Tensor2D;
        const alpha = tf.randomUniform([B, 1, 1, 1], 0, 1, 'float32', seed * 31 + i);
        const ld = minimize(dOpt, d.vars, () => {
          const fake = detach(G(z)) as T4;
          const xhat = tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake)) as T4;
          const dx = tf.grad((x: Tensor) => tf.sum(D(x as T4)))(xhat);
          const norm = tf.sqrt(tf.add(tf.sum(tf.square(dx), [1, 2, 3]), 1e-12));
          const gp = tf.mean(tf.square(tf.sub(norm, 1)));
          return tf.add(tf.sub(tf.mean(D(fake)), tf.mean(D(real))), tf.mul(10, gp)) as Scalar;
        });
        const lg = minimize(gOpt, g.vars, () => tf.neg(tf.mean(D(G(z)))) as Scalar);
        return [ld, lg];
      });
    },
    dispose() {
      disposeAll(g, d);
      real.dispose();
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

// ---------------------------------------------------------------------------
// CycleGAN (tiny): reflection pad, instance norm, residual block, convT, PatchGAN

export function cycleganStep(opts: { batch?: number; seed?: number } = {}): GanStep {
  const B = opts.batch ?? 2, S = 12, C = 4;
  const seed = opts.seed ?? 5;
  const makeG = (p: Params) => {
    const c0 = p.conv(7, 3, C), n0g = p.const([C], 1), n0b = p.const([C], 0);
    const c1 = p.conv(3, C, 2 * C), n1g = p.const([2 * C], 1), n1b = p.const([2 * C], 0);
    const r1 = p.conv(3, 2 * C, 2 * C), rn1g = p.const([2 * C], 1), rn1b = p.const([2 * C], 0);
    const r2 = p.conv(3, 2 * C, 2 * C), rn2g = p.const([2 * C], 1), rn2b = p.const([2 * C], 0);
    const t1 = p.convT(3, 2 * C, C), tn1g = p.const([C], 1), tn1b = p.const([C], 0);
    const c2 = p.conv(7, C, 3), c2b = p.const([3], 0);
    return (x: T4): T4 => {
      let h = tf.relu(instanceNorm(tf.conv2d(reflect(x, 3), c0 as T4, 1, 'valid'), n0g, n0b)) as T4;
      h = tf.relu(instanceNorm(tf.conv2d(h, c1 as T4, 2, 'same'), n1g, n1b)) as T4;
      let r = tf.relu(instanceNorm(tf.conv2d(reflect(h, 1), r1 as T4, 1, 'valid'), rn1g, rn1b)) as T4;
      r = instanceNorm(tf.conv2d(reflect(r, 1), r2 as T4, 1, 'valid'), rn2g, rn2b);
      h = tf.add(h, r) as T4;
      h = tf.relu(instanceNorm(tf.conv2dTranspose(h, t1 as T4, [B, S, S, C], 2, 'same'), tn1g, tn1b)) as T4;
      return tf.tanh(tf.add(tf.conv2d(reflect(h, 3), c2 as T4, 1, 'valid'), c2b)) as T4;
    };
  };
  const makeD = (p: Params) => {
    const c0 = p.conv(4, 3, C), c0b = p.const([C], 0);
    const c1 = p.conv(4, C, 2 * C), n1g = p.const([2 * C], 1), n1b = p.const([2 * C], 0);
    const c2 = p.conv(3, 2 * C, 1), c2b = p.const([1], 0);
    return (x: T4): T4 => {
      let h = lrelu(tf.add(tf.conv2d(x, c0 as T4, 2, 'same'), c0b)) as T4;
      h = lrelu(instanceNorm(tf.conv2d(h, c1 as T4, 1, 'same'), n1g, n1b)) as T4;
      return tf.add(tf.conv2d(h, c2 as T4, 1, 'valid'), c2b) as T4;
    };
  };
  const pg = new Params(seed), pf = new Params(seed + 1), pd = new Params(seed + 2);
  const Gab = makeG(pg), Gba = makeG(pf), Db = makeD(pd);
  const gVars = [...pg.vars, ...pf.vars];
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const a = tf.keep(tf.randomUniform([B, S, S, 3], -1, 1, 'float32', seed + 7)) as T4;
  const b = tf.keep(tf.randomUniform([B, S, S, 3], -1, 1, 'float32', seed + 8)) as T4;
  return {
    step() {
      return tf.tidy(() => {
        const lg = minimize(gOpt, gVars, () => {
          const fakeB = Gab(a);
          const adv = tf.mean(tf.square(tf.sub(Db(fakeB), 1)));
          const cyc = tf.mean(tf.abs(tf.sub(Gba(fakeB), a)));
          const idt = tf.mean(tf.abs(tf.sub(Gab(b), b)));
          return tf.add(adv, tf.add(tf.mul(10, cyc), tf.mul(5, idt))) as Scalar;
        });
        const ld = minimize(dOpt, pd.vars, () => {
          const fakeB = detach(Gab(a)) as T4;
          return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(Db(b), 1))), tf.mean(tf.square(Db(fakeB))))) as Scalar;
        });
        return [ld, lg];
      });
    },
    dispose() {
      disposeAll(pg, pf, pd);
      a.dispose();
      b.dispose();
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

// ---------------------------------------------------------------------------
// SRGAN (tiny): PReLU, residual block with BN, pixel shuffle (depthToSpace)

export function srganStep(opts: { batch?: number; seed?: number } = {}): GanStep {
  const B = opts.batch ?? 2, S = 6, C = 8;
  const seed = opts.seed ?? 9;
  const g = new Params(seed), d = new Params(seed + 1);
  const c0 = g.conv(5, 3, C), c0b = g.const([C], 0), a0 = g.const([1, 1, C], 0.25);
  const r1 = g.conv(3, C, C), rb1g = g.const([C], 1), rb1b = g.const([C], 0), ra = g.const([1, 1, C], 0.25);
  const r2 = g.conv(3, C, C), rb2g = g.const([C], 1), rb2b = g.const([C], 0);
  const up = g.conv(3, C, 4 * C), upb = g.const([4 * C], 0), ua = g.const([1, 1, C], 0.25);
  const c1 = g.conv(5, C, 3), c1b = g.const([3], 0);
  const dc0 = d.conv(3, 3, C), dc0b = d.const([C], 0);
  const dc1 = d.conv(3, C, 2 * C), dbg = d.const([2 * C], 1), dbb = d.const([2 * C], 0);
  const dd = d.w([6 * 6 * 2 * C, 1], 72 * C, 1), ddb = d.const([1], 0);
  const G = (x: T4): T4 => {
    const h0 = tf.prelu(tf.add(tf.conv2d(x, c0 as T4, 1, 'same'), c0b) as T4, a0 as Tensor as T4) as T4;
    let r = tf.prelu(batchNorm(tf.conv2d(h0, r1 as T4, 1, 'same'), rb1g, rb1b), ra) as T4;
    r = batchNorm(tf.conv2d(r, r2 as T4, 1, 'same'), rb2g, rb2b) as T4;
    let h = tf.add(h0, r) as T4;
    h = tf.add(tf.conv2d(h, up as T4, 1, 'same'), upb) as T4;
    h = tf.prelu(tf.depthToSpace(h, 2, 'NHWC'), ua as Tensor as T4) as T4;
    return tf.tanh(tf.add(tf.conv2d(h, c1 as T4, 1, 'same'), c1b)) as T4;
  };
  const D = (x: T4): Tensor2D => {
    let h = lrelu(tf.add(tf.conv2d(x, dc0 as T4, 1, 'same'), dc0b)) as T4;
    h = lrelu(batchNorm(tf.conv2d(h, dc1 as T4, 2, 'same'), dbg, dbb)) as T4;
    return tf.add(tf.matMul(tf.reshape(h, [B, 6 * 6 * 2 * C]), dd), ddb) as Tensor2D;
  };
  const gOpt = tf.train.adam(1e-4, 0.9, 0.999);
  const dOpt = tf.train.adam(1e-4, 0.9, 0.999);
  const lr = tf.keep(tf.randomUniform([B, S, S, 3], -1, 1, 'float32', seed + 7)) as T4;
  const hr = tf.keep(tf.randomUniform([B, 2 * S, 2 * S, 3], -1, 1, 'float32', seed + 8)) as T4;
  return {
    step() {
      return tf.tidy(() => {
        const ld = minimize(dOpt, d.vars, () =>
          tf.add(bce(D(hr), 1), bce(D(detach(G(lr)) as T4), 0)) as Scalar);
        const lg = minimize(gOpt, g.vars, () => {
          const sr = G(lr);
          return tf.add(tf.losses.meanSquaredError(hr, sr), tf.mul(1e-3, bce(D(sr), 1))) as Scalar;
        });
        return [ld, lg];
      });
    },
    dispose() {
      disposeAll(g, d);
      lr.dispose();
      hr.dispose();
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

export const GAN_STEPS = {
  dcgan: (o?: DcganOptions) => dcganStep({ batch: 4, size: 8, z: 8, width: 8, ...o }),
  'wgan-gp': wganGpStep,
  cyclegan: cycleganStep,
  srgan: srganStep,
} as const;
