/// <reference lib="dom" />
/**
 * Images for the page: sample grids as ImageData (put them on a canvas), and files the user drops in
 * (File / Blob) as an image folder in the host's storage, which `core/image-folder` reads like a folder
 * on disk (PNG and JPEG, decoded in pure JavaScript).
 */
import { joinPath } from '../host/paths.js';
import type { Storage } from '../host/types.js';
import { gridPixels, type ImageBatch } from '../run/png.js';

/** A grid of the batch's images, 1 pixel apart (`columns` default: the batch's own, else a square). */
export function gridImageData(batch: ImageBatch, columns?: number): ImageData {
  const { width, height, rgba } = gridPixels(batch, columns);
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height);
}

/** Draw the grid on a canvas, each pixel `zoom` times (the canvas is resized to fit). */
export function drawGrid(canvas: HTMLCanvasElement | OffscreenCanvas, batch: ImageBatch, zoom = 1, columns?: number): void {
  const image = gridImageData(batch, columns);
  canvas.width = image.width * zoom;
  canvas.height = image.height * zoom;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  if (zoom === 1) {
    context.putImageData(image, 0, 0);
    return;
  }
  const scratch = new OffscreenCanvas(image.width, image.height);
  scratch.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

/**
 * Files dropped in by the user, written under `folder` of the storage (sub-folder names kept when given as
 * [path, blob] pairs), ready for a spec's { "use": "core/image-folder", "options": { "path": folder } }.
 */
export async function addImageFiles(storage: Storage, folder: string, files: Iterable<File | Blob | [string, Blob]>): Promise<string[]> {
  const written: string[] = [];
  let i = 0;
  for (const item of files) {
    const [name, blob] = Array.isArray(item) ? item : [(item as File).name ?? `image-${i}.png`, item];
    const path = joinPath(folder, name);
    await storage.write(path, new Uint8Array(await blob.arrayBuffer()));
    written.push(path);
    i++;
  }
  return written;
}
