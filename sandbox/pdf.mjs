// @ts-check
/**
 * What the sandbox reads in a PDF: the invoice a Factur-X / ZUGFeRD 2 PDF embeds (ISO 32000-1 §7.11 file
 * specifications, §7.9.6 name trees, PDF/A-3 associated files), and the visible text of a simple PDF (for the
 * deposer/pdf "OCR"). The objects come from pdfObjects.mjs; every stream is inflated within an InflateBudget.
 */
import { InflateBudget, MB } from './inflate.mjs';
import { xmlText, xmlRootName } from './xml.mjs';
import {
	PdfName,
	PdfString,
	PdfRef,
	PDF_MAX_DEPTH,
	readPdfObjects,
	decodePdfStream,
	isType,
	resolve,
	pdfTextString,
} from './pdfObjects.mjs';

/** @typedef {import('./pdfObjects.mjs').PdfDict} PdfDict */
/** @typedef {import('./pdfObjects.mjs').PdfValue} PdfValue */
/** @typedef {import('./pdfObjects.mjs').PdfObject} PdfObject */

export { PDF_MAX_STREAM_BYTES } from './pdfObjects.mjs';
/** Most bytes the sandbox inflates for one PDF, all its streams together (sandbox choice). */
export const PDF_MAX_INFLATED_BYTES = 64 * MB;

/**
 * What a PDF embeds as its structured invoice.
 * @typedef {object} EmbeddedInvoice
 * @property {string|null} xml the CII D16B CrossIndustryInvoice XML (Factur-X / ZUGFeRD 2), or null
 * @property {string|null} name the embedded file name of that XML
 * @property {string|null} zugferd1 name of an embedded ZUGFeRD 1.0 invoice (root CrossIndustryDocument), if any
 * @property {string[]} files names of the embedded files (file specifications) found, in the order tried
 */
/**
 * A file specification (a dictionary with `/EF`): its file name, where it is defined, and whether the last
 * catalog lists it (EmbeddedFiles name tree or `/AF`).
 * @typedef {{ name: string, pos: number, live: boolean }} FileSpec
 */

/**
 * Finds the structured invoice of a PDF: every file specification (`/EF` dictionaries, in objects or in object
 * streams; the catalog's EmbeddedFiles name tree and `/AF` list first, the last revision's first), then the
 * embedded-file streams no filespec names. The first XML whose root is CrossIndustryInvoice wins.
 * @param {Buffer} pdf @param {InflateBudget} [budget] shared bound on inflated bytes
 * @returns {EmbeddedInvoice}
 */
export function findEmbeddedInvoice(pdf, budget = new InflateBudget(PDF_MAX_INFLATED_BYTES)) {
	/** @type {EmbeddedInvoice} */
	const found = { xml: null, name: null, zugferd1: null, files: [] };
	const objects = readPdfObjects(pdf, budget);
	const specs = fileSpecifications(objects);
	markLiveSpecifications(objects, specs);
	/** @type {Set<PdfObject>} */
	const tried = new Set();
	/** @param {PdfObject|undefined} stream @param {string} name */
	const tryStream = (stream, name) => tryEmbeddedFile(objects, budget, found, tried, stream, name);
	const candidates = [...specs.entries()].sort(
		([, a], [, b]) =>
			Number(b.live) - Number(a.live) ||
			namePriority(a.name) - namePriority(b.name) ||
			b.pos - a.pos,
	);
	found.files = candidates.map(([, { name }]) => name).filter(Boolean);
	for (const [spec, { name }] of candidates) {
		const ef = resolve(objects, spec.get('EF'));
		if (!(ef instanceof Map)) continue;
		const ref = ef.get('F') ?? ef.get('UF') ?? [...ef.values()][0];
		if (ref instanceof PdfRef && tryStream(objects.get(ref.num), name)) return found;
	}
	// Embedded files no filespec names (or whose filespec could not be read).
	for (const stream of looseEmbeddedFiles(objects)) if (tryStream(stream, '')) return found;
	return found;
}

