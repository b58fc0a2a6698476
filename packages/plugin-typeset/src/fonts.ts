/**
 * The fonts the digits are typeset in, and the one place this plugin touches the file system: each font is
 * a TTF file of an npm dependency, found with Node's module resolution and parsed with opentype.js. Only the
 * outlines of the ten digits are kept (flattened to polygons), once per process and font.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GanforgeError } from '@ganforge/core';
import type { Font } from 'opentype.js';
import { flattenPath, type Outline, type PathCommand } from './raster.js';

const require = createRequire(import.meta.url);

export type FontStyle = 'sans' | 'serif' | 'slab' | 'mono' | 'condensed' | 'display';

export interface FontInfo {
  /** The id used in the dataset's `fonts` option. */
  id: string;
  family: string;
  style: FontStyle;
  /** The npm package that ships the file, and the file inside it. */
  package: string;
  file: string;
  license: string;
}

const expo = (id: string, family: string, style: FontStyle, file: string, license = 'OFL-1.1'): FontInfo => ({
  id,
  family,
  style,
  package: `@expo-google-fonts/${id}`,
  file: `400Regular/${file}_400Regular.ttf`,
  license,
});
const dejavu = (id: string, family: string, style: FontStyle, file: string): FontInfo => ({
  id,
  family,
  style,
  package: 'dejavu-fonts-ttf',
  file: `ttf/${file}.ttf`,
  license: 'Bitstream Vera / DejaVu (permissive)',
});

/** Every font, regular weight (stroke weight is jittered by the renderer). Handwriting fonts are left out on purpose. */
export const FONTS: readonly FontInfo[] = [
  expo('roboto', 'Roboto', 'sans', 'Roboto'),
  expo('open-sans', 'Open Sans', 'sans', 'OpenSans'),
  expo('lato', 'Lato', 'sans', 'Lato'),
  expo('montserrat', 'Montserrat', 'sans', 'Montserrat'),
  expo('nunito', 'Nunito', 'sans', 'Nunito'),
  expo('oswald', 'Oswald', 'condensed', 'Oswald'),
  expo('merriweather', 'Merriweather', 'serif', 'Merriweather'),
  expo('lora', 'Lora', 'serif', 'Lora'),
  expo('pt-serif', 'PT Serif', 'serif', 'PTSerif'),
  expo('libre-baskerville', 'Libre Baskerville', 'serif', 'LibreBaskerville'),
  expo('playfair-display', 'Playfair Display', 'display', 'PlayfairDisplay'),
  expo('roboto-slab', 'Roboto Slab', 'slab', 'RobotoSlab', 'Apache-2.0'),
  expo('source-code-pro', 'Source Code Pro', 'mono', 'SourceCodePro'),
  dejavu('dejavu-sans', 'DejaVu Sans', 'sans', 'DejaVuSans'),
  dejavu('dejavu-serif', 'DejaVu Serif', 'serif', 'DejaVuSerif'),
  dejavu('dejavu-sans-mono', 'DejaVu Sans Mono', 'mono', 'DejaVuSansMono'),
];

export const FONT_IDS = FONTS.map((f) => f.id);

/** The ten digit outlines of one font, in em units, y down, origin on the baseline. */
export interface DigitOutlines {
  font: FontInfo;
  digits: Outline[];
}

const loaded = new Map<string, DigitOutlines>();

/** The digit outlines of a font, read and parsed once per process. Problems are GF_DATA errors. */
export function loadFont(font: FontInfo): DigitOutlines {
  let outlines = loaded.get(font.id);
  if (!outlines) {
    outlines = { font, digits: digitOutlines(parseFont(font), font) };
    loaded.set(font.id, outlines);
  }
  return outlines;
}

function parseFont(font: FontInfo): Font {
  let file: string;
  try {
    file = require.resolve(`${font.package}/${font.file}`);
  } catch (cause) {
    throw new GanforgeError('GF_DATA', `The font ${font.family} cannot be found: the npm package "${font.package}" (or its file ${font.file}) is not installed.`, {
      hint: `Reinstall @ganforge/plugin-typeset (it depends on "${font.package}"), or leave "${font.id}" out of the "fonts" option.`,
      cause,
    });
  }
  try {
    const bytes = readFileSync(file);
    const opentype = require('opentype.js') as typeof import('opentype.js');
    return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { lowMemory: true });
  } catch (cause) {
    throw new GanforgeError('GF_DATA', `The font file ${file} (${font.family}) cannot be read as a font.`, {
      file,
      hint: `The package "${font.package}" looks damaged: reinstall it, or leave "${font.id}" out of the "fonts" option.`,
      cause,
    });
  }
}

function digitOutlines(parsed: Font, font: FontInfo): Outline[] {
  const em = parsed.unitsPerEm || 1000;
  return [...'0123456789'].map((char) => {
    const glyph = parsed.charToGlyph(char);
    // getPath(x, y, size) gives y-down coordinates; size = unitsPerEm keeps font units, divided to em below.
    const commands = glyph.getPath(0, 0, em).commands as PathCommand[];
    const outline = flattenPath(commands, 1 / em);
    if (glyph.index === 0 || outline.length === 0) {
      throw new GanforgeError('GF_DATA', `The font ${font.family} has no glyph for the digit ${char}.`, { hint: `Leave "${font.id}" out of the "fonts" option.` });
    }
    return outline;
  });
}
