/**
 * Index arithmetic shared by the convolution gradient kernels.
 *
 * A strided convolution's input gradient splits into `s*s` "phases" (sub-pixel decomposition): the
 * input rows `ih = q*s + r` of phase `r` receive contributions only from the filter taps
 * `kh = j*s + c_r`, so each phase is an ordinary stride-1 convolution of `dy` with a sub-filter,
 * and the phases interleave into the result. For stride 1 there is one phase and the sub-filter is
 * the flipped filter (dilated by the forward dilation).
 */
export interface Phase {
  /** Number of taps of the sub-filter along this axis (0: the phase receives nothing). */
  taps: number;
  /** Filter index of sub-filter tap t. */
  tap(t: number): number;
  /** Padding of dy before/after for the stride-1 convolution (negative: crop dy). */
  padBefore: number;
  padAfter: number;
  /** Output rows of this phase: ih = q*stride + r for q < count. */
  count: number;
  /** floor((r + padTop) / stride): row q of the phase reads dy rows q + m - j. */
  m: number;
}

/**
 * One axis of one phase.
 * @param r phase (0 <= r < stride)
 * @param stride forward stride
 * @param dilation forward dilation (only with stride 1)
 * @param k filter size
 * @param padTop forward padding before
 * @param inSize forward input size (size of dx)
 * @param outSize forward output size (size of dy)
 */
export function phase(r: number, stride: number, dilation: number, k: number, padTop: number, inSize: number, outSize: number): Phase {
  const c = (r + padTop) % stride;
  const m = Math.floor((r + padTop) / stride);
  const taps = c < k ? Math.ceil((k - c) / stride) : 0;
  const count = Math.max(0, Math.ceil((inSize - r) / stride));
  const padBefore = (taps - 1) * dilation - m;
  const padAfter = count - outSize - padBefore + (taps - 1) * dilation;
  return { taps, tap: (t) => (taps - 1 - t) * stride + c, padBefore, padAfter, count, m };
}
