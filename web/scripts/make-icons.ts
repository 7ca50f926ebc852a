/**
 * Writes the PWA's PNG icons (a calendar with a tick on the brand blue) without any image
 * library: plain RGBA pixels, deflated into a PNG. Run: `npx tsx web/scripts/make-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const BLUE = [10, 74, 148, 255];
const WHITE = [255, 255, 255, 255];
const YELLOW = [255, 213, 0, 255];
const CLEAR = [0, 0, 0, 0];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function icon(size: number, maskable: boolean): Buffer {
  const px = (x: number, y: number): number[] => {
    const u = x / size;
    const v = y / size;
    // Rounded background (full bleed when maskable: the platform applies its own mask).
    const r = maskable ? 0 : 0.18;
    const dx = Math.max(r - u, 0, u - (1 - r));
    const dy = Math.max(r - v, 0, v - (1 - r));
    if (!maskable && dx * dx + dy * dy > r * r) return CLEAR;
    const s = maskable ? 0.62 : 0.72; // the safe zone of a maskable icon is the inner 80 %
    const cu = (u - 0.5) / s + 0.5;
    const cv = (v - 0.5) / s + 0.5;
    // Calendar sheet.
    if (cu > 0.15 && cu < 0.85 && cv > 0.2 && cv < 0.85) {
      if (cv < 0.35) return YELLOW;
      // A tick: two thick strokes.
      const onStroke = (ax: number, ay: number, bx: number, by: number) => {
        const t = Math.max(
          0,
          Math.min(1, ((cu - ax) * (bx - ax) + (cv - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
        );
        const qx = ax + t * (bx - ax);
        const qy = ay + t * (by - ay);
        return (cu - qx) ** 2 + (cv - qy) ** 2 < 0.045 ** 2;
      };
      if (onStroke(0.32, 0.58, 0.45, 0.71) || onStroke(0.45, 0.71, 0.7, 0.45)) return BLUE;
      return WHITE;
    }
    // Rings of the calendar.
    if (cv > 0.12 && cv < 0.26 && ((cu > 0.3 && cu < 0.36) || (cu > 0.64 && cu < 0.7))) return WHITE;
    return BLUE;
  };
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const c = px(x + 0.5, y + 0.5);
      raw.set(c, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = resolve(import.meta.dirname, '../public/icons');
writeFileSync(resolve(out, 'icon-192.png'), icon(192, false));
writeFileSync(resolve(out, 'icon-512.png'), icon(512, false));
writeFileSync(resolve(out, 'icon-maskable-512.png'), icon(512, true));
console.log('icons written to', out);
