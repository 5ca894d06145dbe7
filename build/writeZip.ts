import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  /** Path inside the archive, `/`-separated, relative (no leading `/`, no `..`). */
  readonly name: string;
  readonly data: Buffer;
}

/** 1980-01-01 00:00 in MS-DOS format: every entry carries it, so the same input gives the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
/** Made by Unix (3) with zip 2.0, so unzip tools apply the mode below. */
const MADE_BY = (3 << 8) | 20;
const NEEDED = 20;
/** Bit 11: the names are UTF-8. */
const FLAGS = 0x0800;
const DEFLATE = 8;
/** A regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const FILE_MODE = (0o100644 << 16) >>> 0;

function checkName(name: string): void {
  const parts = name.split('/');
  if (name === '' || name.startsWith('/') || name.includes('\\') || parts.some((p) => p === '' || p === '..')) {
    throw new Error(`zip entry name not allowed: ${JSON.stringify(name)}`);
  }
}

/**
 * A zip archive of `entries` (deflated, in the order given), with fixed timestamps and modes so the
 * output depends on the contents only. No zip64: each file and the whole archive stay under 4 GiB.
 * `dev/readZip.ts` reads it back.
 */
export function writeZip(entries: readonly ZipInput[]): Buffer {
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    checkName(e.name);
    if (seen.has(e.name)) throw new Error(`duplicate zip entry: ${e.name}`);
    seen.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: constants.Z_BEST_COMPRESSION });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(NEEDED, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    central.writeUInt16LE(NEEDED, 6);
    central.writeUInt16LE(FLAGS, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal attributes: 0
    central.writeUInt32LE(FILE_MODE, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  if (entries.length > 0xffff) throw new Error('too many zip entries (no zip64)');
  const directory = Buffer.concat(centrals);
  if (offset + directory.length > 0xffffffff) throw new Error('zip too large (no zip64)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