/**
 * The embedded Factur-X XML of a PDF (CII D16B CrossIndustryInvoice, whatever the embedded file's name:
 * `factur-x.xml`, ZUGFeRD 2's `zugferd-invoice.xml`, `xrechnung.xml`), or null when the PDF has none — a ZUGFeRD
 * 1.0 invoice (root CrossIndustryDocument) is not one.
 * @param {Buffer} pdf @param {InflateBudget} [budget]
 * @returns {string|null}
 */
export function extractFacturXml(pdf, budget) {
	return findEmbeddedInvoice(pdf, budget).xml;
}

/** Preference of an embedded file name: the Factur-X name first, then the ZUGFeRD 2 / XRechnung ones, then XML. @param {string} name */
function namePriority(name) {
	const base = name.replace(/^.*[/\\]/, '').toLowerCase();
	const i = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'].indexOf(base);
	return i >= 0 ? i : base.endsWith('.xml') ? 3 : 4;
}

/**
 * Every file specification of the file, with its name: `/UF`, else `/F`, else the key it has in a name tree.
 * @param {Map<number, PdfObject>} objects @returns {Map<PdfDict, FileSpec>}
 */
function fileSpecifications(objects) {
	/** @type {Map<PdfDict, FileSpec>} */
	const specs = new Map();
	for (const obj of objects.values()) collectSpecifications(objects, specs, obj.value, obj.pos, 0);
	return specs;
}

/**
 * Walks a value for file specifications. A reference is followed only from a name-tree leaf.
 * @param {Map<number, PdfObject>} objects @param {Map<PdfDict, FileSpec>} specs
 * @param {PdfValue} v @param {number} pos @param {number} depth @param {string} [key] name-tree key of `v`
 */
function collectSpecifications(objects, specs, v, pos, depth, key) {
	if (depth > PDF_MAX_DEPTH) return;
	if (Array.isArray(v)) {
		// name-tree leaves: [(key) filespec (key) filespec …]
		v.forEach((item, i) =>
			collectSpecifications(
				objects,
				specs,
				item,
				pos,
				depth + 1,
				v[i - 1] instanceof PdfString ? (pdfTextString(v[i - 1]) ?? '') : undefined,
			),
		);
		return;
	}
	if (v instanceof PdfRef && key !== undefined) {
		const target = objects.get(v.num)?.value;
		if (target instanceof Map && target.has('EF'))
			collectSpecifications(objects, specs, target, objects.get(v.num)?.pos ?? pos, depth + 1, key);
		return;
	}
	if (!(v instanceof Map)) return;
	if (v.has('EF')) {
		const name =
			pdfTextString(resolve(objects, v.get('UF'))) ??
			pdfTextString(resolve(objects, v.get('F'))) ??
			key ??
			'';
		const known = specs.get(v);
		if (!known) specs.set(v, { name, pos, live: false });
		else if (!known.name) known.name = name;
	}
	for (const item of v.values()) collectSpecifications(objects, specs, item, pos, depth + 1);
}

/**
 * Marks live the file specifications the last catalog lists: its EmbeddedFiles name tree and its associated
 * files (`/AF`, PDF/A-3).
 * @param {Map<number, PdfObject>} objects @param {Map<PdfDict, FileSpec>} specs
 */
function markLiveSpecifications(objects, specs) {
	const catalog = [...objects.values()]
		.filter((o) => isType(o.value, 'Catalog'))
		.sort((a, b) => b.pos - a.pos)[0]?.value;
	if (!(catalog instanceof Map)) return;
	/** @param {PdfValue} item */
	const markLive = (item) => {
		const spec = resolve(objects, item);
		const known = spec instanceof Map ? specs.get(spec) : undefined;
		if (known) known.live = true;
	};
	/** @type {Set<PdfDict>} */
	const seen = new Set();
	/** @param {PdfValue} node @param {number} depth */
	const walk = (node, depth) => {
		const n = resolve(objects, node);
		if (!(n instanceof Map) || seen.has(n) || depth > PDF_MAX_DEPTH) return;
		seen.add(n);
		const names = resolve(objects, n.get('Names'));
		if (Array.isArray(names)) for (let i = 1; i < names.length; i += 2) markLive(names[i]);
		const kids = resolve(objects, n.get('Kids'));
		if (Array.isArray(kids)) for (const kid of kids) walk(kid, depth + 1);
	};
	const namesDict = resolve(objects, catalog.get('Names'));
	if (namesDict instanceof Map) walk(namesDict.get('EmbeddedFiles'), 0);
	const associated = resolve(objects, catalog.get('AF'));
	if (Array.isArray(associated)) for (const item of associated) markLive(item);
}

