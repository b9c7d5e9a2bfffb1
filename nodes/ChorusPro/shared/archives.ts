/**
 * The invoice files of a zip or tar.gz batch, one at a time and within bounds, so that a hostile
 * archive (a zip bomb) is refused after a bounded amount of work and memory, before anything is
 * sent. Zips are read by their central directory, so streamed zips (sizes written after the data,
 * general-purpose flag 8) read like any other.
 */
import { inflateChunks, InflateLimitError } from './inflate';

/**
 * Bounds of a batch, from what Chorus Pro takes: one invoice with its attachments is at most
 * 120 MB (docs/chorus-pro-api.md §6), a flux holds at most 500 invoices and 1 GB (a note on
 * Chorus Pro's EDI channel; the API documents no other figure).
 */
export const ARCHIVE_LIMITS = {
	entries: 500,
	entryBytes: 120 * 1024 * 1024,
	totalBytes: 1024 * 1024 * 1024,
};

export interface ArchiveFile {
	name: string;
	data: Buffer;
}

/** The archive cannot be read, or passes a bound; the message says which, for the user. */
export class ArchiveError extends Error {}

const MB = 1024 * 1024;

/** Folders, macOS resource forks (__MACOSX/) and hidden files (.DS_Store) are not invoices. */
function isInvoiceCandidate(name: string): boolean {
	const base = name.split('/').pop() ?? '';
	return !name.endsWith('/') && !name.split('/').includes('__MACOSX') && !base.startsWith('.');
}

function tooBig(limit: number, what: string): ArchiveError {
	return new ArchiveError(
		`${what} unpacks to more than ${Math.round(limit / MB)} MB, more than Chorus Pro accepts; the archive may be damaged or built to exhaust memory`,
	);
}

/** All of one entry's chunks; past its declared size, the archive lies about it. */
async function collect(chunks: AsyncGenerator<Uint8Array>, name: string) {
	const parts: Uint8Array[] = [];
	let failure: ArchiveError | undefined;
	try {
		for await (const chunk of chunks) parts.push(chunk);
	} catch (error) {
		failure =
			error instanceof InflateLimitError
				? new ArchiveError(
						`"${name}" unpacks to more than the size the archive declares for it; the archive is damaged or built to exhaust memory`,
					)
				: new ArchiveError(`"${name}" is damaged or truncated`);
	}
	if (failure) throw failure;
	return Buffer.concat(parts);
}

interface ZipEntry {
	name: string;
	method: number;
	flags: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

/** Zip64 values of an entry (extra field 0x0001), for the fields set to 0xFFFFFFFF. */
function zip64Values(extra: Buffer, entry: ZipEntry) {
	for (let at = 0; at + 4 <= extra.length; ) {
		const id = extra.readUInt16LE(at);
		const length = extra.readUInt16LE(at + 2);
		if (id === 0x0001) {
			let field = at + 4;
			const next = () => {
				const value = Number(extra.readBigUInt64LE(field));
				field += 8;
				return value;
			};
			if (entry.size === 0xffffffff) entry.size = next();
			if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
			if (entry.localOffset === 0xffffffff) entry.localOffset = next();
			return;
		}
		at += 4 + length;
	}
}

/** The entries listed by a zip's central directory (zip64 included). */
function centralDirectory(zip: Buffer): ZipEntry[] {
	let end = -1;
	for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
		if (zip.readUInt32LE(at) === 0x06054b50) {
			end = at;
			break;
		}
	}
	if (end < 0) throw new ArchiveError('the zip archive is truncated (no central directory)');
	let count = zip.readUInt16LE(end + 10);
	let offset = zip.readUInt32LE(end + 16);
	const locator = end - 20;
	if (locator >= 0 && zip.readUInt32LE(locator) === 0x07064b50) {
		const record = Number(zip.readBigUInt64LE(locator + 8));
		if (record + 56 > zip.length || zip.readUInt32LE(record) !== 0x06064b50)
			throw new ArchiveError('the zip archive is damaged (zip64 directory)');
		count = Number(zip.readBigUInt64LE(record + 32));
		offset = Number(zip.readBigUInt64LE(record + 48));
	}
	if (count > ARCHIVE_LIMITS.entries * 4)
		throw new ArchiveError(
			`the archive lists ${count} entries; Chorus Pro takes at most ${ARCHIVE_LIMITS.entries} invoices in one deposit`,
		);

	const entries: ZipEntry[] = [];
	for (let n = 0, at = offset; n < count; n++) {
		if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50)
			throw new ArchiveError('the zip archive is damaged or truncated (central directory)');
		const nameLength = zip.readUInt16LE(at + 28);
		const extraLength = zip.readUInt16LE(at + 30);
		const entry: ZipEntry = {
			flags: zip.readUInt16LE(at + 8),
			method: zip.readUInt16LE(at + 10),
			compressedSize: zip.readUInt32LE(at + 20),
			size: zip.readUInt32LE(at + 24),
			localOffset: zip.readUInt32LE(at + 42),
			name: zip.toString('utf8', at + 46, at + 46 + nameLength),
		};
		zip64Values(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
		entries.push(entry);
		at += 46 + nameLength + extraLength + zip.readUInt16LE(at + 32);
	}
	return entries;
}

