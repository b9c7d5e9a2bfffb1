// @ts-check
/**
 * A small reader of PDF objects (ISO 32000-1 §7.3 objects, §7.5.7 object streams), enough to find the invoice
 * embedded in a Factur-X / ZUGFeRD PDF however it was written: objects inside compressed object streams, any
 * /Length form, incremental updates (the last definition of an object wins, as the last xref section says).
 * Stream data is decoded within an InflateBudget.
 */
import { inflateBounded, MB } from './inflate.mjs';

/** @typedef {import('./inflate.mjs').InflateBudget} InflateBudget */

/**
 * Most bytes one PDF stream may inflate to (an embedded invoice XML, an object stream, a page's content):
 * deposer/pdf and ajouter/fichier take files of at most 10 MB (docs/chorus-pro-api.md §6), so an embedded
 * invoice XML is far below this. Sandbox choice.
 */
export const PDF_MAX_STREAM_BYTES = 16 * MB;
/** Deepest nesting of arrays / dictionaries read in a PDF object (a hostile file cannot exhaust the stack). */
export const PDF_MAX_DEPTH = 64;

export class PdfName {
	/** @param {string} name decoded (`#xx` escapes applied) */
	constructor(name) {
		this.name = name;
	}
}
export class PdfString {
	/** @param {string} bytes one char per byte (latin1) */
	constructor(bytes) {
		this.bytes = bytes;
	}
}
export class PdfRef {
	/** @param {number} num @param {number} gen */
	constructor(num, gen) {
		this.num = num;
		this.gen = gen;
	}
}
/** @typedef {Map<string, any>} PdfDict dictionary: key without the slash → value */
/** @typedef {number|boolean|null|PdfName|PdfString|PdfRef|PdfDict|any[]} PdfValue */
/** @typedef {{ value: PdfValue, end: number }} Parsed a value and the position after it */
/**
 * An object of the file: its value and, for a stream, its raw (still encoded) bytes. `pos` orders definitions:
 * a later one replaces an earlier one with the same number (incremental updates).
 * @typedef {{ num: number, value: PdfValue, data: Buffer|null, pos: number }} PdfObject
 */

const PDF_WS = /[\0\t\n\f\r ]/;
export const PDF_DELIM = /[\0\t\n\f\r ()<>[\]{}/%]/;

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Position of the next token (whitespace and comments skipped). @param {string} s @param {number} p */
export function pdfSkip(s, p) {
	for (;;) {
		while (p < s.length && PDF_WS.test(s[p])) p++;
		if (s[p] !== '%') return p;
		while (p < s.length && s[p] !== '\n' && s[p] !== '\r') p++;
	}
}

/**
 * One PDF object value at `p` (dictionaries, arrays, names, strings, numbers, references, booleans, null).
 * Throws on anything else (an operator, a truncated object).
 * @param {string} s @param {number} p @param {number} [depth]
 * @returns {Parsed}
 */
export function pdfValue(s, p, depth = 0) {
	if (depth > PDF_MAX_DEPTH) throw new Error('too deep');
	p = pdfSkip(s, p);
	const c = s[p];
	if (c === '<' && s[p + 1] === '<') return pdfDictionary(s, p, depth);
	if (c === '<') return pdfHexString(s, p);
	if (c === '(') return pdfLiteral(s, p);
	if (c === '[') return pdfArray(s, p, depth);
	if (c === '/') return pdfName(s, p);
	return pdfNumberOrKeyword(s, p);
}

/** `<< /Key value … >>` at `p`. @param {string} s @param {number} p @param {number} depth @returns {Parsed} */
function pdfDictionary(s, p, depth) {
	/** @type {PdfDict} */
	const dict = new Map();
	p += 2;
	for (;;) {
		p = pdfSkip(s, p);
		if (s[p] === '>' && s[p + 1] === '>') return { value: dict, end: p + 2 };
		const key = pdfValue(s, p, depth + 1);
		if (!(key.value instanceof PdfName)) throw new Error('dictionary key');
		const val = pdfValue(s, key.end, depth + 1);
		dict.set(key.value.name, val.value);
		p = val.end;
	}
}

