import type { IDataObject } from 'n8n-workflow';

/**
 * A file Chorus Pro takes base64-encoded inside the JSON body. It is encoded straight into the
 * request bytes, chunk by chunk, so a 10 MB file costs its base64 once, not as a string, then a
 * JSON string, then the bytes sent.
 */
export class Base64File {
	constructor(readonly data: Buffer) {}
}

/** A body value holding a file; typed as a string because that is what Chorus Pro receives. */
export function base64File(data: Buffer): string {
	return new Base64File(data) as unknown as string;
}

// A multiple of 3, so that the chunks' base64 join without padding in between; small enough for
// each chunk's string to die young instead of piling up in the large-object space.
const CHUNK = 3 * 16 * 1024;

/** The JSON text of a request body; bytes when it carries a file. */
export function serializeBody(body: IDataObject): string | Buffer {
	const entries = Object.entries(body).filter(([, value]) => value !== undefined);
	if (!entries.some(([, value]) => value instanceof Base64File)) return JSON.stringify(body);

	const parts = entries.map(([key, value], index) => {
		const head = `${index ? ',' : '{'}${JSON.stringify(key)}:`;
		return value instanceof Base64File
			? { head, file: value.data }
			: { head, json: JSON.stringify(value) };
	});
	const size =
		parts.reduce(
			(total, part) =>
				total +
				Buffer.byteLength(part.head) +
				('file' in part && part.file
					? Math.ceil(part.file.length / 3) * 4 + 2
					: Buffer.byteLength(part.json ?? '')),
			0,
		) + 1;
	const out = Buffer.allocUnsafe(size);
	let offset = 0;
	for (const part of parts) {
		offset += out.write(part.head, offset, 'utf8');
		if ('file' in part && part.file) {
			offset += out.write('"', offset, 'latin1');
			for (let start = 0; start < part.file.length; start += CHUNK) {
				offset += out.write(
					part.file.subarray(start, start + CHUNK).toString('base64'),
					offset,
					'latin1',
				);
			}
			offset += out.write('"', offset, 'latin1');
		} else {
			offset += out.write(part.json ?? '', offset, 'utf8');
		}
	}
	out.write('}', offset, 'latin1');
	return out;
}
