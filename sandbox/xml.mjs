// @ts-check
/**
 * A tiny XML reader (no DTD, no DOM library) for the deposited invoices: a tree of elements with their namespace
 * URIs and line numbers, path lookups, and the root name / text of an embedded XML file. Ill-formed XML is a
 * FileError `ERR_XSD_001` whose message names the line, as the platform's schema validation does.
 */
import { xsdError } from './fileErrors.mjs';

/**
 * @typedef {object} XmlNode
 * @property {string} name local name (prefix removed)
 * @property {string} qname qualified name as written
 * @property {string} ns namespace URI ('' when none)
 * @property {Record<string, string>} attrs attributes by qualified name
 * @property {XmlNode[]} children
 * @property {string} text concatenated character data of this element (not of its children), trimmed
 * @property {number} line line of the start tag (1-based)
 */

const TAG =
	/<(\/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
const UNCLOSED = 'XML document structures must start and end within the same entity.';
const NOT_WELL_FORMED =
	'The markup in the document following the root element must be well-formed.';

/** Where an error is, as the platform's messages say it. @param {number} line */
const where = (line) => ` - ligne: ${line} - position: 1`;

/** @param {string} s */
function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e) => {
		if (e[0] === '#')
			return String.fromCodePoint(
				e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
			);
		return /** @type {Record<string, string>} */ ({
			lt: '<',
			gt: '>',
			amp: '&',
			quot: '"',
			apos: "'",
		})[e];
	});
}

/**
 * Parses an XML document into a tree of elements. Checks well-formedness of tags (nesting, single root);
 * refuses DOCTYPE declarations (no entity expansion).
 * @param {string} xml
 * @returns {XmlNode} the root element
 */
export function parseXml(xml) {
	return new XmlReader(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).read();
}

/** One pass over a document: character data, markup to skip, and tags that open and close elements. */
class XmlReader {
	/** @param {string} text */
	constructor(text) {
		this.text = text;
		this.pos = 0;
		this.line = 1;
		/** @type {XmlNode|null} */
		this.root = null;
		/** @type {XmlNode[]} open elements */
		this.stack = [];
		/** @type {Record<string, string>[]} namespace scopes of the open elements */
		this.scopes = [{ xml: 'http://www.w3.org/XML/1998/namespace' }];
		/** @type {string[][]} text chunks per open element */
		this.texts = [];
	}

	/** @returns {XmlNode} */
	read() {
		const { text } = this;
		while (this.pos < text.length) {
			const lt = text.indexOf('<', this.pos);
			this.characters(text.slice(this.pos, lt < 0 ? text.length : lt));
			if (lt < 0) {
				this.advance(text.length);
				break;
			}
			this.advance(lt);
			if (!this.skipMarkup()) this.tag();
		}
		if (this.stack.length) {
			const open = this.stack[this.stack.length - 1];
			throw xsdError(
				`The element type "${open.qname}" must be terminated by the matching end-tag "</${open.qname}>".`,
				where(this.line),
			);
		}
		if (!this.root) throw xsdError('Premature end of file.', ' - ligne: 1 - position: 1');
		return this.root;
	}

	/** Moves to `to`, counting the lines passed. @param {number} to */
	advance(to) {
		for (let k = this.pos; k < to; k++) if (this.text.charCodeAt(k) === 10) this.line++;
		this.pos = to;
	}

	/** Character data between tags: text of the open element (only blanks outside the root). @param {string} chunk */
	characters(chunk) {
		if (!chunk.trim()) return;
		if (!this.stack.length)
			throw xsdError('Content is not allowed outside the root element.', where(this.line));
		this.texts[this.texts.length - 1].push(decodeEntities(chunk));
	}

	/**
	 * Skips a processing instruction or a comment, keeps the text of a CDATA section; false when a tag is next.
	 * A DOCTYPE is refused.
	 */
	skipMarkup() {
		const { text, pos } = this;
		if (text.startsWith('<?', pos)) return this.skipPast('?>');
		if (text.startsWith('<!--', pos)) return this.skipPast('-->');
		if (text.startsWith('<![CDATA[', pos)) {
			const end = text.indexOf(']]>', pos);
			if (end < 0 || !this.stack.length) throw xsdError(UNCLOSED);
			this.texts[this.texts.length - 1].push(text.slice(pos + 9, end));
			this.advance(end + 3);
			return true;
		}
		if (text.startsWith('<!', pos)) throw xsdError('DOCTYPE is disallowed.', where(this.line));
		return false;
	}

