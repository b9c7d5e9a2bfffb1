/**
 * Bounded decompression with the platform's DecompressionStream (no dependency): it stops reading
 * as soon as the output passes the bound, so a hostile file is never inflated in full.
 */

type Compression = 'gzip' | 'deflate' | 'deflate-raw';

/** The output passed the bound it was given. */
export class InflateLimitError extends Error {
	constructor(readonly limit: number) {
		super(`more than ${limit} bytes once unpacked`);
	}
}

/** Decompressed chunks of `data`, in order; throws InflateLimitError past `limit` bytes. */
export async function* inflateChunks(
	data: Uint8Array,
	format: Compression,
	limit: number,
): AsyncGenerator<Uint8Array> {
	// A Blob holds a copy of the compressed bytes only, never of what they unpack to.
	const reader = new Blob([data as Uint8Array<ArrayBuffer>])
		.stream()
		.pipeThrough(new DecompressionStream(format))
		.getReader();
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			total += value.length;
			if (total > limit) throw new InflateLimitError(limit);
			yield value;
		}
	} finally {
		// Stops the decompression when the caller had enough or the bound was passed.
		await reader.cancel().catch(() => undefined);
	}
}

/** All of `data` decompressed; throws InflateLimitError past `limit` bytes. */
export async function inflate(
	data: Uint8Array,
	format: Compression,
	limit: number,
): Promise<Buffer> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of inflateChunks(data, format, limit)) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/**
 * The first `length` bytes of `data` decompressed, or fewer when the data is shorter or damaged
 * after them: enough to read what a file is without unpacking all of it.
 */
export async function inflateHead(
	data: Uint8Array,
	format: Compression,
	length: number,
): Promise<Buffer> {
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for await (const chunk of inflateChunks(data, format, Number.MAX_SAFE_INTEGER)) {
			chunks.push(chunk);
			total += chunk.length;
			if (total >= length) break;
		}
	} catch {
		// A damaged stream still gives what came before the damage.
	}
	return Buffer.concat(chunks).subarray(0, length);
}
