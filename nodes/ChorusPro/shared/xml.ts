/**
 * A small, strict XML 1.0 reader with namespaces, for invoice files: elements, attributes, text
 * (entities, character references and CDATA decoded), comments, processing instructions and a
 * DOCTYPE, which is ignored — one declaring entities is refused (no external entities, no
 * "billion laughs"). Anything not well-formed is an XmlError with its line and column.
 */

export class XmlError extends Error {
	constructor(
		readonly reason: string,
		readonly line: number,
		readonly column: number,
	) {
		super(`line ${line}, column ${column}: ${reason}`);
	}
}

/** `name` as written (prefix included); `ns` the namespace URI, '' for an unprefixed attribute. */
export interface XmlAttribute {
	name: string;
	local: string;
	ns: string;
	value: string;
}

/** `text` is the element's own text, its children's excluded. */
export interface XmlElement {
	name: string;
	local: string;
	ns: string;
	attributes: XmlAttribute[];
	children: XmlElement[];
	text: string;
	parent?: XmlElement;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const MAX_DEPTH = 256;
const START = String.raw`:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}`;
const NAME = new RegExp(
	String.raw`[${START}][\u0300-\u036F${START}\-.0-9\u00B7\u203F-\u2040]*`,
	'uy',
);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Offset of the first character XML 1.0 does not allow (controls, U+FFFE/F, lone surrogates). */
function badCharacter(text: string): number {
	for (let at = 0; at < text.length; at++) {
		const code = text.charCodeAt(at);
		if (
			code < 0x20
				? code === 0x09 || code === 0x0a || code === 0x0d
				: code < 0xd800 || (code > 0xdfff && code < 0xfffe)
		)
			continue;
		const low = text.charCodeAt(at + 1);
		if (code > 0xdbff || code > 0xfffd || !(low >= 0xdc00 && low <= 0xdfff)) return at;
		at++;
	}
	return -1;
}

/**
 * The text of an XML file's bytes: UTF-8 (the default), UTF-16 with a byte order mark, or the
 * encoding its declaration names. Bytes that are not valid in that encoding are an XmlError.
 */
export function decodeXml(bytes: Uint8Array): string {
	let encoding = 'utf-8';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
	else if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
	else {
		const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
		const declared =
			/^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
		if (declared) encoding = declared[1].toLowerCase();
	}
	let decoder: InstanceType<typeof TextDecoder> | undefined;
	try {
		decoder = new TextDecoder(encoding, { fatal: true });
		return decoder.decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		// Reported below, outside the catch.
	}
	const reason = decoder
		? `the bytes are not valid ${encoding.toUpperCase()}`
		: `the encoding "${encoding}" is not supported`;
	throw new XmlError(reason, 1, 1);
}

/** Reads one XML document; returns its root element. Throws XmlError. */
export function parseXml(source: string): XmlElement {
	const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	let at = 0;

	const fail = (reason: string, offset = at): never => {
		const before = text.slice(0, offset).split('\n');
		throw new XmlError(reason, before.length, before[before.length - 1].length + 1);
	};
	const bad = badCharacter(text);
	const code = text.charCodeAt(bad).toString(16).padStart(4, '0').toUpperCase();
	if (bad >= 0) fail(`the character U+${code} is not allowed in XML`, bad);

	const isSpace = (offset: number) => {
		const code = text.charCodeAt(offset);
		return code === 0x20 || code === 0x09 || code === 0x0a;
	};
	const skipSpace = () => {
		while (isSpace(at)) at++;
	};
	const expect = (literal: string) => {
		if (!text.startsWith(literal, at)) fail(`"${literal}" expected`);
		at += literal.length;
	};
	const name = (): string => {
		NAME.lastIndex = at;
		const found = NAME.exec(text);
		if (!found) return fail('a name was expected');
		at += found[0].length;
		return found[0];
	};
	const upTo = (end: string, what: string): string => {
		const stop = text.indexOf(end, at);
		if (stop < 0) fail(`${what} is not closed ("${end}" missing)`);
		const body = text.slice(at, stop);
		at = stop + end.length;
		return body;
	};
	/** Replaces entity and character references; refuses any other entity. */
	const decode = (raw: string, offset: number): string => {
		if (!raw.includes('&')) return raw;
		return raw.replace(
			/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*)?(;)?/g,
			(_, ref?: string, end?: string, index = 0) => {
				const where = offset + index;
				if (!ref || !end) return fail('"&" must start a reference such as &amp;', where);
				if (ref.startsWith('#')) {
					const value = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
					const char = value <= 0x10ffff ? String.fromCodePoint(value) : '\0';
					if (badCharacter(char) >= 0) fail(`&${ref}; is not an allowed character`, where);
					return char;
				}
				return ENTITIES[ref] ?? fail(`the entity &${ref}; is not defined`, where);
			},
		);
	};

