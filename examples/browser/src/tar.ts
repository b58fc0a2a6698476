/** Files into one uncompressed tar (ustar), so the exported generator downloads as one file: `tar xf generator.tar`. */
export function tarFiles(files: [string, Uint8Array][], folder: string): Uint8Array {
  const blocks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const field = (header: Uint8Array, offset: number, length: number, text: string) => header.set(encoder.encode(text).subarray(0, length), offset);
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  for (const [name, data] of files) {
    const header = new Uint8Array(512);
    field(header, 0, 100, `${folder}/${name}`);
    field(header, 100, 8, octal(0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(data.length, 12));
    field(header, 136, 12, octal(Math.floor(Date.now() / 1000), 12));
    field(header, 148, 8, '        ');
    field(header, 156, 1, '0');
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    const sum = header.reduce((a, b) => a + b, 0);
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of blocks) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}
