// @ts-check
/**
 * Generators of zip and tar.gz batches for the tests and the demo (re-exported by fixtures.mjs). Node built-ins
 * only.
 */
import { deflateRawSync, gzipSync } from 'node:zlib';

/**
 * @typedef {{ name: string, data: Buffer|string }} ArchiveEntry
 * @typedef {ArchiveEntry[] | Record<string, Buffer|string>} ArchiveInput a list of entries or a name → content map
 */

/** @param {ArchiveInput} files */
function entries(files) {
	const list = Array.isArray(files)
		? files
		: Object.entries(files).map(([name, data]) => ({ name, data }));
	return list.map((f) => ({
		name: f.name,
		data: Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8'),
	}));
}

/** @type {Int32Array|undefined} */
let crcTable;
/**
 * CRC-32 (IEEE) of a buffer, as used by zip.
 * @param {Buffer} buf
 */
export function crc32(buf) {
	if (!crcTable) {
		crcTable = new Int32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c;
		}
	}
	let crc = -1;
	for (let i = 0; i < buf.length; i++) crc = crcTable[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ -1) >>> 0;
}

/**
 * A zip archive (local headers + central directory, UTF-8 names, no data descriptors).
 * @param {ArchiveInput} files
 * @param {{ method?: 'deflate'|'store' }} [options] compression method (default deflate)
 * @returns {Buffer}
 */
export function makeZip(files, options = {}) {
	const method = options.method === 'store' ? 0 : 8;
	const d = new Date();
	const dosTime = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
	const dosDate = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
	/** @type {Buffer[]} */
	const locals = [];
	/** @type {Buffer[]} */
	const centrals = [];
	let offset = 0;
	for (const { name, data } of entries(files)) {
		const nameBuf = Buffer.from(name, 'utf8');
		const packed = method === 8 ? deflateRawSync(data) : data;
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(method, 8);
		local.writeUInt16LE(dosTime, 10);
		local.writeUInt16LE(dosDate, 12);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt16LE(dosTime, 12);
		central.writeUInt16LE(dosDate, 14);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBuf.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, nameBuf, packed);
		centrals.push(central, nameBuf);
		offset += 30 + nameBuf.length + packed.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(centrals.length / 2, 8);
	end.writeUInt16LE(centrals.length / 2, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

/**
 * A gzip-compressed POSIX ustar archive of regular files (names ≤ 100 bytes, or ≤ 255 with a `/` to split).
 * This is the batch format OCA sends to deposer/flux (`…_chorus_lot_factures.tar.gz`).
 * @param {ArchiveInput} files
 * @returns {Buffer}
 */
export function makeTarGz(files) {
	/** @type {Buffer[]} */
	const blocks = [];
	const mtime = Math.floor(Date.now() / 1000);
	for (const { name, data } of entries(files)) {
		const header = Buffer.alloc(512);
		let base = name;
		let prefix = '';
		if (Buffer.byteLength(name) > 100) {
			const cut = name.lastIndexOf('/', 155);
			if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
				throw new Error(`tar: name too long: ${name}`);
			prefix = name.slice(0, cut);
			base = name.slice(cut + 1);
		}
		header.write(base, 0, 100, 'utf8');
		header.write('0000644\0', 100, 'latin1');
		header.write('0000000\0', 108, 'latin1');
		header.write('0000000\0', 116, 'latin1');
		header.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
		header.write(mtime.toString(8).padStart(11, '0') + '\0', 136, 'latin1');
		header.write('        ', 148, 'latin1'); // checksum placeholder
		header.write('0', 156, 'latin1');
		header.write('ustar\0', 257, 'latin1');
		header.write('00', 263, 'latin1');
		header.write(prefix, 345, 155, 'utf8');
		let sum = 0;
		for (const b of header) sum += b;
		header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
		blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	return gzipSync(Buffer.concat(blocks));
}
