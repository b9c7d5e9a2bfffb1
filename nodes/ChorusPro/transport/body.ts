import type { IDataObject } from 'n8n-workflow';

/**
 * A file Chorus Pro takes base64-encoded inside the JSON body. It is encoded straight into the
 * request bytes, so a 10 MB file costs its base64 once: no base64 string, no JSON string, no
 * string chunks piling up in the heap.
 */
export class Base64File {
	constructor(readonly data: Uint8Array) {}
}

/** A body value holding a file; typed as a string because that is what Chorus Pro receives. */
export function base64File(data: Uint8Array): string {
	return new Base64File(data) as unknown as string;
}

// The base64 alphabet as byte values.
const CODES = Uint8Array.from(
	'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
	(char) => char.charCodeAt(0),
);
const PAD = 61; // '='

/** Length of the base64 text of `bytes` bytes, padding included. */
export function base64Length(bytes: number): number {
	return Math.ceil(bytes / 3) * 4;
}

/**
 * Writes the base64 of `data` into `out` at `at` (padded, as Buffer's own base64) and returns where
 * it ends. A table loop rather than Buffer's toString: that would make the text a string first.
 */
export function encodeBase64Into(data: Uint8Array, out: Uint8Array, at: number): number {
	let o = at;
	const whole = data.length - (data.length % 3);
	for (let i = 0; i < whole; i += 3) {
		const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
		out[o] = CODES[n >>> 18];
		out[o + 1] = CODES[(n >>> 12) & 63];
		out[o + 2] = CODES[(n >>> 6) & 63];
		out[o + 3] = CODES[n & 63];
		o += 4;
	}
	const left = data.length - whole;
	if (left) {
		const n = (data[whole] << 16) | (left === 2 ? data[whole + 1] << 8 : 0);
		out[o] = CODES[n >>> 18];
		out[o + 1] = CODES[(n >>> 12) & 63];
		out[o + 2] = left === 2 ? CODES[(n >>> 6) & 63] : PAD;
		out[o + 3] = PAD;
		o += 4;
	}
	return o;
}

/** The JSON text of a request body; bytes when it carries a file. */
export function serializeBody(body: IDataObject): string | Buffer {
	let file = false;
	for (const key in body) if (body[key] instanceof Base64File) file = true;
	if (!file) return JSON.stringify(body);

	// Each member as JSON text, except files, which are written into the bytes directly.
	const parts: Array<string | Base64File> = [];
	let size = 2; // the braces
	for (const key in body) {
		const value = body[key];
		if (value === undefined) continue;
		const head = `${parts.length ? ',' : ''}${JSON.stringify(key)}:`;
		const part = value instanceof Base64File ? value : JSON.stringify(value);
		parts.push(head, part);
		size +=
			Buffer.byteLength(head) +
			(typeof part === 'string' ? Buffer.byteLength(part) : base64Length(part.data.length) + 2);
	}
	const out = Buffer.allocUnsafe(size);
	let offset = out.write('{', 0, 'latin1');
	for (const part of parts) {
		if (typeof part === 'string') {
			offset += out.write(part, offset, 'utf8');
		} else {
			out[offset] = 34; // '"'
			offset = encodeBase64Into(part.data, out, offset + 1);
			out[offset++] = 34;
		}
	}
	out.write('}', offset, 'latin1');
	return out;
}