	const comment = () => {
		at += 4;
		const body = upTo('-->', 'a comment');
		if (body.includes('--') || body.endsWith('-')) fail('"--" is not allowed in a comment');
	};
	const instruction = (prolog: boolean) => {
		const start = at;
		at += 2;
		const target = name();
		if (target.toLowerCase() === 'xml' && !(prolog && start === 0))
			fail('the XML declaration must come first in the file', start);
		if (!/[ \t\n?]/.test(text[at])) fail('a space was expected after the instruction target');
		const body = upTo('?>', 'a processing instruction');
		if (target === 'xml' && !/^\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(body))
			fail('the XML declaration has no version', start);
	};
	const doctype = () => {
		const start = at;
		at += 9;
		// Quoted literals may hold brackets; the internal subset sits between [ and ].
		let depth = 0;
		while (at < text.length && !(text[at] === '>' && depth === 0)) {
			const char = text[at];
			const end = char === '"' || char === "'" ? char : text.startsWith('<!--', at) ? '-->' : '';
			if (end) {
				at = text.indexOf(end, at + 1) + end.length - 1;
				if (at < end.length - 1) fail('the DOCTYPE is not closed', start);
			} else if (char === '[') depth++;
			else if (char === ']') depth--;
			at++;
		}
		if (at >= text.length) fail('the DOCTYPE is not closed', start);
		at++;
		// Entities can read other files or expand without end (XXE, "billion laughs").
		if (/<!ENTITY/.test(text.slice(start, at)))
			fail('a DOCTYPE declaring entities is refused', start);
	};
	/** Comments, processing instructions and spaces; a DOCTYPE in the prolog only. */
	const misc = (prolog: boolean) => {
		for (;;) {
			skipSpace();
			if (text.startsWith('<!--', at)) comment();
			else if (text.startsWith('<?', at)) instruction(prolog);
			else if (prolog && text.startsWith('<!DOCTYPE', at)) doctype();
			else return;
		}
	};

	const element = (
		scope: Map<string, string>,
		parent: XmlElement | undefined,
		depth: number,
	): XmlElement => {
		const start = at;
		if (depth > MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} deep`);
		at++;
		const qname = name();
		const raw: Array<{ name: string; value: string; offset: number }> = [];
		for (;;) {
			const spaced = isSpace(at);
			skipSpace();
			if (text.startsWith('/>', at) || text[at] === '>') break;
			if (!spaced) fail('a space was expected between attributes');
			const offset = at;
			const attribute = name();
			skipSpace();
			expect('=');
			skipSpace();
			const quote = text[at];
			if (quote !== '"' && quote !== "'") fail('an attribute value must be in quotes');
			at++;
			const valueAt = at;
			const value = upTo(quote, 'an attribute value');
			if (value.includes('<'))
				fail('"<" is not allowed in an attribute value', valueAt + value.indexOf('<'));
			if (raw.some((other) => other.name === attribute))
				fail(`the attribute "${attribute}" is repeated`, offset);
			raw.push({ name: attribute, value: decode(value.replace(/[\t\n]/g, ' '), valueAt), offset });
		}
		const declares = raw.some(({ name: attribute }) => attribute.startsWith('xmlns'));
		const own = declares ? new Map(scope) : scope;
		for (const { name: attribute, value, offset } of declares ? raw : []) {
			if (attribute === 'xmlns') own.set('', value);
			else if (attribute.startsWith('xmlns:')) {
				const prefix = attribute.slice(6);
				if (!value) fail(`the namespace prefix "${prefix}" cannot be undeclared`, offset);
				if (prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NS))
					fail(`the prefix "${prefix}" is reserved`, offset);
				own.set(prefix, value);
			}
		}
		const resolve = (qualified: string, isElement: boolean, offset: number) => {
			const colon = qualified.indexOf(':');
			if (colon < 0) return { local: qualified, ns: isElement ? (own.get('') ?? '') : '' };
			const prefix = qualified.slice(0, colon);
			const local = qualified.slice(colon + 1);
			if (!local || local.includes(':'))
				fail(`"${qualified}" is not a valid qualified name`, offset);
			const ns = prefix === 'xml' ? XML_NS : prefix === 'xmlns' ? XMLNS_NS : own.get(prefix);
			if (ns === undefined) return fail(`the namespace prefix "${prefix}" is not declared`, offset);
			return { local, ns };
		};
		const { local, ns } = resolve(qname, true, start + 1);
		const node: XmlElement = {
			name: qname,
			local,
			ns,
			attributes: [],
			children: [],
			text: '',
			parent,
		};
		const seen = new Set<string>();
		for (const { name: attribute, value, offset } of raw) {
			const { local, ns } = resolve(attribute, false, offset);
			if (seen.has(`${ns} ${local}`)) fail(`the attribute "${attribute}" is repeated`, offset);
			seen.add(`${ns} ${local}`);
			node.attributes.push({ name: attribute, local, ns, value });
		}
		if (text.startsWith('/>', at)) {
			at += 2;
			return node;
		}
		at++;
		const parts: string[] = [];
		for (;;) {
			const next = text.indexOf('<', at);
			if (next < 0) fail(`the element "${qname}" is not closed`, start);
			const chunk = text.slice(at, next);
			if (chunk.includes(']]>')) fail('"]]>" is not allowed in text', at + chunk.indexOf(']]>'));
			parts.push(decode(chunk, at));
			at = next;
			if (text.startsWith('</', at)) {
				at += 2;
				const closing = name();
				if (closing !== qname) fail(`the element "${qname}" is closed by "</${closing}>"`, next);
				skipSpace();
				expect('>');
				node.text = parts.join('');
				return node;
			}
			if (text.startsWith('<!--', at)) comment();
			else if (text.startsWith('<![CDATA[', at)) {
				at += 9;
				parts.push(upTo(']]>', 'a CDATA section'));
			} else if (text.startsWith('<?', at)) instruction(false);
			else if (text.startsWith('<!', at)) fail('a DOCTYPE or declaration is not allowed here');
			else node.children.push(element(own, node, depth + 1));
		}
	};

	misc(true);
	if (at >= text.length) fail('the file has no root element');
	if (text[at] !== '<') fail('text is not allowed before the root element');
	const root = element(new Map([['xml', XML_NS]]), undefined, 0);
	misc(false);
	if (at < text.length) fail('only comments and instructions may follow the root element');
	return root;
}
