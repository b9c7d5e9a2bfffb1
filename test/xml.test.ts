import type { XmlElement } from '../nodes/ChorusPro/shared/xml';
import { decodeXml, parseXml, XmlError } from '../nodes/ChorusPro/shared/xml';
import { attributeOf, childrenOf, pathOf } from '../nodes/ChorusPro/shared/validation/xpath';

/** The error parseXml throws for `xml`, as "line L, column C: reason". */
function errorOf(xml: string): string {
	try {
		parseXml(xml);
	} catch (error) {
		expect(error).toBeInstanceOf(XmlError);
		return (error as XmlError).message;
	}
	throw new Error('parsed without error');
}

const A = 'urn:example:a';
const B = 'urn:example:b';

describe('XML reader (shared/xml.ts)', () => {
	it('reads elements, attributes and namespaces: default, prefixed, redeclared in a child', () => {
		const root = parseXml(
			`<?xml version="1.0" encoding="UTF-8"?>\n<r xmlns="${A}" xmlns:b="${B}" id="1" b:code="x" xml:lang="fr">` +
				`<b:child><inner/></b:child><c xmlns="${B}"><d/></c><e xmlns=""/></r>`,
		);
		expect({ name: root.name, local: root.local, ns: root.ns }).toEqual({
			name: 'r',
			local: 'r',
			ns: A,
		});
		expect(root.attributes).toEqual([
			{ name: 'xmlns', local: 'xmlns', ns: '', value: A },
			{ name: 'xmlns:b', local: 'b', ns: 'http://www.w3.org/2000/xmlns/', value: B },
			{ name: 'id', local: 'id', ns: '', value: '1' },
			{ name: 'b:code', local: 'code', ns: B, value: 'x' },
			{ name: 'xml:lang', local: 'lang', ns: 'http://www.w3.org/XML/1998/namespace', value: 'fr' },
		]);
		const [child, c, e] = root.children;
		expect([child.name, child.local, child.ns]).toEqual(['b:child', 'child', B]);
		// An unprefixed element takes the default namespace; an unprefixed attribute takes none.
		expect(child.children[0].ns).toBe(A);
		expect(c.ns).toBe(B);
		expect(c.children[0].ns).toBe(B);
		expect(e.ns).toBe('');
		expect(childrenOf(root, B, 'child')).toEqual([child]);
		expect(attributeOf(root, 'id')).toBe('1');
		expect(attributeOf(root, 'code')).toBeUndefined();
	});

	it('decodes text: entities, character references, CDATA; skips comments and instructions', () => {
		const root = parseXml(
			'<r>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233;&#x20AC;&#x1F600; <![CDATA[<raw> & ]]]]><!-- no --><?pi data?>end</r>',
		);
		expect(root.text).toBe(`a <b> & "c" 'd' é€😀 <raw> & ]]end`);
		expect(root.children).toEqual([]);
	});

	it('normalizes line ends and the spaces of attribute values, keeps a byte order mark out', () => {
		const root = parseXml('\uFEFF<r a="x\ty\nz&#10;">one\r\ntwo\rthree</r>');
		expect(attributeOf(root, 'a')).toBe('x y z\n');
		expect(root.text).toBe('one\ntwo\nthree');
	});

	it('accepts a DOCTYPE without entities and ignores it (nothing is fetched)', () => {
		const root = parseXml(
			'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd" [ <!ELEMENT r (#PCDATA)> <!-- ] --> ]>\n<r>ok</r>',
		);
		expect(root.text).toBe('ok');
	});

	it.each([
		[
			'an external entity (XXE)',
			'<!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><r>&x;</r>',
		],
		[
			'nested entities ("billion laughs")',
			'<!DOCTYPE r [ <!ENTITY a "lol"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]><r>&b;</r>',
		],
		[
			'a parameter entity',
			'<!DOCTYPE r [ <!ENTITY % p SYSTEM "http://example.invalid/p"> %p; ]><r/>',
		],
	])('refuses a DOCTYPE declaring %s', (_what, xml) => {
		expect(errorOf(xml)).toBe('line 1, column 1: a DOCTYPE declaring entities is refused');
	});

	it.each([
		['<r>\n  <a>\n    </b>\n</r>', 'line 3, column 5: the element "a" is closed by "</b>"'],
		['<r>\n<a>', 'line 2, column 1: the element "a" is not closed'],
		['<r a=1/>', 'line 1, column 6: an attribute value must be in quotes'],
		['<r a="1" a="2"/>', 'line 1, column 10: the attribute "a" is repeated'],
		[
			'<r xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>',
			'line 1, column 44: the attribute "q:a" is repeated',
		],
		['<r a="1"b="2"/>', 'line 1, column 9: a space was expected between attributes'],
		['<r a="<"/>', 'line 1, column 7: "<" is not allowed in an attribute value'],
		['<p:r/>', 'line 1, column 2: the namespace prefix "p" is not declared'],
		['<r xmlns:p=""/>', 'line 1, column 4: the namespace prefix "p" cannot be undeclared'],
		['<r/><s/>', 'line 1, column 5: only comments and instructions may follow the root element'],
		['text<r/>', 'line 1, column 1: text is not allowed before the root element'],
		['  <!-- only a comment -->', 'line 1, column 26: the file has no root element'],
		['<r>&nbsp;</r>', 'line 1, column 4: the entity &nbsp; is not defined'],
		['<r>a & b</r>', 'line 1, column 6: "&" must start a reference such as &amp;'],
		['<r>&#0;</r>', 'line 1, column 4: &#0; is not an allowed character'],
		['<r>a]]>b</r>', 'line 1, column 5: "]]>" is not allowed in text'],
		['<r><!-- a -- b --></r>', 'line 1, column 19: "--" is not allowed in a comment'],
		['<r>\n\u0001</r>', 'line 2, column 1: the character U+0001 is not allowed in XML'],
		[
			' <?xml version="1.0"?><r/>',
			'line 1, column 2: the XML declaration must come first in the file',
		],
		['<?xml encoding="UTF-8"?><r/>', 'line 1, column 1: the XML declaration has no version'],
		['<r><![CDATA[ open </r>', 'line 1, column 13: a CDATA section is not closed ("]]>" missing)'],
		['<r><!DOCTYPE r></r>', 'line 1, column 4: a DOCTYPE or declaration is not allowed here'],
	])('refuses %j with its line and column', (xml, message) => {
		expect(errorOf(xml)).toBe(message);
	});

	it('refuses elements nested deeper than 256 levels, without exhausting the stack', () => {
		expect(errorOf(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`)).toMatch(
			/^line 1, column \d+: elements are nested more than 256 deep$/,
		);
	});

	it('decodes UTF-8 (default), UTF-16 with a byte order mark and a declared ISO-8859-1', () => {
		const text = '<r>Société €</r>';
		expect(parseXml(decodeXml(Buffer.from(text, 'utf8'))).text).toBe('Société €');
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
		expect(parseXml(decodeXml(utf16)).text).toBe('Société €');
		const latin1 = Buffer.from(
			'<?xml version="1.0" encoding="ISO-8859-1"?><r>Société</r>',
			'latin1',
		);
		expect(parseXml(decodeXml(latin1)).text).toBe('Société');
	});

	it('refuses bytes that are not valid in the encoding, and unknown encodings', () => {
		expect(() =>
			decodeXml(Buffer.from([0x3c, 0x72, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x72, 0x3e])),
		).toThrow('line 1, column 1: the bytes are not valid UTF-8');
		expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="x-unknown"?><r/>'))).toThrow(
			'line 1, column 1: the encoding "x-unknown" is not supported',
		);
	});

	it('names where an element is, XPath-like, with a position among siblings of its name', () => {
		const root = parseXml(`<p:r xmlns:p="${A}"><p:l><p:n/></p:l><p:l><p:n/><p:n/></p:l></p:r>`);
		const second = root.children[1] as XmlElement;
		expect(pathOf(second.children[1])).toBe('/p:r/p:l[2]/p:n[2]');
		expect(pathOf(root.children[0].children[0])).toBe('/p:r/p:l[1]/p:n');
	});

	it('reads a 1 MB invoice-like file in a few seconds at most', () => {
		const line = '<l><id>1</id><name>Item &amp; more</name><amount>10.00</amount></l>';
		const xml = `<r xmlns="${A}">${line.repeat(15_000)}</r>`;
		const started = Date.now();
		const root = parseXml(xml);
		expect(root.children).toHaveLength(15_000);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