/** `[ value … ]` at `p`. @param {string} s @param {number} p @param {number} depth @returns {Parsed} */
function pdfArray(s, p, depth) {
	/** @type {PdfValue[]} */
	const arr = [];
	p++;
	for (;;) {
		p = pdfSkip(s, p);
		if (s[p] === ']') return { value: arr, end: p + 1 };
		if (p >= s.length) throw new Error('unterminated array');
		const v = pdfValue(s, p, depth + 1);
		arr.push(v.value);
		p = v.end;
	}
}

/** Hex string `< … >` at `p`. @param {string} s @param {number} p @returns {Parsed} */
function pdfHexString(s, p) {
	const end = s.indexOf('>', p);
	if (end < 0) throw new Error('unterminated hex string');
	const hex = s.slice(p + 1, end).replace(/[\0\t\n\f\r ]/g, '');
	if (!/^[0-9A-Fa-f]*$/.test(hex)) throw new Error('hex string');
	const bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1');
	return { value: new PdfString(bytes), end: end + 1 };
}

/** Literal string `( … )` starting at `p` (on the parenthesis). @param {string} s @param {number} p @returns {Parsed} */
function pdfLiteral(s, p) {
	let out = '';
	let depth = 1;
	let i = p + 1;
	while (i < s.length) {
		const c = s[i];
		if (c === '\\') {
			const e = s[i + 1];
			const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
			if (oct) {
				out += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
				i += 1 + oct[0].length;
				continue;
			}
			i += 2;
			if (e === '\r') {
				if (s[i] === '\n') i++; // line continuation
			} else if (e !== '\n' && e !== undefined) {
				out +=
					/** @type {Record<string, string>} */ ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[
						e
					] ?? e;
			}
			continue;
		}
		if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return { value: new PdfString(out), end: i + 1 };
		out += c;
		i++;
	}
	throw new Error('unterminated string');
}

