/**
 * How an image and its paired image relate in size: equal, or one an integer factor r smaller on both
 * sides. Windows of the pair are the image's windows scaled by that factor, so they show the same scene:
 * when the pair is smaller, windows of the image start at multiples of r (a window between two pair pixels
 * has no pair window).
 */
import { GanforgeError } from '../errors.js';

/** pair side = image side · num / den; one of num, den is 1. */
export interface PairRatio {
  num: number;
  den: number;
}

export const describeRatio = ({ num, den }: PairRatio) => (num === den ? 'the same size' : num > den ? `${num}x larger` : `${den}x smaller`);

const integerRatio = (big: [number, number], small: [number, number]): number | undefined => {
  const r = big[0] / small[0];
  return Number.isInteger(r) && big[1] === small[1] * r ? r : undefined;
};

/** The ratio of a pair's size to its image's, or undefined when no integer factor relates them. */
export function measureRatio(width: number, height: number, pairWidth: number, pairHeight: number): PairRatio | undefined {
  const down = integerRatio([width, height], [pairWidth, pairHeight]);
  if (down !== undefined) return { num: 1, den: down };
  const up = integerRatio([pairWidth, pairHeight], [width, height]);
  return up !== undefined ? { num: up, den: 1 } : undefined;
}

/** A length of the image in pair pixels (exact: callers check divisibility). */
export const toPair = (length: number, { num, den }: PairRatio) => (length * num) / den;

/**
 * The offset of a window of `window` pixels in an image side of `side` pixels: random (from `u` in [0, 1)) or
 * centered, on the grid of `den` image pixels so the pair window starts on a pair pixel too. With den 1 it
 * is floor(u · (side − window + 1)) or the centered floor((side − window) / 2), as for unpaired images.
 */
export function windowOffset(side: number, window: number, den: number, u: number | undefined): number {
  const positions = Math.floor((side - window) / den);
  return den * (u === undefined ? Math.floor(positions / 2) : Math.floor(u * (positions + 1)));
}

/** A window size of the image that the pair cannot match pixel for pixel is a setting mistake. */
export function checkWindow(window: number, ratio: PairRatio, option: string, where: string): void {
  if (window % ratio.den !== 0) {
    throw new GanforgeError('GF_DATA', `options.${option} ${window} is not a multiple of ${ratio.den}, but the pairs of ${where} are ${ratio.den}x smaller than the images: a ${window}-pixel window would have no pair window.`, {
      hint: `Set options.${option} to a multiple of ${ratio.den} (e.g. ${Math.max(ratio.den, window - (window % ratio.den))}).`,
    });
  }
}