async function* zipFiles(zip: Buffer): AsyncGenerator<ArchiveFile> {
	const entries = centralDirectory(zip).filter((entry) => isInvoiceCandidate(entry.name));
	checkCount(entries.length);
	// The sizes the directory declares are checked before anything is inflated...
	const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
	if (declared > ARCHIVE_LIMITS.totalBytes) throw tooBig(ARCHIVE_LIMITS.totalBytes, 'The archive');
	for (const entry of entries) {
		if (entry.size > ARCHIVE_LIMITS.entryBytes)
			throw tooBig(ARCHIVE_LIMITS.entryBytes, `"${entry.name}"`);
		if (entry.flags & 0x01)
			throw new ArchiveError(`"${entry.name}" is encrypted; Chorus Pro needs it readable`);
		const at = entry.localOffset;
		if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50)
			throw new ArchiveError(`the zip archive is damaged or truncated (entry "${entry.name}")`);
		const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
		if (start + entry.compressedSize > zip.length)
			throw new ArchiveError(`the zip archive is truncated (entry "${entry.name}")`);
		const raw = zip.subarray(start, start + entry.compressedSize);
		if (entry.method === 0) {
			yield { name: entry.name, data: raw };
			continue;
		}
		if (entry.method !== 8)
			throw new ArchiveError(
				`"${entry.name}" uses compression method ${entry.method}; use a plain (deflate) zip`,
			);
		// ...and an entry that unpacks to more than it declares is stopped there.
		const data = await collect(inflateChunks(raw, 'deflate-raw', entry.size), entry.name);
		if (data.length !== entry.size)
			throw new ArchiveError(`"${entry.name}" is damaged or truncated`);
		yield { name: entry.name, data };
	}
}

function checkCount(count: number) {
	if (count > ARCHIVE_LIMITS.entries)
		throw new ArchiveError(
			`the archive holds ${count} files; Chorus Pro takes at most ${ARCHIVE_LIMITS.entries} invoices in one deposit`,
		);
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
	private buffered: Buffer[] = [];
	private length = 0;
	constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

	/** The next `count` bytes, or fewer at the end of the stream. */
	async read(count: number): Promise<Buffer> {
		while (this.length < count) {
			const { done, value } = await this.chunks.next();
			if (done) break;
			this.buffered.push(Buffer.from(value.buffer, value.byteOffset, value.length));
			this.length += value.length;
		}
		const all = Buffer.concat(this.buffered);
		const taken = all.subarray(0, count);
		this.buffered = [all.subarray(count)];
		this.length = this.buffered[0].length;
		return taken;
	}
}

const tarText = (header: Buffer, start: number, length: number) =>
	header.toString('utf8', start, start + length).replace(/\0.*$/s, '');

async function* tarFiles(tar: AsyncIterator<Uint8Array>): AsyncGenerator<ArchiveFile> {
	const reader = new ByteReader(tar);
	let longName: string | undefined;
	let count = 0;
	for (;;) {
		const header = await reader.read(512);
		if (header.length < 512) throw new ArchiveError('the tar archive is truncated');
		if (header.every((byte) => byte === 0)) return;
		const size = parseInt(tarText(header, 124, 12).trim() || '0', 8);
		if (!Number.isFinite(size)) throw new ArchiveError('the tar archive is damaged');
		// The header declares the size: a file bigger than the bound is refused before its data.
		if (size > ARCHIVE_LIMITS.entryBytes)
			throw tooBig(ARCHIVE_LIMITS.entryBytes, `"${tarText(header, 0, 100)}"`);
		const type = String.fromCharCode(header[156] || 0x30);
		const data = await reader.read(size);
		if (data.length < size) throw new ArchiveError('the tar archive is truncated');
		await reader.read((512 - (size % 512)) % 512);

		if (type === 'L') longName = tarText(data, 0, data.length);
		else if (type === 'x') longName = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
		else if (type === '0' || type === '7') {
			const prefix = tarText(header, 345, 155);
			const name = longName ?? (prefix ? `${prefix}/` : '') + tarText(header, 0, 100);
			longName = undefined;
			if (!isInvoiceCandidate(name)) continue;
			checkCount(++count);
			yield { name, data };
		} else longName = undefined;
	}
}

async function* tarGzFiles(gz: Buffer): AsyncGenerator<ArchiveFile> {
	let failure: ArchiveError | undefined;
	try {
		yield* tarFiles(inflateChunks(gz, 'gzip', ARCHIVE_LIMITS.totalBytes));
	} catch (error) {
		if (error instanceof InflateLimitError)
			failure = tooBig(ARCHIVE_LIMITS.totalBytes, 'The archive');
		else if (error instanceof ArchiveError) failure = error;
		else failure = new ArchiveError('the tar.gz archive is damaged or truncated');
	}
	if (failure) throw failure;
}

/** The invoice files of a zip or tar.gz archive, one at a time. Throws ArchiveError. */
export function archiveFiles(data: Buffer, kind: 'zip' | 'gzip'): AsyncGenerator<ArchiveFile> {
	return kind === 'zip' ? zipFiles(data) : tarGzFiles(data);
}
