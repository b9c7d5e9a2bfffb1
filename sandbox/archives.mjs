// @ts-check
/**
 * The files of a zip or tar.gz batch deposited as one flux. Folders, hidden files and `__MACOSX/` are skipped.
 * Past any of ARCHIVE_LIMITS, or truncated, or unreadable, an archive is refused as a technical error
 * (FileError `ERR_FMT_001`, flux `IN_REJETE`) before more is inflated.
 */
import * as zlib from 'node:zlib';
import { inflateRawSync, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { formatError } from './fileErrors.mjs';
import { MB, megabytes, chunkSizeFor } from './inflate.mjs';

/** @typedef {{ name: string, data: Buffer }} ArchiveFile */
/**
 * Bounds of a zip / tar.gz batch. Past any of them the archive is refused as unreadable (technical error, flux
 * `IN_REJETE`) and nothing more is inflated: zlib's `maxOutputLength` stops each inflation at the bound.
 * @typedef {{ maxFileBytes: number, maxFiles: number, maxRecords: number, maxTotalBytes: number }} ArchiveLimits
 */
/** @type {Readonly<ArchiveLimits>} */
export const ARCHIVE_LIMITS = Object.freeze({
	// One file unpacked: an invoice with its attachments is at most 120 MB (OCA, citing the Chorus Pro community
	// page "pièces jointes — quelques règles"; docs/chorus-pro-api.md §6).
	maxFileBytes: 120 * MB,
	// Documents in one flux: at most 500 invoices (Akuiteo's note on EDI flux — third-party, not verified for the
	// API; docs/chorus-pro-api.md §6).
	maxFiles: 500,
	// Records of any kind (folders, __MACOSX/ twins, hidden files, tar long-name / pax headers): 4 per document.
	maxRecords: 4 * 500,
	// All files together unpacked — sandbox choice: Chorus Pro publishes no such bound; Akuiteo quotes 1 GB per EDI
	// flux (third-party), which the node uses as it unpacks one file at a time. The sandbox keeps all the files of a
	// deposit (at most 120 MB) in memory at once, so it stops at 256 MB: two full 120 MB invoices with their
	// attachments, or 500 invoices of 500 KB (the real-world Factur-X fixtures weigh 42 KB to 1 MB, all but one
	// under 300 KB).
	maxTotalBytes: 256 * MB,
});

/** Member name without leading `./` or `/`, with `/` separators. @param {string} raw */
const memberName = (raw) => raw.replace(/\\/g, '/').replace(/^(\.?\/)+/, '');

/**
 * Not a document: folders, hidden files and folders (a path part starting with a dot, e.g. `.DS_Store`, `..`) and
 * macOS resource forks (`__MACOSX/`). @param {string} name a {@link memberName}
 */
const isJunk = (name) =>
	name === '' ||
	name.endsWith('/') ||
	name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');

/** zlib's CRC-32 (Node ≥ 20.15), when the runtime has it. */
const zlibCrc32 = /** @type {((data: Buffer) => number)|undefined} */ (
	/** @type {any} */ (zlib).crc32
);

/** CRC-32 (zlib's when the runtime has it, Node ≥ 20.15). @param {Buffer} data */
const crc32 =
	typeof zlibCrc32 === 'function'
		? zlibCrc32
		: (/** @type {Buffer} */ data) => {
				let c = ~0;
				for (const byte of data) {
					c ^= byte;
					for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
				}
				return ~c >>> 0;
			};

/** The messages of a batch past the limits. */
const tooMany = (/** @type {string} */ kind, /** @type {ArchiveLimits} */ limits) =>
	formatError(
		`L'archive ${kind} contient plus de ${limits.maxFiles} fichiers (${limits.maxFiles} factures au plus par flux).`,
	);
const fileTooBig = (
	/** @type {string} */ kind,
	/** @type {string} */ name,
	/** @type {ArchiveLimits} */ limits,
) =>
	formatError(
		`L'entrée ${name} de l'archive ${kind} dépasse ${megabytes(limits.maxFileBytes)} une fois décompressée (taille maximale d'une facture et de ses pièces jointes).`,
	);
const totalTooBig = (/** @type {string} */ kind, /** @type {ArchiveLimits} */ limits) =>
	formatError(
		`L'archive ${kind} dépasse ${megabytes(limits.maxTotalBytes)} une fois décompressée (bombe de décompression ?).`,
	);

// ---------------------------------------------------------------------------------------------------------------
// zip

/** @typedef {{ name: string, flags: number, method: number, crc: number, compSize: number, size: number, localOffset: number }} ZipEntry */

/** @param {string} what */
const zipBroken = (what) => formatError(`L'archive zip est tronquée ou illisible (${what}).`);

/**
 * Files of a zip archive (stored or deflated entries; folders, hidden files and `__MACOSX/` skipped). Reads the
 * central directory, so entries streamed with data descriptors (flag bit 3, sizes 0 in the local header) and
 * ZIP64 sizes are read. The whole directory is checked against the limits before anything is inflated, and no
 * entry inflates past its declared size (zlib `maxOutputLength`), whose CRC-32 must match. Throws FileError when
 * the archive is truncated or unreadable, has encrypted entries or another compression, or goes past the limits.
 * @param {Buffer} buf @param {ArchiveLimits} [limits]
 * @returns {ArchiveFile[]}
 */
export function readZip(buf, limits = ARCHIVE_LIMITS) {
	return zipEntries(buf, limits).map((entry) => extractZipEntry(buf, entry));
}

/**
 * Where the central directory is and how many records it has (end of central directory record, ZIP64 one
 * included).
 * @param {Buffer} buf @param {ArchiveLimits} limits
 */
function centralDirectory(buf, limits) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw zipBroken('répertoire central absent');
	let count = buf.readUInt16LE(eocd + 10);
	let offset = buf.readUInt32LE(eocd + 16);
	// ZIP64 end of central directory record, found through its locator just before the classic one.
	if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) {
		const z = Number(buf.readBigUInt64LE(eocd - 12));
		if (z + 56 > buf.length || buf.readUInt32LE(z) !== 0x06064b50)
			throw zipBroken('fin de répertoire central ZIP64 invalide');
		count = Number(buf.readBigUInt64LE(z + 32));
		offset = Number(buf.readBigUInt64LE(z + 48));
	}
	if (count > limits.maxRecords)
		throw formatError(
			`L'archive zip contient ${count} entrées : le bac à sable en lit au plus ${limits.maxRecords} (${limits.maxFiles} factures au plus par flux).`,
		);
	return { count, offset };
}

