/**
 * Reading a PDF's objects as a reader does, on the bytes: stream objects with their dictionaries,
 * the head of a stream's decoded data, text strings, and the file specifications that point to
 * embedded files (in clear, or inside compressed object streams). Bounded: a 10 MB PDF is never
 * copied into a string, and only the bytes needed are inflated.
 */
import { inflate, inflateHead, InflateLimitError } from './inflate';

/** Inflated bytes of object streams read to find file specifications, per PDF. */
const MAX_OBJECT_STREAM_BYTES = 16 * 1024 * 1024;
/** A stream's dictionary is read from this many bytes before its `stream` keyword. */
const DICT_WINDOW = 4096;

export interface PdfStream {
	num: number;
	dict: string;
	start: number;
	end: number;
}

interface FileSpec {
	stream: number;
	name?: string;
}

const isDelimiter = (byte: number | undefined) =>
	byte === undefined || /[\s()<>[\]{}/%]/.test(String.fromCharCode(byte));

/** Offset just after `num gen obj` of the last definition of an object (later revisions win). */
function findObject(pdf: Buffer, num: number, gen = 0): number | undefined {
	const keyword = `${num} ${gen} obj`;
	let found: number | undefined;
	for (let at = pdf.indexOf(keyword, 0, 'latin1'); at >= 0; ) {
		if (isDelimiter(pdf[at - 1])) found = at + keyword.length;
		at = pdf.indexOf(keyword, at + keyword.length, 'latin1');
	}
	return found;
}

function streamLength(pdf: Buffer, dict: string): number | undefined {
	const length = /\/Length\s+(\d+)(?:\s+(\d+)\s+R)?/.exec(dict);
	if (!length) return undefined;
	if (length[2] === undefined) return Number(length[1]);
	const at = findObject(pdf, Number(length[1]), Number(length[2]));
	if (at === undefined) return undefined;
	const value = /^\s*(\d+)/.exec(pdf.toString('latin1', at, at + 32));
	return value ? Number(value[1]) : undefined;
}

/** Every stream object of the file with its dictionary; streams never sit in object streams. */
export function streamObjects(pdf: Buffer): PdfStream[] {
	const streams: PdfStream[] = [];
	for (let from = 0; ; ) {
		const at = pdf.indexOf('stream', from, 'latin1');
		if (at < 0) return streams;
		from = at + 6;
		if (pdf[at - 1] === 0x64 /* the end of "endstream" */) continue;
		let start = at + 6;
		if (pdf[start] === 0x0d) start++;
		if (pdf[start] === 0x0a) start++;
		else if (pdf[start - 1] !== 0x0d) continue;

		const before = pdf.toString('latin1', Math.max(0, at - DICT_WINDOW), at);
		const objAt = before.lastIndexOf('obj');
		const header = /(\d+)\s+\d+\s+$/.exec(before.slice(Math.max(0, objAt - 24), objAt));
		if (objAt < 0 || !header || before.includes('endobj', objAt)) continue;
		const dict = before.slice(objAt + 3);

		let end = -1;
		const length = streamLength(pdf, dict);
		if (length !== undefined && start + length <= pdf.length) {
			const after = pdf.toString('latin1', start + length, start + length + 16).trimStart();
			if (after.startsWith('endstream')) end = start + length;
		}
		if (end < 0) {
			// A wrong or unreadable /Length: the keyword ends the data.
			end = pdf.indexOf('endstream', start, 'latin1');
			if (end < 0) return streams;
			if (pdf[end - 1] === 0x0a) end--;
			if (pdf[end - 1] === 0x0d) end--;
		}
		streams.push({ num: Number(header[1]), dict, start, end });
		from = end;
	}
}