/**
 * Embedded-file streams (`/Type /EmbeddedFile`, or an XML `/Subtype`), last defined first.
 * @param {Map<number, PdfObject>} objects
 */
function looseEmbeddedFiles(objects) {
	return [...objects.values()]
		.filter((o) => {
			if (!o.data || !(o.value instanceof Map)) return false;
			const sub = o.value.get('Subtype');
			return (
				isType(o.value, 'EmbeddedFile') ||
				(sub instanceof PdfName && /^(text|application)\/xml$/i.test(sub.name))
			);
		})
		.sort((a, b) => b.pos - a.pos);
}

/**
 * Reads an embedded file once: true when it is the CII invoice (kept in `found`); a ZUGFeRD 1.0 invoice is noted.
 * @param {Map<number, PdfObject>} objects @param {InflateBudget} budget @param {EmbeddedInvoice} found
 * @param {Set<PdfObject>} tried @param {PdfObject|undefined} stream @param {string} name
 */
function tryEmbeddedFile(objects, budget, found, tried, stream, name) {
	if (!stream || !stream.data || tried.has(stream)) return false;
	tried.add(stream);
	const data = decodePdfStream(objects, stream, budget);
	if (!data) return false;
	const xml = xmlText(data);
	const root = xmlRootName(xml);
	if (root === 'CrossIndustryInvoice') {
		Object.assign(found, { xml, name });
		return true;
	}
	if (root === 'CrossIndustryDocument' && !found.zugferd1) found.zugferd1 = name || 'fichier XML';
	return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Visible text

/**
 * Visible text of a simple PDF: the literal strings shown by `Tj`/`TJ`/`'`/`"` in its (uncompressed or
 * FlateDecode) content streams, one line per text-positioning operator. Good enough for generated PDFs.
 * @param {Buffer} pdf
 * @returns {string}
 */
export function pdfText(pdf) {
	const budget = new InflateBudget(PDF_MAX_INFLATED_BYTES);
	const objects = readPdfObjects(pdf, budget);
	/** @type {string[]} */
	const lines = [];
	const streams = [...objects.values()].filter((o) => o.data).sort((a, b) => a.pos - b.pos);
	for (const stream of streams) {
		const dict = /** @type {PdfDict} */ (stream.value);
		const sub = dict.get('Subtype');
		if (
			['EmbeddedFile', 'Metadata', 'XRef', 'ObjStm'].some((t) => isType(dict, t)) ||
			(sub instanceof PdfName && /^(Image|XML)$/.test(sub.name))
		)
			continue;
		const data = decodePdfStream(objects, stream, budget);
		if (!data) continue;
		const content = data.toString('latin1');
		if (/\bBT\b/.test(content)) addShownText(content, lines);
	}
	return lines.join('\n');
}

/** Adds the lines of text a content stream shows. @param {string} content @param {string[]} lines */
function addShownText(content, lines) {
	/** @type {Record<string, string>} */
	const escapes = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
	let current = '';
	const tokenRe = /\((?:\\.|[^\\)])*\)|T\*|\b(?:Td|TD|Tm|ET|BT)\b|'/g;
	for (const token of content.match(tokenRe) ?? []) {
		if (token[0] === '(') {
			current += token
				.slice(1, -1)
				.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, /** @type {string} */ e) =>
					/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (escapes[e] ?? e),
				);
		} else if (current) {
			lines.push(current);
			current = '';
		}
	}
	if (current) lines.push(current);
}