/** `/Name` at `p` (`#xx` escapes decoded). @param {string} s @param {number} p @returns {Parsed} */
function pdfName(s, p) {
	let e = p + 1;
	while (e < s.length && !PDF_DELIM.test(s[e])) e++;
	const name = s
		.slice(p + 1, e)
		.replace(/#([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
	return { value: new PdfName(name), end: e };
}

/** A number, a reference `num gen R`, `true`, `false` or `null` at `p`. @param {string} s @param {number} p @returns {Parsed} */
function pdfNumberOrKeyword(s, p) {
	const num = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(s.slice(p, p + 40));
	if (num) {
		const end = p + num[0].length;
		if (/^\d+$/.test(num[0])) {
			const ref = /^\s+(\d+)\s+R(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(s.slice(end, end + 40));
			if (ref)
				return { value: new PdfRef(Number(num[0]), Number(ref[1])), end: end + ref[0].length };
		}
		return { value: Number(num[0]), end };
	}
	for (const [word, value] of /** @type {[string, PdfValue][]} */ ([
		['true', true],
		['false', false],
		['null', null],
	])) {
		if (s.startsWith(word, p)) return { value, end: p + word.length };
	}
	throw new Error(`unexpected ${JSON.stringify(s.slice(p, p + 10))}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Objects

/**
 * Every object of a PDF, the last definition of each number winning: top-level `n g obj` objects, then the members
 * of the object streams (`/Type /ObjStm`, inflated within the budget), placed where their stream is.
 * @param {Buffer} pdf @param {InflateBudget} budget
 * @returns {Map<number, PdfObject>}
 */
export function readPdfObjects(pdf, budget) {
	const objects = topLevelObjects(pdf);
	for (const holder of [...objects.values()]) addObjectStreamMembers(objects, holder, budget);
	return objects;
}

/** The `n g obj … endobj` objects, streams with their raw data. @param {Buffer} pdf @returns {Map<number, PdfObject>} */
function topLevelObjects(pdf) {
	const text = pdf.toString('latin1');
	/** @type {Map<number, PdfObject>} */
	const objects = new Map();
	const integers = integerObjects(text);
	const re = /(\d+)\s+(\d+)\s+obj\b/g;
	/** @type {RegExpExecArray|null} */
	let m;
	while ((m = re.exec(text))) {
		if (m.index > 0 && !PDF_DELIM.test(text[m.index - 1])) continue;
		let parsed;
		try {
			parsed = pdfValue(text, m.index + m[0].length);
		} catch {
			continue;
		}
		/** @type {PdfObject} */
		const obj = { num: Number(m[1]), value: parsed.value, data: null, pos: m.index };
		const after = pdfSkip(text, parsed.end);
		if (parsed.value instanceof Map && text.startsWith('stream', after)) {
			const { start, end } = streamBounds(text, after, parsed.value, integers);
			obj.data = pdf.subarray(start, Math.max(start, end));
			re.lastIndex = Math.max(end, start);
		} else {
			re.lastIndex = parsed.end;
		}
		objects.set(obj.num, obj);
	}
	return objects;
}

/**
 * Integer objects, for the streams whose /Length is a reference to one (often written after the stream): knowing
 * it before reading the stream keeps the scan out of its data (which may hold a whole PDF).
 * @param {string} text @returns {Map<number, number>}
 */
function integerObjects(text) {
	/** @type {Map<number, number>} */
	const integers = new Map();
	for (const im of text.matchAll(/(?<![\d])(\d+)\s+\d+\s+obj\s*(\d+)\s*endobj/g))
		integers.set(Number(im[1]), Number(im[2]));
	return integers;
}

/** Is there an `endstream` keyword at `p` (after an optional end of line)? @param {string} s @param {number} p */
const endstreamAt = (s, p) => /^[\r\n]{0,2}\s*endstream/.test(s.slice(p, p + 24));

/**
 * Where the data of a stream starts and ends: by its /Length when that lands on `endstream`, else up to the
 * `endstream` keyword (a missing or wrong /Length).
 * @param {string} text @param {number} keyword position of `stream` @param {PdfDict} dict @param {Map<number, number>} integers
 */
function streamBounds(text, keyword, dict, integers) {
	let start = keyword + 6;
	if (text[start] === '\r') start++;
	if (text[start] === '\n') start++;
	const declared = dict.get('Length');
	const length = declared instanceof PdfRef ? integers.get(declared.num) : declared;
	if (typeof length === 'number' && length >= 0 && endstreamAt(text, start + length))
		return { start, end: start + length };
	let end = text.indexOf('endstream', start);
	if (end < 0) end = text.length;
	if (text[end - 1] === '\n') end--;
	if (text[end - 1] === '\r') end--;
	return { start, end };
}

/**
 * The members of an object stream, placed at the stream's position (a later top-level definition wins).
 * @param {Map<number, PdfObject>} objects @param {PdfObject} holder @param {InflateBudget} budget
 */
function addObjectStreamMembers(objects, holder, budget) {
	if (!isType(holder.value, 'ObjStm') || !holder.data) return;
	const dict = /** @type {PdfDict} */ (holder.value);
	const data = decodePdfStream(objects, holder, budget);
	const n = dict.get('N');
	const first = dict.get('First');
	if (!data || typeof n !== 'number' || typeof first !== 'number') return;
	const body = data.toString('latin1');
	const header = body.slice(0, first).trim().split(/\s+/).map(Number);
	for (let i = 0; i < n && 2 * i + 1 < header.length; i++) {
		const num = header[2 * i];
		const offset = first + header[2 * i + 1];
		const known = objects.get(num);
		if (!Number.isInteger(num) || (known && known.pos > holder.pos)) continue;
		try {
			const { value } = pdfValue(body, offset);
			objects.set(num, { num, value, data: null, pos: holder.pos });
		} catch {
			/* unreadable member: skipped */
		}
	}
}

/** @param {PdfValue} v @param {string} type */
export function isType(v, type) {
	const t = v instanceof Map ? v.get('Type') : undefined;
	return t instanceof PdfName && t.name === type;
}

/** The value behind a reference (one level). @param {Map<number, PdfObject>} objects @param {PdfValue|undefined} v */
export function resolve(objects, v) {
	return v instanceof PdfRef ? (objects.get(v.num)?.value ?? null) : (v ?? null);
}

/** A PDF text string: UTF-16BE with its BOM, UTF-8 with its BOM (PDF 2.0), else PDFDocEncoding (~latin1). @param {PdfValue} v */
export function pdfTextString(v) {
	if (!(v instanceof PdfString)) return null;
	const b = Buffer.from(v.bytes, 'latin1');
	if (b[0] === 0xfe && b[1] === 0xff)
		return Buffer.from(b.subarray(2, b.length - (b.length % 2)))
			.swap16()
			.toString('utf16le');
	if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
	return v.bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Stream data

/**
 * Decoded bytes of a stream object (FlateDecode with or without predictor, ASCIIHexDecode, no filter), or null
 * for other filters, undecodable data or data that would inflate beyond the bounds.
 * @param {Map<number, PdfObject>} objects @param {PdfObject} obj @param {InflateBudget} budget
 */
export function decodePdfStream(objects, obj, budget) {
	if (!obj.data || !(obj.value instanceof Map)) return null;
	const dict = obj.value;
	const f = resolve(objects, dict.get('Filter'));
	const p = resolve(objects, dict.get('DecodeParms'));
	const filters = Array.isArray(f) ? f : f == null ? [] : [f];
	const parms = Array.isArray(p) ? p : [p];
	/** @type {Buffer|null} */
	let data = obj.data;
	for (let i = 0; i < filters.length && data; i++) {
		const filter = resolve(objects, filters[i]);
		const name = filter instanceof PdfName ? filter.name : '';
		const parm = resolve(objects, parms[i]);
		if (name === 'FlateDecode' || name === 'Fl') {
			data = inflateBounded(data, budget, PDF_MAX_STREAM_BYTES);
			if (data && parm instanceof Map) data = unpredict(data, parm);
		} else if (name === 'ASCIIHexDecode' || name === 'AHx') {
			/** @type {string} */
			const hex = data
				.toString('latin1')
				.replace(/>[\s\S]*$/, '')
				.replace(/[^0-9A-Fa-f]/g, '');
			data = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
		} else {
			return null;
		}
	}
	return data;
}

/**
 * PNG predictors (DecodeParms /Predictor 10–15) undone, rows of `columns` × `colors` × `bits` bits.
 * @param {Buffer} data @param {PdfDict} parms @returns {Buffer|null}
 */
function unpredict(data, parms) {
	const predictor = parms.get('Predictor') ?? 1;
	if (predictor === 1) return data;
	if (predictor < 10) return null; // TIFF predictor: not needed for what the sandbox reads
	const colors = parms.get('Colors') ?? 1;
	const bits = parms.get('BitsPerComponent') ?? 8;
	const bpp = Math.max(1, Math.ceil((colors * bits) / 8));
	const row = Math.ceil(((parms.get('Columns') ?? 1) * colors * bits) / 8);
	const out = Buffer.alloc(Math.floor(data.length / (row + 1)) * row);
	for (let r = 0; (r + 1) * (row + 1) <= data.length; r++) {
		const type = data[r * (row + 1)];
		const src = r * (row + 1) + 1;
		const dst = r * row;
		for (let i = 0; i < row; i++) {
			const left = i >= bpp ? out[dst + i - bpp] : 0;
			const up = r > 0 ? out[dst - row + i] : 0;
			const upLeft = r > 0 && i >= bpp ? out[dst - row + i - bpp] : 0;
			let v = data[src + i];
			if (type === 1) v += left;
			else if (type === 2) v += up;
			else if (type === 3) v += (left + up) >> 1;
			else if (type === 4) {
				const pa = Math.abs(up - upLeft);
				const pb = Math.abs(left - upLeft);
				const pc = Math.abs(left + up - 2 * upLeft);
				v += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
			}
			out[dst + i] = v & 0xff;
		}
	}
	return out;
}