/** The first bytes of a stream's decoded data, or undefined for filters this reader does not know. */
export async function streamHead(pdf: Buffer, stream: PdfStream, length: number) {
	const data = pdf.subarray(stream.start, stream.end);
	const filters = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[<>]+)/
		.exec(stream.dict)?.[1]
		.match(/\/[^\s/\]]+/g);
	if (!filters) return data.subarray(0, length);
	if (filters.length === 1 && filters[0] === '/FlateDecode' && !/\/Predictor/.test(stream.dict))
		return await inflateHead(data, 'deflate', length);
	return undefined;
}

/** A PDF text string: literal `(...)` with escapes or hex `<...>`, UTF-16 when it has a BOM. */
function pdfString(token: string): string {
	let bytes: Buffer;
	if (token.startsWith('<')) {
		const hex = token.slice(1, -1).replace(/\s/g, '');
		bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
	} else {
		const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
		const text = token.slice(1, -1).replace(/\\(\d{1,3}|\r?\n|.)/g, (_, escaped: string) => {
			if (/^\d/.test(escaped)) return String.fromCharCode(parseInt(escaped, 8) & 0xff);
			if (escaped.startsWith('\r') || escaped.startsWith('\n')) return '';
			return escapes[escaped] ?? escaped;
		});
		bytes = Buffer.from(text, 'latin1');
	}
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
	return bytes.toString('latin1');
}

const STRING_TOKEN = String.raw`(\((?:\\[\s\S]|[^\\)])*\)|<[0-9A-Fa-f\s]*>)`;

/** File specifications in the text of one object: the stream they point to, and the file's name. */
function fileSpecsIn(body: string): FileSpec[] {
	const ef = /\/EF\s*<<([^>]*)>>/.exec(body);
	const target = ef && /\/(?:UF|F)\s+(\d+)\s+\d+\s+R/.exec(ef[1]);
	if (!target) return [];
	const outside = body.replace(ef[0], '');
	const name =
		new RegExp(String.raw`\/UF\s*${STRING_TOKEN}`).exec(outside) ??
		new RegExp(String.raw`\/F\s*${STRING_TOKEN}`).exec(outside);
	return [{ stream: Number(target[1]), name: name ? pdfString(name[1]) : undefined }];
}

/** File specifications written in clear in the file. */
export function clearFileSpecs(pdf: Buffer): FileSpec[] {
	const specs: FileSpec[] = [];
	for (
		let at = pdf.indexOf('/EF', 0, 'latin1');
		at >= 0;
		at = pdf.indexOf('/EF', at + 3, 'latin1')
	) {
		const window = pdf.toString('latin1', Math.max(0, at - 1024), at + 1024);
		const middle = Math.min(at, 1024);
		const start = window.lastIndexOf('obj', middle);
		const stop = window.indexOf('endobj', middle);
		specs.push(...fileSpecsIn(window.slice(start < 0 ? 0 : start, stop < 0 ? undefined : stop)));
	}
	return specs;
}

/** File specifications inside compressed object streams (PDF 1.5+), read within a bound. */
export async function objectStreamFileSpecs(
	pdf: Buffer,
	streams: PdfStream[],
): Promise<FileSpec[]> {
	const specs: FileSpec[] = [];
	let budget = MAX_OBJECT_STREAM_BYTES;
	for (const stream of streams.filter((s) => /\/Type\s*\/ObjStm\b/.test(s.dict))) {
		if (budget <= 0 || !/\/FlateDecode/.test(stream.dict)) continue;
		let text: string;
		try {
			const data = await inflate(pdf.subarray(stream.start, stream.end), 'deflate', budget);
			budget -= data.length;
			text = data.toString('latin1');
		} catch (error) {
			if (error instanceof InflateLimitError) break;
			continue;
		}
		if (!text.includes('/EF')) continue;
		const first = Number(/\/First\s+(\d+)/.exec(stream.dict)?.[1] ?? NaN);
		const offsets = (text.slice(0, first).match(/\d+/g) ?? []).map(Number).filter((_, i) => i % 2);
		offsets.forEach((offset, i) => {
			specs.push(
				...fileSpecsIn(text.slice(first + offset, first + (offsets[i + 1] ?? text.length))),
			);
		});
	}
	return specs;
}