/**
 * The documents of the central directory, checked against the limits on their declared sizes.
 * @param {Buffer} buf @param {ArchiveLimits} limits @returns {ZipEntry[]}
 */
function zipEntries(buf, limits) {
	const { count, offset } = centralDirectory(buf, limits);
	/** @type {ZipEntry[]} */
	const entries = [];
	let declared = 0;
	let p = offset;
	for (let n = 0; n < count; n++) {
		const { entry, next } = directoryRecord(buf, p);
		p = next;
		if (isJunk(entry.name)) continue;
		if (entries.length >= limits.maxFiles) throw tooMany('zip', limits);
		if (!Number.isFinite(entry.size) || entry.size > limits.maxFileBytes)
			throw fileTooBig('zip', entry.name, limits);
		declared += entry.size;
		if (declared > limits.maxTotalBytes) throw totalTooBig('zip', limits);
		entries.push(entry);
	}
	return entries;
}

/**
 * One central directory record at `p`, and where the next one starts.
 * @param {Buffer} buf @param {number} p @returns {{ entry: ZipEntry, next: number }}
 */
function directoryRecord(buf, p) {
	if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
		throw zipBroken('entrée du répertoire central invalide');
	const flags = buf.readUInt16LE(p + 8);
	const nameLen = buf.readUInt16LE(p + 28);
	const extraLen = buf.readUInt16LE(p + 30);
	const commentLen = buf.readUInt16LE(p + 32);
	if (p + 46 + nameLen + extraLen > buf.length) throw zipBroken('répertoire central tronqué');
	const extras = zipExtras(buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
	const sizes = zip64Sizes(extras.get(0x0001), {
		compSize: buf.readUInt32LE(p + 20),
		size: buf.readUInt32LE(p + 24),
		localOffset: buf.readUInt32LE(p + 42),
	});
	return {
		entry: {
			name: memberName(zipName(buf.subarray(p + 46, p + 46 + nameLen), flags, extras)),
			flags,
			method: buf.readUInt16LE(p + 10),
			crc: buf.readUInt32LE(p + 16),
			...sizes,
		},
		next: p + 46 + nameLen + extraLen + commentLen,
	};
}

/**
 * ZIP64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
 * @param {Buffer|undefined} z64 @param {{ compSize: number, size: number, localOffset: number }} sizes
 */
function zip64Sizes(z64, sizes) {
	if (!z64) return sizes;
	let { compSize, size, localOffset } = sizes;
	let q = 0;
	const next = () => {
		const v = q + 8 <= z64.length ? Number(z64.readBigUInt64LE(q)) : NaN;
		q += 8;
		return v;
	};
	if (size === 0xffffffff) size = next();
	if (compSize === 0xffffffff) compSize = next();
	if (localOffset === 0xffffffff) localOffset = next();
	return { compSize, size, localOffset };
}

/**
 * Name of a zip entry: UTF-8 when flagged (bit 11) or when it decodes as UTF-8, else the Info-ZIP Unicode path
 * extra field (0x7075), else latin1 (close to the CP437 of old tools for what matters here).
 * @param {Buffer} raw @param {number} flags @param {Map<number, Buffer>} extras
 */
function zipName(raw, flags, extras) {
	const unicode = extras.get(0x7075);
	if (!(flags & 0x800) && unicode && unicode.length > 5 && unicode[0] === 1)
		return unicode.subarray(5).toString('utf8');
	const utf8 = raw.toString('utf8');
	return flags & 0x800 || !utf8.includes('\ufffd') ? utf8 : raw.toString('latin1');
}

/** Extra fields of a zip header by id. @param {Buffer} extra */
function zipExtras(extra) {
	/** @type {Map<number, Buffer>} */
	const out = new Map();
	for (let p = 0; p + 4 <= extra.length; ) {
		const id = extra.readUInt16LE(p);
		const len = extra.readUInt16LE(p + 2);
		out.set(id, extra.subarray(p + 4, p + 4 + len));
		p += 4 + len;
	}
	return out;
}

/**
 * The data of an entry, inflated to its declared size at most, with its size and CRC-32 checked.
 * @param {Buffer} buf @param {ZipEntry} entry @returns {ArchiveFile}
 */
function extractZipEntry(buf, { name, flags, method, crc, compSize, size, localOffset }) {
	if (flags & 1) throw formatError(`L'entrée ${name} de l'archive zip est chiffrée.`);
	if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50)
		throw zipBroken(`en-tête local de l'entrée ${name} absent`);
	const start =
		localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
	if (!Number.isFinite(compSize) || start + compSize > buf.length)
		throw zipBroken(`données de l'entrée ${name} incomplètes`);
	const raw = buf.subarray(start, start + compSize);
	/** @type {Buffer} */
	let data;
	if (method === 0) {
		data = Buffer.from(raw);
	} else if (method === 8) {
		data = inflateZipEntry(raw, name, size);
	} else {
		throw formatError(
			`L'entrée ${name} de l'archive zip utilise une méthode de compression non prise en charge (${method}) : seules « stored » (0) et « deflate » (8) le sont.`,
		);
	}
	if (data.length !== size) throw zipBroken(`taille de l'entrée ${name} incohérente`);
	if (crc32(data) !== crc) throw zipBroken(`somme de contrôle CRC-32 de l'entrée ${name} fausse`);
	return { name, data };
}

