import type { IDataObject } from 'n8n-workflow';

/**
 * A file Chorus Pro takes base64-encoded inside the JSON body. It is encoded straight into the
 * request bytes, so a 10 MB file costs its base64 once: no base64 string, no JSON string, no
 * string chunks piling up in the heap. A file read into a room (see `roomForBase64`) costs not
 * even that: its body is written in the room, over the file.
 */
export class Base64File {
	/** The base64 text once written over the file in its room: the file's bytes are gone then. */
	encoded?: Buffer;

	constructor(
		readonly data: Uint8Array,
		readonly room?: Buffer,
	) {}
}

/** A body value holding a file; typed as a string because that is what Chorus Pro receives. */
export function base64File(data: Uint8Array, room?: Buffer): string {
	return new Base64File(data, room) as unknown as string;
}

/**
 * Room left before and after a file's base64 for the rest of its request body: the other members
 * of a body carrying a file are short (a name of at most 200 characters, codes, flags).
 */
const MARGIN = 4096;

/**
 * A buffer a file of `bytes` bytes is read into (`data`, at its end) so that the request body can
 * be made in it: base64 takes 4 bytes for every 3, so written from the start of the room over the
 * file it never catches up with the bytes still to be read. A 10 MB file then costs 13.3 MB with
 * its request body, not 10 + 13.3.
 */
export function roomForBase64(bytes: number): { room: Buffer; data: Buffer } {
	const end = MARGIN + base64Length(bytes);
	const room = Buffer.allocUnsafe(end + MARGIN);
	return { room, data: room.subarray(end - bytes, end) };
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

/** A body member as it is written: its JSON text, or a file written as base64 text. */
type Part = string | Base64File;

function partBytes(part: Part): number {
	if (typeof part === 'string') return Buffer.byteLength(part);
	return (part.encoded?.length ?? base64Length(part.data.length)) + 2; // the quotes
}

/** Writes `parts` into `out` from `offset`; returns where they end. */
function writeParts(parts: Part[], out: Buffer, offset: number): number {
	for (const part of parts) {
		if (typeof part === 'string') {
			offset += out.write(part, offset, 'utf8');
			continue;
		}
		out[offset++] = 34; // '"'
		if (part.encoded) {
			out.set(part.encoded, offset);
			offset += part.encoded.length;
		} else {
			offset = encodeBase64Into(part.data, out, offset);
		}
		out[offset++] = 34;
	}
	return offset;
}

/**
 * The body made in the room its one file was read into: the members before the file end where
 * its base64 starts, the base64 is written over the file, the members after it follow. Undefined
 * when the body does not fit the room's margins (then it is made in bytes of its own).
 */
function inRoom(parts: Part[]): Buffer | undefined {
	const files = parts.filter((part): part is Base64File => typeof part !== 'string');
	const file = files[0];
	if (files.length !== 1 || !file.room || file.encoded) return undefined;
	const at = parts.indexOf(file);
	const head = `{${(parts.slice(0, at) as string[]).join('')}"`;
	const tail = `"${(parts.slice(at + 1) as string[]).join('')}}`;
	const [headBytes, tailBytes] = [Buffer.byteLength(head), Buffer.byteLength(tail)];
	if (headBytes > MARGIN || tailBytes > MARGIN) return undefined;
	const { room, data } = file;
	const start = MARGIN - headBytes;
	room.write(head, start, 'utf8');
	const end = encodeBase64Into(data, room, MARGIN);
	file.encoded = room.subarray(MARGIN, end);
	room.write(tail, end, 'utf8');
	return room.subarray(start, end + tailBytes);
}

/** The JSON text of a request body; bytes when it carries a file. */
export function serializeBody(body: IDataObject): string | Buffer {
	let file = false;
	for (const key in body) if (body[key] instanceof Base64File) file = true;
	if (!file) return JSON.stringify(body);

	// Each member as JSON text, except files, which are written into the bytes directly.
	const parts: Part[] = [];
	for (const key in body) {
		const value = body[key];
		if (value === undefined) continue;
		parts.push(
			`${parts.length ? ',' : ''}${JSON.stringify(key)}:`,
			value instanceof Base64File ? value : JSON.stringify(value),
		);
	}
	const made = inRoom(parts);
	if (made) return made;
	const out = Buffer.allocUnsafe(parts.reduce((size, part) => size + partBytes(part), 2));
	out[0] = 123; // '{'
	out[writeParts(parts, out, 1)] = 125; // '}'
	return out;
}