	/** @param {string} end */
	skipPast(end) {
		const at = this.text.indexOf(end, this.pos);
		if (at < 0) throw xsdError(UNCLOSED);
		this.advance(at + end.length);
		return true;
	}

	/** A start, end or empty-element tag. */
	tag() {
		TAG.lastIndex = this.pos;
		const m = TAG.exec(this.text);
		if (!m) throw xsdError(NOT_WELL_FORMED, where(this.line));
		const [whole, closing, qname, attrText, selfClosing] = m;
		const tagLine = this.line;
		this.advance(this.pos + whole.length);
		if (closing) this.close(qname, tagLine);
		else this.open(qname, attrText, Boolean(selfClosing), tagLine);
	}

	/** @param {string} qname @param {number} tagLine */
	close(qname, tagLine) {
		const open = this.stack.pop();
		if (!open || open.qname !== qname) {
			const name = open ? open.qname : qname;
			throw xsdError(
				`The element type "${name}" must be terminated by the matching end-tag "</${name}>".`,
				where(tagLine),
			);
		}
		open.text = (this.texts.pop() ?? []).join('').trim();
		this.scopes.pop();
	}

	/** @param {string} qname @param {string} attrText @param {boolean} selfClosing @param {number} tagLine */
	open(qname, attrText, selfClosing, tagLine) {
		if (!this.stack.length && this.root) throw xsdError(NOT_WELL_FORMED, where(tagLine));
		/** @type {Record<string, string>} */
		const attrs = {};
		/** @type {Record<string, string>} */
		const scope = { ...this.scopes[this.scopes.length - 1] };
		for (const a of attrText.matchAll(ATTRIBUTE)) {
			const value = decodeEntities(a[3] ?? a[4] ?? '');
			attrs[a[1]] = value;
			if (a[1] === 'xmlns') scope[''] = value;
			else if (a[1].startsWith('xmlns:')) scope[a[1].slice(6)] = value;
		}
		const colon = qname.indexOf(':');
		const prefix = colon < 0 ? '' : qname.slice(0, colon);
		/** @type {XmlNode} */
		const node = {
			name: colon < 0 ? qname : qname.slice(colon + 1),
			qname,
			ns: scope[prefix] ?? '',
			attrs,
			children: [],
			text: '',
			line: tagLine,
		};
		if (this.stack.length) this.stack[this.stack.length - 1].children.push(node);
		else this.root = node;
		if (!selfClosing) {
			this.stack.push(node);
			this.scopes.push(scope);
			this.texts.push([]);
		}
	}
}

/**
 * First descendant reached by following child local names, e.g. `at(root, 'AccountingSupplierParty', 'Party')`.
 * @param {XmlNode|undefined} node @param {...string} names
 * @returns {XmlNode|undefined}
 */
export function at(node, ...names) {
	let current = node;
	for (const name of names) {
		if (!current) return undefined;
		current = current.children.find((c) => c.name === name);
	}
	return current;
}

/** Text of the node at that path, or null. @param {XmlNode|undefined} node @param {...string} names */
export function textAt(node, ...names) {
	const found = at(node, ...names);
	return found && found.text !== '' ? found.text : null;
}

/** All children with that local name. @param {XmlNode|undefined} node @param {string} name */
export function childrenNamed(node, name) {
	return node ? node.children.filter((c) => c.name === name) : [];
}

/** Text of an XML file whatever its encoding mark (UTF-8 by default, UTF-16 with a BOM). @param {Buffer} b */
export function xmlText(b) {
	if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
	if (b[0] === 0xfe && b[1] === 0xff)
		return Buffer.from(b.subarray(2, b.length - (b.length % 2)))
			.swap16()
			.toString('utf16le');
	return b.toString('utf8');
}

/**
 * Local name of the root element of an XML text (prolog, comments and DOCTYPE skipped), or null.
 * @param {string} xml
 */
export function xmlRootName(xml) {
	let p = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (let guard = 0; guard < 1000; guard++) {
		while (p < xml.length && /\s/.test(xml[p])) p++;
		const end = xml.startsWith('<?', p)
			? '?>'
			: xml.startsWith('<!--', p)
				? '-->'
				: xml.startsWith('<!', p)
					? '>'
					: null;
		if (!end) break;
		const close = xml.indexOf(end, p + 2);
		if (close < 0) return null;
		p = close + end.length;
	}
	const m = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(xml.slice(p, p + 300));
	return m ? m[1] : null;
}