/** A deflated entry, inflated to one byte past its declared size at most. @param {Buffer} raw @param {string} name @param {number} size */
function inflateZipEntry(raw, name, size) {
	try {
		// One byte past the declared size at most: a header that lies about the size stops there.
		return inflateRawSync(raw, {
			maxOutputLength: size + 1,
			chunkSize: chunkSizeFor(Math.max(raw.length, Math.min(size, MB))),
		});
	} catch (err) {
		if (/** @type {any} */ (err)?.code === 'ERR_BUFFER_TOO_LARGE')
			throw formatError(
				`L'entrée ${name} de l'archive zip se décompresse au-delà de sa taille annoncée (${size} octets) : archive corrompue ou bombe de décompression.`,
			);
		throw zipBroken(`données compressées de l'entrée ${name} illisibles`);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// tar.gz

/** @param {string} what */
const tarBroken = (what) => formatError(`L'archive tar.gz est tronquée ou illisible (${what}).`);

/**
 * Files of a gzip-compressed tar archive: ustar / POSIX (name prefix, pax `path` and `size` records) and GNU
 * (`././@LongLink` long names, base-256 sizes); regular files only, folders, links, hidden files and `__MACOSX/`
 * skipped. The headers are read early, on growing prefixes of the gzip stream, so a member declared too big (or
 * one too many) is refused before the stream is inflated further; the whole stream is then inflated within the
 * total bound plus the room its headers take. Throws FileError when the archive is truncated or unreadable or goes
 * past the limits.
 * @param {Buffer} buf @param {ArchiveLimits} [limits]
 * @returns {ArchiveFile[]}
 */
export function readTarGz(buf, limits = ARCHIVE_LIMITS) {
	// headers and padding: at most 1 KiB a record, plus the closing blocks and the 10 KiB tar record
	const maxTar = limits.maxTotalBytes + limits.maxRecords * 1024 + 20 * 512;
	checkTarHead(buf, limits, maxTar);
	let tar;
	try {
		tar = gunzipSync(buf, { maxOutputLength: maxTar, chunkSize: chunkSizeFor(buf.length) });
	} catch (err) {
		if (/** @type {any} */ (err)?.code === 'ERR_BUFFER_TOO_LARGE')
			throw totalTooBig('tar.gz', limits);
		throw formatError(
			"L'archive tar.gz est tronquée ou illisible (flux gzip invalide ou incomplet).",
		);
	}
	return walkTar(tar, limits, true);
}

/**
 * The headers of the first ~32 MiB of the stream, from prefixes of 4 then 32 KiB (deflate inflates at most ~1032
 * times its size): a bomb whose first member declares too much is refused at once.
 * @param {Buffer} buf @param {ArchiveLimits} limits @param {number} maxTar
 */
function checkTarHead(buf, limits, maxTar) {
	for (let k = 4 * 1024; k < buf.length && k <= 32 * 1024; k *= 8) {
		const max = Math.min(maxTar, k * 1032 + 1024);
		let head;
		try {
			head = gunzipSync(buf.subarray(0, k), {
				finishFlush: zlibConstants.Z_SYNC_FLUSH,
				maxOutputLength: max,
				chunkSize: chunkSizeFor(k),
			});
		} catch (err) {
			if (/** @type {any} */ (err)?.code === 'ERR_BUFFER_TOO_LARGE' && max === maxTar)
				throw totalTooBig('tar.gz', limits);
			return; // the full pass says what is wrong
		}
		walkTar(head, limits, false);
	}
}

/**
 * Walks the members of a tar stream, checking every regular file's declared size against the limits before its
 * data. With `complete` false, `tar` is the start of a stream being inflated: the walk stops where it ends
 * (the point is to refuse early); with `complete` true, a member cut short is a truncated archive.
 * @param {Buffer} tar @param {ArchiveLimits} limits @param {boolean} complete
 * @returns {ArchiveFile[]}
 */
function walkTar(tar, limits, complete) {
	/** @type {ArchiveFile[]} */
	const files = [];
	let total = 0;
	let records = 0;
	let p = 0;
	/** @type {string|null} GNU long name of the next member */
	let longName = null;
	/** @type {Record<string, string>} pax records of the next member */
	let pax = {};
	/** @type {Record<string, string>} pax records of every member */
	let globalPax = {};
	while (p + 512 <= tar.length) {
		const header = tar.subarray(p, p + 512);
		if (header.every((b) => b === 0)) return files; // end-of-archive blocks
		if (++records > limits.maxRecords)
			throw formatError(
				`L'archive tar.gz contient plus de ${limits.maxRecords} entrées (${limits.maxFiles} factures au plus par flux).`,
			);
		const { size, type, path } = tarHeader(header, pax);
		const start = p + 512;
		p = start + Math.ceil(size / 512) * 512;
		const available = start + size <= tar.length;
		const data = tar.subarray(start, Math.min(start + size, tar.length));
		if (type === '0' || type === '7') {
			const name = memberName(longName ?? pax.path ?? globalPax.path ?? path);
			longName = null;
			pax = {};
			if (isJunk(name)) continue;
			// the declared size is checked before the data is needed
			if (files.length >= limits.maxFiles) throw tooMany('tar.gz', limits);
			if (size > limits.maxFileBytes) throw fileTooBig('tar.gz', name, limits);
			if (total + size > limits.maxTotalBytes) throw totalTooBig('tar.gz', limits);
			if (!available) {
				if (complete) throw tarBroken(`données de l'entrée ${name} incomplètes`);
				return files;
			}
			total += size;
			files.push({ name, data: complete ? Buffer.from(data) : data });
			continue;
		}
		if (!available) {
			if (complete) throw tarBroken("données d'une entrée incomplètes");
			return files;
		}
		if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
		else if (type === 'x') pax = paxRecords(data);
		else if (type === 'g') globalPax = { ...globalPax, ...paxRecords(data) };
		else if (type !== 'K') {
			// folders, links, devices: not documents; GNU long link names ('K') keep what applies to the next member
			longName = null;
			pax = {};
		}
	}
	if (complete && p < tar.length && !tar.subarray(p).every((b) => b === 0))
		throw tarBroken('dernier bloc incomplet');
	return files;
}

/**
 * A tar header block: checksum checked, the size (octal or GNU base-256, overridden by a pax `size`), the type
 * flag and the ustar path.
 * @param {Buffer} header @param {Record<string, string>} pax
 */
function tarHeader(header, pax) {
	const field = (/** @type {number} */ o, /** @type {number} */ l) =>
		header
			.subarray(o, o + l)
			.toString('utf8')
			.replace(/\0.*$/s, '');
	let unsigned = 0;
	let signed = 0;
	for (let i = 0; i < 512; i++) {
		const b = i >= 148 && i < 156 ? 32 : header[i];
		unsigned += b;
		signed += b > 127 ? b - 256 : b;
	}
	const sum = parseInt(field(148, 8).trim(), 8);
	if (sum !== unsigned && sum !== signed) throw tarBroken("somme de contrôle d'en-tête fausse");
	let size;
	if (header[124] & 0x80) {
		// GNU base-256 size
		size = 0;
		for (let i = 125; i < 136; i++) size = size * 256 + header[i];
	} else {
		size = parseInt(field(124, 12).trim() || '0', 8);
	}
	if (pax.size !== undefined) size = Number(pax.size);
	if (!Number.isFinite(size) || size < 0) throw tarBroken("taille d'entrée invalide");
	const prefix = field(257, 6) === 'ustar' ? field(345, 155) : '';
	return {
		size,
		type: String.fromCharCode(header[156] || 48),
		path: prefix ? `${prefix}/${field(0, 100)}` : field(0, 100),
	};
}

/** `key=value` records of a pax extended header. @param {Buffer} data */
function paxRecords(data) {
	/** @type {Record<string, string>} */
	const out = {};
	for (let p = 0; p < data.length; ) {
		const space = data.indexOf(0x20, p);
		const len = space > p ? Number(data.subarray(p, space).toString('latin1')) : NaN;
		if (!Number.isInteger(len) || len <= 0 || p + len > data.length) break;
		const record = data
			.subarray(space + 1, p + len)
			.toString('utf8')
			.replace(/\n$/, '');
		const eq = record.indexOf('=');
		if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
		p += len;
	}
	return out;
}
