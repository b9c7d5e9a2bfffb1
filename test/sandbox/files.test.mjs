// @ts-check
/**
 * Tests of the document generators (fixtures.mjs), the file readers (files.mjs and the readers beside it) and the upload service
 * transverses/v1/ajouter/fichier; the readers on real files of other projects (test/fixtures/real-world/, see its
 * SOURCES.md), on PDFs and archives written by hand to hit each case, and on hostile input (decompression bombs,
 * truncated archives), with deposer/flux end to end. Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import {
	inflateSync,
	gunzipSync,
	gzipSync,
	deflateSync,
	deflateRawSync,
	constants as zlibConstants,
} from 'node:zlib';
import { createSandbox } from '../../sandbox/server.mjs';
import {
	makeUblXml,
	makeCiiXml,
	makeFacturXPdf,
	makePdf,
	makeInvoicePdf,
	makeZip,
	makeTarGz,
	crc32,
	normalizeInvoiceOptions,
} from '../../sandbox/fixtures.mjs';
import { sniff, readFlux, decodeBase64, ocrInvoice } from '../../sandbox/files.mjs';
import { FileError } from '../../sandbox/fileErrors.mjs';
import { InflateBudget } from '../../sandbox/inflate.mjs';
import { parseXml } from '../../sandbox/xml.mjs';
import { readInvoiceXml, NS_CII } from '../../sandbox/invoiceXml.mjs';
import {
	extractFacturXml,
	findEmbeddedInvoice,
	pdfText,
	PDF_MAX_INFLATED_BYTES,
} from '../../sandbox/pdf.mjs';
import { readZip, readTarGz, ARCHIVE_LIMITS } from '../../sandbox/archives.mjs';
import { sample, apiClient, startSandbox } from './testing-helpers.mjs';

/** zlib's CRC-32 (Node ≥ 20.15, the package's engines). */
const zlibCrc32 = /** @type {(data: Buffer, value?: number) => number} */ (
	/** @type {any} */ (zlib).crc32
);

const OPTS = {
	number: 'FAC-2024-0001',
	date: '2024-05-14',
	supplierSiret: '73442027438548',
	recipientSiret: '12345678200028',
	serviceCode: 'SERVICE_DEST_SERV_OBL',
	ej: 'EJ-0001',
	contractNumber: 'M-1',
	currency: 'EUR',
	lines: [
		{ description: 'Conseil & audit <x>', quantity: 10, unitPrice: 100, vatRate: 20 },
		{ description: 'Livre', quantity: 2, unitPrice: 25, vatRate: 5.5 },
	],
};

describe('fixtures → files round trip', () => {
	it('normalises amounts from the lines', () => {
		const o = normalizeInvoiceOptions(OPTS);
		assert.equal(o.amountHT, 1050);
		assert.equal(o.amountVAT, 202.75);
		assert.equal(o.amountTTC, 1252.75);
		assert.equal(o.amountDue, 1252.75);
		assert.deepEqual(o.taxes, [
			{ rate: 20, base: 1000, amount: 200 },
			{ rate: 5.5, base: 50, amount: 2.75 },
		]);
		const d = normalizeInvoiceOptions();
		assert.equal(d.amountHT, 1000);
		assert.equal(d.amountTTC, 1200);
		assert.match(d.number, /^SBX-/);
		assert.ok(d.number.length <= 20);
		assert.notEqual(normalizeInvoiceOptions().number, d.number);
	});

	for (const [name, make, family] of /** @type {const} */ ([
		['UBL', makeUblXml, 'UBL'],
		['CII', makeCiiXml, 'CII'],
	])) {
		it(`reads back a ${name} invoice and credit note`, () => {
			const inv = readInvoiceXml(make(OPTS), family);
			assert.equal(inv.syntax, family);
			assert.equal(inv.number, 'FAC-2024-0001');
			assert.equal(inv.date, '2024-05-14');
			assert.equal(inv.dueDate, '2024-06-13');
			assert.equal(inv.type, 'FACTURE');
			assert.equal(inv.currency, 'EUR');
			assert.deepEqual(inv.supplier, { siret: '73442027438548', name: 'Fournisseur' });
			assert.deepEqual(inv.recipient, { siret: '12345678200028', name: 'Destinataire' });
			assert.equal(inv.serviceCode, 'SERVICE_DEST_SERV_OBL');
			assert.equal(inv.ej, 'EJ-0001');
			assert.equal(inv.contractNumber, 'M-1');
			assert.deepEqual(
				[inv.amountHT, inv.amountVAT, inv.amountTTC, inv.amountDue],
				[1050, 202.75, 1252.75, 1252.75],
			);
			assert.equal(inv.lines.length, 2);
			assert.equal(inv.lines[0].description, 'Conseil & audit <x>');
			assert.deepEqual(
				[
					inv.lines[1].quantity,
					inv.lines[1].unitPrice,
					inv.lines[1].amountHT,
					inv.lines[1].vatRate,
				],
				[2, 25, 50, 5.5],
			);
			assert.equal(inv.taxes.length, 2);
			const credit = readInvoiceXml(
				make({ ...OPTS, creditNote: true, precedingInvoice: 'FAC-2023-9' }),
				family,
			);
			assert.equal(credit.type, 'AVOIR');
			assert.equal(credit.precedingInvoice, 'FAC-2023-9');
			assert.ok(credit.amountTTC > 0);
		});
	}

	it('writes the identifiers where Chorus Pro reads them', () => {
		const ubl = makeUblXml(OPTS);
		assert.ok(ubl.includes('<cbc:ID schemeID="0009">73442027438548</cbc:ID>'));
		assert.ok(ubl.includes('<cbc:BuyerReference>SERVICE_DEST_SERV_OBL</cbc:BuyerReference>'));
		assert.ok(ubl.includes('<cac:OrderReference><cbc:ID>EJ-0001</cbc:ID></cac:OrderReference>'));
		const cii = makeCiiXml(OPTS);
		assert.ok(cii.includes('<ram:ID schemeID="0002">12345678200028</ram:ID>'));
		assert.ok(cii.includes('<udt:DateTimeString format="102">20240514</udt:DateTimeString>'));
		assert.ok(
			makeUblXml({ creditNote: true }).includes(
				'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"',
			),
		);
	});

	it('builds a Factur-X PDF with a correct xref and factur-x.xml as a FlateDecode embedded file', () => {
		const pdf = makeFacturXPdf(OPTS);
		assert.equal(sniff(pdf), 'pdf');
		const text = pdf.toString('latin1');
		assert.match(text, /^%PDF-1\.7\n/);
		assert.match(text, /%%EOF\n$/);
		// startxref points at "xref", and every xref entry at "<n> 0 obj"
		const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
		assert.equal(text.slice(startxref, startxref + 4), 'xref');
		const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) =>
			Number(m[1]),
		);
		entries.forEach((offset, i) =>
			assert.equal(text.slice(offset, offset + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`),
		);
		assert.match(text, /\/EmbeddedFiles << \/Names \[\(factur-x\.xml\) 6 0 R\] >>/);
		assert.match(text, /\/AFRelationship \/Data/);
		assert.match(text, /\/Type \/EmbeddedFile \/Subtype \/text#2Fxml \/Filter \/FlateDecode/);
		assert.match(text, /<fx:ConformanceLevel>EN 16931<\/fx:ConformanceLevel>/);
		// /Length of the embedded stream is exact and the data inflates to the CII
		const m = /7 0 obj\n<< [^\n]*\/Length (\d+) >>\nstream\n/.exec(text);
		assert.ok(m);
		const start = m.index + m[0].length;
		const data = pdf.subarray(start, start + Number(m[1]));
		assert.equal(text.slice(start + Number(m[1]), start + Number(m[1]) + 10), '\nendstream');
		assert.equal(inflateSync(data).toString('utf8'), makeCiiXml(OPTS));
		assert.equal(extractFacturXml(pdf), makeCiiXml(OPTS));
		assert.equal(
			readInvoiceXml(/** @type {string} */ (extractFacturXml(pdf)), 'CII').number,
			'FAC-2024-0001',
		);
		assert.match(pdfText(pdf), /^Facture N° FAC-2024-0001$/m);
		assert.equal(extractFacturXml(makePdf('x')), null);
	});

	it('embeds any XML given to makeFacturXPdf', () => {
		const xml = makeCiiXml({ number: 'OWN-1' });
		assert.equal(extractFacturXml(makeFacturXPdf({ xml })), xml);
	});

	it('makes readable plain PDFs and reads their markers (deposer/pdf OCR)', () => {
		const pdf = makePdf('Ligne (1)\nLigne \\2\nÉté àéè');
		assert.equal(pdfText(pdf), 'Ligne (1)\nLigne \\2\nÉté àéè');
		const ocr = ocrInvoice(makeInvoicePdf(OPTS));
		assert.deepEqual(ocr, {
			numeroFacture: 'FAC-2024-0001',
			dateFacture: '2024-05-14',
			codeDestinataire: '12345678200028',
			codeServiceExecutant: 'SERVICE_DEST_SERV_OBL',
			codeFournisseur: '73442027438548',
			codeDeviseFacture: 'EUR',
			typeFacture: 'FACTURE',
			typeTva: null,
			numeroBonCommande: 'EJ-0001',
			montantTtcAvantRemiseGlobalTTC: 1252.75,
			montantAPayer: 1252.75,
			montantHtTotal: 1050,
			montantTVA: 202.75,
		});
		assert.equal(ocrInvoice(makePdf('Avoir N° AV-1\nDate : 14/05/2024')).typeFacture, 'AVOIR');
		assert.equal(ocrInvoice(makePdf('Avoir N° AV-1\nDate : 14/05/2024')).dateFacture, '2024-05-14');
	});

	it('zips (deflate and store) and reads back, with a valid CRC', () => {
		const files = [
			{ name: 'a.xml', data: makeUblXml({ number: 'Z1' }) },
			{ name: 'dir/é.txt', data: Buffer.from([0, 1, 2, 255]) },
		];
		for (const method of /** @type {const} */ (['deflate', 'store'])) {
			const zip = makeZip(files, { method });
			assert.equal(sniff(zip), 'zip');
			const back = readZip(zip);
			assert.deepEqual(
				back.map((f) => f.name),
				['a.xml', 'dir/é.txt'],
			);
			assert.equal(back[0].data.toString(), files[0].data);
			assert.deepEqual([...back[1].data], [0, 1, 2, 255]);
			assert.equal(zip.readUInt32LE(14), crc32(Buffer.from(/** @type {string} */ (files[0].data))));
		}
		assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
		assert.deepEqual(
			readZip(makeZip({ 'x.txt': 'x', '__MACOSX/x.txt': 'y', '.hidden': 'z' })).map((f) => f.name),
			['x.txt'],
		);
		assert.throws(() => readZip(Buffer.from('PK\u0003\u0004 broken')), FileError);
	});

	it('tars + gzips and reads back (ustar, long names with prefix)', () => {
		const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.xml`;
		const tgz = makeTarGz({ 'a.xml': '<a/>', [long]: '<b/>', 'empty.txt': '' });
		assert.equal(sniff(tgz), 'gzip');
		const tar = gunzipSync(tgz);
		assert.equal(tar.length % 512, 0);
		assert.equal(tar.subarray(257, 262).toString(), 'ustar');
		assert.deepEqual(
			readTarGz(tgz).map((f) => [f.name, f.data.toString()]),
			[
				['a.xml', '<a/>'],
				[long, '<b/>'],
				['empty.txt', ''],
			],
		);
		assert.throws(() => readTarGz(Buffer.from([0x1f, 0x8b, 1, 2, 3])), FileError);
	});
});

describe('file readers: errors', () => {
	/** @param {() => any} fn */
	const detail = (fn) => {
		try {
			fn();
		} catch (err) {
			assert.ok(err instanceof FileError);
			return err.detail;
		}
		assert.fail('no error');
	};

	it('refuses malformed XML, DOCTYPE, the wrong root and bad values with ERR_XSD_001 messages', () => {
		assert.match(
			detail(() => parseXml('<a><b></a>')).libelleErreur,
			/^IRRECEVABILITE: The element type "b" must be terminated/,
		);
		assert.match(
			detail(() => parseXml('<!DOCTYPE x [<!ENTITY e "x">]><a/>')).libelleErreur,
			/DOCTYPE/,
		);
		assert.match(detail(() => parseXml('<a/><b/>')).libelleErreur, /following the root element/);
		assert.match(detail(() => parseXml('')).libelleErreur, /Premature end of file/);
		assert.equal(detail(() => readInvoiceXml(makeCiiXml(), 'UBL')).codeErreur, 'ERR_XSD_001');
		assert.match(
			detail(() => readInvoiceXml(makeUblXml(), 'CII')).libelleErreur,
			/Cannot find the declaration of element 'Invoice'/,
		);
		const badAmount = makeUblXml().replace(
			/<cbc:PayableAmount currencyID="EUR">[^<]+/,
			'<cbc:PayableAmount currencyID="EUR">-1 324,60',
		);
		assert.match(
			detail(() => readInvoiceXml(badAmount, 'UBL')).libelleErreur,
			/'-1 324,60' is not a valid value for 'decimal'.*ligne: \d+/,
		);
		const noId = makeUblXml().replace(/<cbc:ID>SBX[^<]*<\/cbc:ID>/, '');
		assert.match(
			detail(() => readInvoiceXml(noId, 'UBL')).libelleErreur,
			/One of '\{ID\}' is expected/,
		);
		const badDate = makeCiiXml().replace(/format="102">\d+/, 'format="102">2024-05-14');
		assert.match(detail(() => readInvoiceXml(badDate, 'CII')).libelleErreur, /DateTimeString/);
	});

	it('parses namespaces, entities, CDATA, comments and the BOM', () => {
		const root = parseXml(
			'\ufeff<?xml version="1.0"?><!-- c --><p:r xmlns:p="urn:x" a=\'1 &amp; 2\'><p:c><![CDATA[<raw>]]> &#233;&#x41;</p:c><d/></p:r>',
		);
		assert.equal(root.name, 'r');
		assert.equal(root.ns, 'urn:x');
		assert.equal(root.attrs.a, '1 & 2');
		assert.equal(root.children[0].text, '<raw> éA');
		assert.equal(root.children[1].ns, '');
	});

	it('reads a flux: syntax families, unreadable entries, empty archives, unsupported syntaxes', () => {
		assert.equal(
			readFlux(Buffer.from(makeUblXml()), 'IN_DP_E2_UBL_INVOICE_MIN', 'a.xml').documents.length,
			1,
		);
		assert.equal(readFlux(Buffer.from(makeCiiXml()), 'IN_DP_E1_CII', 'a.xml').documents.length, 1);
		let r = readFlux(
			makeZip({ 'a.xml': makeUblXml(), 'b.xml': '<not closed>' }),
			'IN_DP_E1_UBL_INVOICE',
			'lot.zip',
		);
		assert.equal(r.documents.length, 0);
		assert.equal(r.errors.length, 1);
		assert.match(r.errors[0].libelleErreur, /fichier b\.xml/);
		r = readFlux(makeZip({}), 'IN_DP_E1_UBL_INVOICE', 'vide.zip');
		assert.match(r.errors[0].libelleErreur, /ne contient aucun fichier/);
		r = readFlux(Buffer.from('just text'), 'IN_DP_E1_CII_16B', 'a.txt');
		assert.equal(r.errors[0].codeErreur, 'ERR_FMT_001');
		r = readFlux(Buffer.from('<PES_Aller/>'), 'IN_DP_E1_PES_FACTURE', 'pes.xml');
		assert.equal(r.errors[0].codeErreur, 'ERR_SBX_001');
	});

	it('decodes strict base64 only', () => {
		assert.deepEqual(decodeBase64('aGVsbG8='), Buffer.from('hello'));
		assert.deepEqual(decodeBase64('aGVs\nbG8='), Buffer.from('hello'));
		assert.equal(decodeBase64('aGVsbG8'), null);
		assert.equal(decodeBase64('data:application/pdf;base64,aGVsbG8='), null);
		assert.equal(decodeBase64(12), null);
		assert.deepEqual(decodeBase64(''), Buffer.alloc(0));
	});
});

describe('transverses/v1/ajouter/fichier', () => {
	/** @type {import('../../sandbox/server.mjs').Sandbox} */
	let sb;
	/** @type {(path: string, body?: any) => Promise<{ status: number, body: any }>} */
	let api;
	before(async () => {
		sb = await createSandbox({ port: 0 });
		api = await apiClient(sb, sb.credentials, { headers: { 'Content-Type': 'application/json' } });
	});
	after(() => sb.close());

	/** @param {any} body */
	const add = (body) => api('/cpro/transverses/v1/ajouter/fichier', body);
	const base = {
		...sample('transverses-ajouter-fichier.request.official.json'),
		pieceJointeFichier: makePdf('PJ').toString('base64'),
	};

	it('stores a file and returns its id (sample shape)', async () => {
		const r = await add(base);
		assert.equal(r.status, 200);
		assert.deepEqual(
			Object.keys(r.body).sort(),
			Object.keys(sample('transverses-ajouter-fichier.response.official.json')).sort(),
		);
		assert.equal(r.body.libelle, 'TRA_MSG_00.000');
		assert.equal(typeof r.body.pieceJointeId, 'number');
		const second = await add({ ...base, pieceJointeExtension: 'XLSX', pieceJointeNom: 'tableau' });
		assert.equal(second.body.pieceJointeId, r.body.pieceJointeId + 1);
		assert.equal(sb.state.piecesJointes.length, 2);
	});

	it('refuses missing fields, bad extensions, long names and files over 10 MB (20003)', async () => {
		/** @type {[any, number, number][]} */
		const cases = [
			[{ ...base, pieceJointeFichier: undefined }, 400, 20099],
			[{ ...base, pieceJointeFichier: '***' }, 400, 20097],
			[{ ...base, pieceJointeNom: undefined }, 400, 20099],
			[{ ...base, pieceJointeNom: 'n'.repeat(51) }, 400, 20097],
			[{ ...base, pieceJointeExtension: undefined }, 400, 20099],
			[{ ...base, pieceJointeExtension: 'exe' }, 400, 20097],
			[
				{ ...base, pieceJointeFichier: Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64') },
				400,
				20003,
			],
		];
		for (const [body, status, code] of cases) {
			const r = await add(body);
			assert.equal(r.status, status);
			assert.equal(r.body.codeRetour, code, r.body.libelle);
		}
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Real-world files (test/fixtures/real-world/, gathered from other projects' public test suites: see its
// SOURCES.md) and hostile input.

const MB = 1024 * 1024;
const REAL = new URL('../fixtures/real-world/', import.meta.url);

/** Files of a folder of the real-world fixtures, by name. @param {string} folder @returns {[string, Buffer][]} */
function realFiles(folder) {
	const dir = new URL(`${folder}/`, REAL);
	return readdirSync(dir)
		.filter((name) => !name.startsWith('.') && !name.endsWith('.md'))
		.sort()
		.map((name) => [name, readFileSync(new URL(name, dir))]);
}

/** Milliseconds `fn` takes, and its result. @template T @param {() => T} fn @returns {[T, number]} */
function timed(fn) {
	const t = performance.now();
	const r = fn();
	return [r, performance.now() - t];
}

/** The FileError detail `fn` throws. @param {() => any} fn */
function refusal(fn) {
	try {
		fn();
	} catch (err) {
		assert.ok(err instanceof FileError, String(err));
		return err.detail;
	}
	return assert.fail('not refused');
}

/**
 * Raw deflate data of `mib` MiB of zeros, about 1 KB a MiB: one compressed MiB ending on a full flush (byte
 * aligned, no history needed) repeated, then an empty final stored block. A decompression bomb.
 * @param {number} mib
 */
function zeroBomb(mib) {
	const chunk = deflateRawSync(Buffer.alloc(MB), { finishFlush: zlibConstants.Z_FULL_FLUSH });
	return Buffer.concat([...Array(mib).fill(chunk), Buffer.from([1, 0, 0, 0xff, 0xff])]);
}

/**
 * A zip archive written by hand. `raw` (compressed data), `size` and `crc` override what is written, to make
 * archives that lie; `streamed` writes what streaming writers do: flag bit 3, zero sizes and CRC in the local
 * header, a data descriptor after the data.
 * @param {{ name: string, data?: Buffer, raw?: Buffer, size?: number, crc?: number, method?: number }[]} entries
 * @param {{ streamed?: boolean }} [opts]
 */
function zipOf(entries, { streamed = false } = {}) {
	/** @type {Buffer[]} */
	const parts = [];
	/** @type {Buffer[]} */
	const central = [];
	let offset = 0;
	for (const e of entries) {
		const data = e.data ?? Buffer.alloc(0);
		const method = e.method ?? (e.name.endsWith('/') ? 0 : 8);
		const raw = e.raw ?? (method === 8 ? deflateRawSync(data) : data);
		const size = e.size ?? data.length;
		const crc = e.crc ?? zlibCrc32(data);
		const name = Buffer.from(e.name, 'utf8');
		const flags = 0x800 | (streamed ? 0x08 : 0);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(flags, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(streamed ? 0 : crc, 14);
		local.writeUInt32LE(streamed ? 0 : raw.length, 18);
		local.writeUInt32LE(streamed ? 0 : size, 22);
		local.writeUInt16LE(name.length, 26);
		const descriptor = Buffer.alloc(streamed ? 16 : 0);
		if (streamed) {
			descriptor.writeUInt32LE(0x08074b50, 0);
			descriptor.writeUInt32LE(crc, 4);
			descriptor.writeUInt32LE(raw.length, 8);
			descriptor.writeUInt32LE(size, 12);
		}
		const cd = Buffer.alloc(46);
		cd.writeUInt32LE(0x02014b50, 0);
		cd.writeUInt16LE(20, 4);
		cd.writeUInt16LE(20, 6);
		cd.writeUInt16LE(flags, 8);
		cd.writeUInt16LE(method, 10);
		cd.writeUInt32LE(crc, 16);
		cd.writeUInt32LE(raw.length, 20);
		cd.writeUInt32LE(size, 24);
		cd.writeUInt16LE(name.length, 28);
		cd.writeUInt32LE(offset, 42);
		central.push(cd, name);
		parts.push(local, name, raw, descriptor);
		offset += local.length + name.length + raw.length + descriptor.length;
	}
	const cdBuf = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(cdBuf.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, cdBuf, end]);
}

/**
 * A tar archive written by hand (ustar headers): `type` '0' file, '5' folder, 'L' GNU long name, 'x' pax header,
 * 'g' pax global header.
 * @param {{ name: string, data?: Buffer|string, type?: string }[]} entries
 */
function tarOf(entries) {
	/** @type {Buffer[]} */
	const blocks = [];
	for (const e of entries) {
		const data = Buffer.from(e.data ?? '');
		const h = Buffer.alloc(512);
		h.write(e.name.slice(0, 100), 0, 'utf8');
		h.write('0000644\0', 100);
		h.write('0000000\0', 108);
		h.write('0000000\0', 116);
		h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
		h.write('00000000000\0', 136);
		h.write(e.type ?? '0', 156);
		h.write('ustar\0' + '00', 257, 'latin1');
		h.fill(' ', 148, 156);
		let sum = 0;
		for (const b of h) sum += b;
		h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
		blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}
	return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

/** A pax record `len key=value\n`. @param {string} key @param {string} value */
function paxRecord(key, value) {
	const body = ` ${key}=${value}\n`;
	let len = Buffer.byteLength(body) + 1;
	while (String(len).length + Buffer.byteLength(body) !== len) len++;
	return `${len}${body}`;
}

/**
 * A PDF written by hand: `objects` are `[num, body]` written `num 0 obj … endobj`, with an xref table and a
 * trailer. Given `base`, it is an incremental update of that PDF (appended, `/Prev` to its xref).
 * @param {[number, string|Buffer][]} objects @param {{ root: number, base?: Buffer }} opts
 */
function pdfOf(objects, { root, base }) {
	const head = base ?? Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
	/** @type {Buffer[]} */
	const parts = [head];
	let at = head.length;
	/** @type {[number, number][]} */
	const offsets = [];
	for (const [num, body] of objects) {
		const chunk = Buffer.concat([
			Buffer.from(`${num} 0 obj\n`, 'latin1'),
			Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
			Buffer.from('\nendobj\n', 'latin1'),
		]);
		offsets.push([num, at]);
		parts.push(chunk);
		at += chunk.length;
	}
	const prev = base
		? /startxref\s+(\d+)\s+%%EOF\s*$/.exec(base.toString('latin1'))?.[1]
		: undefined;
	const size = Math.max(...offsets.map(([n]) => n)) + 1;
	const xref = [
		'xref',
		'0 1',
		'0000000000 65535 f ',
		...offsets.flatMap(([n, o]) => [`${n} 1`, `${String(o).padStart(10, '0')} 00000 n `]),
		`trailer\n<< /Size ${size} /Root ${root} 0 R${prev ? ` /Prev ${prev}` : ''} >>`,
		`startxref\n${at}\n%%EOF\n`,
	].join('\n');
	parts.push(Buffer.from(xref, 'latin1'));
	return Buffer.concat(parts);
}

/** A stream object body. @param {string} dict entries without `<<` `>>` nor /Length @param {Buffer} data @param {string} [length] */
const streamObj = (dict, data, length = String(data.length)) =>
	Buffer.concat([
		Buffer.from(`<< ${dict} /Length ${length} >>\nstream\n`, 'latin1'),
		data,
		Buffer.from('\nendstream', 'latin1'),
	]);

/** A PDF hex string. @param {string} s */
const hexString = (s) => `<${Buffer.from(s, 'latin1').toString('hex').toUpperCase()}>`;
/** A PDF text string in UTF-16BE with its BOM, hex-encoded. @param {string} s */
const utf16String = (s) =>
	`<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()}>`;

/**
 * An object stream holding `members` (`[num, body]`), FlateDecode.
 * @param {[number, string][]} members
 */
function objStm(members) {
	let offset = 0;
	const header = [];
	const bodies = [];
	for (const [num, body] of members) {
		header.push(`${num} ${offset}`);
		bodies.push(body);
		offset += Buffer.byteLength(body, 'latin1') + 1;
	}
	const head = `${header.join(' ')}\n`;
	const data = deflateSync(Buffer.from(head + bodies.join('\n'), 'latin1'));
	return streamObj(
		`/Type /ObjStm /N ${members.length} /First ${Buffer.byteLength(head)} /Filter /FlateDecode`,
		data,
	);
}

const PAGES = '<< /Type /Pages /Kids [] /Count 0 >>';

describe('real Factur-X, ZUGFeRD, plain PDFs, UBL and CII from other projects', () => {
	const facturx = realFiles('factur-x');

	it('finds the CII CrossIndustryInvoice of every real Factur-X / ZUGFeRD 2 PDF', () => {
		assert.ok(facturx.length >= 10, `only ${facturx.length} files in factur-x/`);
		for (const [name, pdf] of facturx) {
			const [xml, ms] = timed(() => extractFacturXml(pdf));
			assert.ok(xml, `${name}: no embedded CII found`);
			const root = parseXml(xml);
			assert.equal(root.name, 'CrossIndustryInvoice', name);
			assert.equal(root.ns, NS_CII, name);
			const invoice = readInvoiceXml(xml, 'CII');
			assert.ok(invoice.number, `${name}: no invoice number`);
			assert.match(invoice.date, /^\d{4}-\d{2}-\d{2}$/, name);
			assert.ok(ms < 2000, `${name}: ${ms} ms`);
			const flux = readFlux(pdf, 'IN_DP_E2_CII_FACTURX', name);
			assert.deepEqual(flux.errors, [], name);
			assert.equal(flux.documents[0].invoice.number, invoice.number, name);
		}
	});

	it('finds no Factur-X in plain PDFs (the flux is refused: no factur-x.xml)', () => {
		const plain = realFiles('plain-pdf');
		assert.ok(plain.length >= 3);
		for (const [name, pdf] of plain) {
			assert.equal(sniff(pdf), 'pdf', name);
			assert.equal(extractFacturXml(pdf), null, name);
			const { documents, errors } = readFlux(pdf, 'IN_DP_E2_CII_FACTURX', name);
			assert.equal(documents.length, 0, name);
			assert.equal(errors[0].codeErreur, 'ERR_FMT_001', name);
			assert.match(
				errors[0].libelleErreur,
				/^IRRECEVABILITE: Le PDF ne contient pas de fichier factur-x\.xml/,
			);
		}
	});

	it('refuses a ZUGFeRD 1.0 PDF (root CrossIndustryDocument) as a technical error with a clear message', () => {
		const zf1 = realFiles('zugferd-1');
		assert.ok(zf1.length >= 1);
		for (const [name, pdf] of zf1) {
			assert.equal(extractFacturXml(pdf), null, name);
			assert.ok(findEmbeddedInvoice(pdf).zugferd1, `${name}: the ZUGFeRD 1.0 invoice is not seen`);
			const { documents, errors } = readFlux(pdf, 'IN_DP_E2_CII_FACTURX', name);
			assert.equal(documents.length, 0);
			assert.deepEqual(Object.keys(errors[0]).sort(), [
				'codeErreur',
				'libelleErreur',
				'natureErreur',
			]);
			assert.equal(errors[0].codeErreur, 'ERR_FMT_001');
			assert.equal(errors[0].natureErreur, 'IRRECEVABILITE');
			assert.match(
				errors[0].libelleErreur,
				/^IRRECEVABILITE: Le PDF contient une facture ZUGFeRD 1\.0 .*CrossIndustryDocument.*n'est pas un Factur-X.*CrossIndustryInvoice/,
			);
			assert.ok(errors[0].libelleErreur.includes(`(fichier ${name})`));
		}
	});

	it('reads real UBL and CII invoices', () => {
		for (const [folder, family] of /** @type {const} */ ([
			['ubl', 'UBL'],
			['cii', 'CII'],
		])) {
			const files = realFiles(folder);
			assert.ok(files.length >= 3, folder);
			for (const [name, xml] of files) {
				const inv = readInvoiceXml(xml, family);
				assert.ok(inv.number, name);
				assert.match(inv.date, /^\d{4}-\d{2}-\d{2}$/, name);
				assert.ok(Number.isFinite(inv.amountTTC) && Number.isFinite(inv.amountHT), name);
				assert.ok(['FACTURE', 'AVOIR'].includes(inv.type), name);
				// the other family's reader refuses it (XSD error, as the platform validates the declared syntax)
				assert.equal(
					refusal(() => readInvoiceXml(xml, family === 'UBL' ? 'CII' : 'UBL')).codeErreur,
					'ERR_XSD_001',
				);
			}
		}
	});
});

describe('Factur-X PDFs however they are written', () => {
	const cii = (/** @type {string} */ number) => makeCiiXml({ number });
	const invoiceIn = (/** @type {Buffer} */ pdf) => {
		const xml = extractFacturXml(pdf);
		return xml && readInvoiceXml(xml, 'CII').number;
	};

	it('reads octal-escaped, hex and UTF-16 file names, an EF stream without /Type and an indirect /Length', () => {
		const names = {
			octal: '(factur\\055x\\056xml)',
			hex: hexString('factur-x.xml'),
			utf16: utf16String('factur-x.xml'),
		};
		for (const [how, name] of Object.entries(names)) {
			const data = deflateSync(cii(`N-${how}`));
			const pdf = pdfOf(
				[
					[
						1,
						`<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [${name} 4 0 R] >> >> /AF [4 0 R] >>`,
					],
					[2, PAGES],
					// a decoy: another XML attachment, not an invoice
					[3, `<< /Type /Filespec /F (notes.xml) /EF << /F 7 0 R >> >>`],
					[7, streamObj('/Type /EmbeddedFile /Subtype /text#2Fxml', Buffer.from('<notes/>'))],
					[
						4,
						`<< /Type /Filespec /F ${name} /UF ${name} /EF << /F 5 0 R /UF 5 0 R >> /AFRelationship /Data >>`,
					],
					// no /Type /EmbeddedFile, /Length given after the stream
					[5, streamObj('/Filter /FlateDecode', data, '6 0 R')],
					[6, String(data.length)],
				],
				{ root: 1 },
			);
			assert.equal(invoiceIn(pdf), `N-${how}`, how);
			assert.equal(findEmbeddedInvoice(pdf).name, 'factur-x.xml', how);
		}
	});

	it('reads the catalog, name tree and filespec from a compressed object stream (EF stream typed octet-stream)', () => {
		const name = utf16String('factur-x.xml');
		const pdf = pdfOf(
			[
				[
					10,
					objStm([
						[1, '<< /Type /Catalog /Pages 2 0 R /Names 3 0 R /AF [4 0 R] >>'],
						[2, PAGES],
						[3, '<< /EmbeddedFiles 8 0 R >>'],
						[8, `<< /Kids [9 0 R] >>`],
						[9, `<< /Limits [${name} ${name}] /Names [${name} 4 0 R] >>`],
						[4, `<< /Type /Filespec /UF ${name} /F (factur-x.xml) /EF << /F 5 0 R >> >>`],
					]),
				],
				[
					5,
					streamObj(
						'/Type /EmbeddedFile /Subtype /application#2Foctet-stream /Filter /FlateDecode',
						deflateSync(cii('N-OBJSTM')),
					),
				],
			],
			{ root: 1 },
		);
		assert.equal(invoiceIn(pdf), 'N-OBJSTM');
	});

	it('takes the last revision of an incrementally updated PDF', () => {
		const v1 = pdfOf(
			[
				[
					1,
					'<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 4 0 R] >> >> >>',
				],
				[2, PAGES],
				[4, '<< /Type /Filespec /F (factur-x.xml) /EF << /F 5 0 R >> >>'],
				[5, streamObj('/Type /EmbeddedFile /Filter /FlateDecode', deflateSync(cii('REV-1')))],
			],
			{ root: 1 },
		);
		assert.equal(invoiceIn(v1), 'REV-1');
		// update 1: a new embedded stream, the filespec redefined to point at it
		const v2 = pdfOf(
			[
				[6, streamObj('/Type /EmbeddedFile /Filter /FlateDecode', deflateSync(cii('REV-2')))],
				[4, '<< /Type /Filespec /F (factur-x.xml) /EF << /F 6 0 R >> >>'],
			],
			{ root: 1, base: v1 },
		);
		assert.equal(invoiceIn(v2), 'REV-2');
		// update 2: the stream object itself redefined
		const v3 = pdfOf([[6, streamObj('/Type /EmbeddedFile', Buffer.from(cii('REV-3')))]], {
			root: 1,
			base: v2,
		});
		assert.equal(invoiceIn(v3), 'REV-3');
	});

	it('stops inflating a hostile PDF at its bounds, quickly', (t) => {
		// the embedded file is a 1 GiB bomb, and 40 object streams would inflate to 100 MiB each
		const bomb = Buffer.concat([Buffer.from([0x78, 0x9c]), zeroBomb(1024)]);
		const stm = Buffer.concat([Buffer.from([0x78, 0x9c]), zeroBomb(100)]);
		const pdf = pdfOf(
			[
				[1, '<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] >>'],
				[2, PAGES],
				[4, '<< /Type /Filespec /F (factur-x.xml) /EF << /F 5 0 R >> >>'],
				[5, streamObj('/Type /EmbeddedFile /Filter /FlateDecode', bomb)],
				...Array.from(
					{ length: 40 },
					(_, i) =>
						/** @type {[number, Buffer]} */ ([
							100 + i,
							streamObj('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', stm),
						]),
				),
			],
			{ root: 1 },
		);
		const budget = new InflateBudget(PDF_MAX_INFLATED_BYTES);
		const [found, ms] = timed(() => findEmbeddedInvoice(pdf, budget));
		assert.equal(found.xml, null);
		assert.ok(budget.exceeded);
		assert.ok(budget.left <= 0, 'the budget is spent, not exceeded');
		assert.ok(ms < 3000, `${ms} ms`);
		const [flux, fluxMs] = timed(() => readFlux(pdf, 'IN_DP_E2_CII_FACTURX', 'bomb.pdf'));
		assert.equal(flux.errors[0].codeErreur, 'ERR_FMT_001');
		assert.match(flux.errors[0].libelleErreur, /se décompresse au-delà des limites du bac à sable/);
		assert.ok(fluxMs < 3000, `${fluxMs} ms`);
		t.diagnostic(`PDF bomb refused in ${ms.toFixed(0)} ms (readFlux ${fluxMs.toFixed(0)} ms)`);
	});
});

describe('archives from other projects and hostile archives', () => {
	/** What each real archive reads to (SOURCES.md says how each was made): its files' names, or the refusal. */
	const EXPECTED = /** @type {Record<string, string[]|RegExp>} */ ({
		'bomb-1gib-single-entry.zip':
			/invoice\.xml de l'archive zip dépasse 120 Mo une fois décompressée/,
		'bomb-2000-entries.zip': /contient plus de 500 fichiers/,
		'long-name-gnu.tar.gz': [
			'factures-fournisseurs/exercice-2026/novembre/fournisseur-exemple-sarl-siret-12345678901234/avoir-credit-note-typecode-381-cii-d16b.xml',
		],
		'long-name-pax.tar.gz': [
			'factures-fournisseurs/exercice-2026/novembre/fournisseur-exemple-sarl-siret-12345678901234/avoir-credit-note-typecode-381-cii-d16b.xml',
		],
		'bomb-1gib-single-entry.tar.gz':
			/invoice\.xml de l'archive tar\.gz dépasse 120 Mo une fois décompressée/,
		// factures/.DS_Store and the __MACOSX/ twins are skipped
		'macos-finder-style.zip': [
			'factures/ce_ubl-tc434-example1.xml',
			'factures/ce_ubl-tc434-example4.xml',
		],
		'mixed-ubl-cii.zip': [
			'ce_ubl-tc434-example4.xml',
			'ce_ubl-tc434-creditnote1.xml',
			'ce_CII_example9.xml',
			'kosit-schematron_cii-br-de-17-code-381.xml',
		],
		'nested-folders.zip': [
			'2026/11/invoice-2.xml',
			'2026/11/invoice-1.xml',
			'2026/12/invoice-3.xml',
			'2026/12/credit-note-4.xml',
		],
		'streamed-infozip_ubl.zip': [
			'ce_ubl-tc434-example1.xml',
			'ce_ubl-tc434-creditnote1.xml',
			'kosit_01.01a-INVOICE_ubl.xml',
			'zugferd-csharp_maxRechnung_creditnote.xml',
		],
		'streamed-jar_cii.zip': [
			'ce_CII_example1.xml',
			'ce_CII_example4.xml',
			'kosit_01.01a-INVOICE_uncefact.xml',
			'kosit-schematron_cii-br-de-17-code-381.xml',
		],
		'streamed-python-zipfile_factur-x.zip': [
			'fpdf-tiime_BASIC.pdf',
			'dwc_EXTENDED_pdf-2.0_pdfa-4f.pdf',
			'pdf-lib_BASIC-WL_factur-x-js.pdf',
			'aspose_EN16931_objstm.pdf',
			'factur-x-python_EN16931_credit-note-381.pdf',
		],
		'truncated-60pct_nested-folders.zip':
			/^IRRECEVABILITE: L'archive zip est tronquée ou illisible/,
		'truncated-60pct_ubl-nested.tar.gz':
			/^IRRECEVABILITE: L'archive tar\.gz est tronquée ou illisible/,
		'ubl-nested.tar.gz': [
			'batch/2026/11/ce_ubl-tc434-creditnote1.xml',
			'batch/2026/11/ce_ubl-tc434-example1.xml',
			'batch/2026/11/kosit_01.01a-INVOICE_ubl.xml',
		],
	});
	/** @param {Buffer} buf */
	const read = (buf) => (sniff(buf) === 'zip' ? readZip(buf) : readTarGz(buf));

	it('reads each real archive to the expected files, or refuses it (bomb, truncated) quickly', (t) => {
		const archives = realFiles('archives');
		assert.ok(archives.length >= 8);
		for (const [name, buf] of archives) {
			const expected = EXPECTED[name];
			assert.ok(expected, `${name}: add what it should read to`);
			if (Array.isArray(expected)) {
				const [files, ms] = timed(() => read(buf));
				assert.deepEqual(files.map((f) => f.name).sort(), [...expected].sort(), name);
				assert.ok(files.every((f) => f.data.length > 0) && ms < 2000, name);
			} else {
				const [detail, ms] = timed(() => refusal(() => read(buf)));
				assert.equal(detail.codeErreur, 'ERR_FMT_001', name);
				assert.equal(detail.natureErreur, 'IRRECEVABILITE', name);
				assert.match(detail.libelleErreur, expected, name);
				assert.ok(ms < 2000, `${name}: ${ms} ms`);
				if (/bomb/.test(name)) t.diagnostic(`${name} refused in ${ms.toFixed(1)} ms`);
			}
		}
	});

	it('reads every document of the real batches as the declared syntax', () => {
		const archive = (/** @type {string} */ n) => readFileSync(new URL(`archives/${n}`, REAL));
		for (const [name, syntax, count] of /** @type {[string, string, number][]} */ ([
			['streamed-infozip_ubl.zip', 'IN_DP_E1_UBL_INVOICE', 4],
			['nested-folders.zip', 'IN_DP_E1_UBL_INVOICE', 4],
			['macos-finder-style.zip', 'IN_DP_E1_UBL_INVOICE', 2],
			['long-name-gnu.tar.gz', 'IN_DP_E1_CII_16B', 1],
			['ubl-nested.tar.gz', 'IN_DP_E1_UBL_INVOICE', 3],
			['streamed-jar_cii.zip', 'IN_DP_E1_CII_16B', 4],
			['long-name-pax.tar.gz', 'IN_DP_E1_CII_16B', 1],
			['streamed-python-zipfile_factur-x.zip', 'IN_DP_E2_CII_FACTURX', 5],
		])) {
			const r = readFlux(archive(name), syntax, name);
			assert.deepEqual(r.errors, [], name);
			assert.equal(r.documents.length, count, name);
		}
		// a mixed batch is refused as a whole, naming each document of the other syntax
		const mixed = readFlux(
			archive('mixed-ubl-cii.zip'),
			'IN_DP_E1_UBL_INVOICE',
			'mixed-ubl-cii.zip',
		);
		assert.equal(mixed.documents.length, 0);
		assert.equal(mixed.errors.length, 2);
		assert.ok(mixed.errors.every((e) => e.codeErreur === 'ERR_XSD_001'));
	});

	it('reads streamed zips (flag bit 3, data descriptors), nested folders, and skips folders, hidden files and __MACOSX/', () => {
		const files = [
			{ name: 'lot/', data: Buffer.alloc(0) },
			{ name: 'lot/2026/11/a.xml', data: Buffer.from(makeUblXml({ number: 'A' })) },
			{ name: 'lot/.DS_Store', data: Buffer.from('junk') },
			{ name: '__MACOSX/lot/._a.xml', data: Buffer.from('junk') },
			{ name: './b.xml', data: Buffer.from('<b/>') },
			{ name: 'stored.txt', data: Buffer.from('stored'), method: 0 },
		];
		for (const streamed of [true, false]) {
			const zip = zipOf(files, { streamed });
			assert.equal(zip.readUInt16LE(6) & 0x08, streamed ? 0x08 : 0);
			assert.deepEqual(
				readZip(zip).map((f) => [f.name, f.data.toString()]),
				[
					['lot/2026/11/a.xml', files[1].data.toString()],
					['b.xml', '<b/>'],
					['stored.txt', 'stored'],
				],
			);
		}
	});

	it('refuses truncated zips, wrong CRCs, encrypted entries and other compressions', () => {
		const zip = zipOf([
			{ name: 'a.xml', data: Buffer.from(makeUblXml()) },
			{ name: 'b.xml', data: Buffer.from(makeUblXml()) },
		]);
		for (const cut of [zip.length - 1, zip.length - 30, Math.floor(zip.length * 0.6), 30]) {
			assert.match(
				refusal(() => readZip(zip.subarray(0, cut))).libelleErreur,
				/tronquée ou illisible/,
			);
		}
		// the central directory is there but the data is cut: refused as truncated, not read short
		const data = Buffer.from(makeUblXml());
		const cutData = zipOf([{ name: 'a.xml', data, raw: deflateRawSync(data).subarray(0, 100) }]);
		assert.match(refusal(() => readZip(cutData)).libelleErreur, /tronquée ou illisible.*a\.xml/);
		assert.match(
			refusal(() => readZip(zipOf([{ name: 'a.xml', data, crc: 1234 }]))).libelleErreur,
			/CRC-32/,
		);
		const encrypted = zipOf([{ name: 'a.xml', data }]);
		encrypted.writeUInt16LE(
			encrypted.readUInt16LE(encrypted.length - 22 - 46 - 5 + 8) | 1,
			encrypted.length - 22 - 46 - 5 + 8,
		);
		assert.match(refusal(() => readZip(encrypted)).libelleErreur, /chiffrée/);
		assert.match(
			refusal(() => readZip(zipOf([{ name: 'a.xml', data, method: 12, raw: data }]))).libelleErreur,
			/méthode de compression non prise en charge \(12\)/,
		);
	});

	it('refuses zip bombs without inflating past the bounds: lying sizes, big entries, too many files or bytes', (t) => {
		assert.deepEqual(ARCHIVE_LIMITS, {
			maxFileBytes: 120 * MB,
			maxFiles: 500,
			maxRecords: 2000,
			maxTotalBytes: 256 * MB,
		});
		// 1 GiB of zeros declared as 1 KiB: inflation stops one byte past the declared size
		const lying = zipOf([{ name: 'invoice.xml', raw: zeroBomb(1024), size: 1024, crc: 0 }]);
		const [lie, lieMs] = timed(() => refusal(() => readZip(lying)));
		assert.match(lie.libelleErreur, /se décompresse au-delà de sa taille annoncée \(1024 octets\)/);
		// declared honestly: refused from the central directory, nothing inflated
		const big = zipOf([{ name: 'big.xml', raw: zeroBomb(121), size: 121 * MB, crc: 0 }]);
		const [huge, hugeMs] = timed(() => refusal(() => readZip(big)));
		assert.match(huge.libelleErreur, /big\.xml de l'archive zip dépasse 120 Mo/);
		const three = zipOf(
			[1, 2, 3].map((i) => ({ name: `${i}.xml`, raw: zeroBomb(100), size: 100 * MB, crc: 0 })),
		);
		const [total, totalMs] = timed(() => refusal(() => readZip(three)));
		assert.match(total.libelleErreur, /dépasse 256 Mo une fois décompressée/);
		const many = (/** @type {number} */ n) =>
			zipOf(
				Array.from({ length: n }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('<a/>') })),
			);
		assert.equal(readZip(many(500)).length, 500);
		assert.match(refusal(() => readZip(many(501))).libelleErreur, /plus de 500 fichiers/);
		for (const ms of [lieMs, hugeMs, totalMs]) assert.ok(ms < 1000, `${ms} ms`);
		t.diagnostic(
			`zip bombs refused: lying size ${lieMs.toFixed(1)} ms, 121 MiB entry ${hugeMs.toFixed(1)} ms, 3 × 100 MiB ${totalMs.toFixed(1)} ms`,
		);
	});

	it('reads tar.gz with GNU long names, pax headers, ./ prefixes, and skips folders and hidden files', () => {
		const longDir = `${'dossier-'.repeat(15)}/2026`;
		const gnuName = `${longDir}/facture-gnu-${'x'.repeat(60)}.xml`;
		const paxName = `${longDir}/facture-pax-é-${'y'.repeat(60)}.xml`;
		const tgz = gzipSync(
			tarOf([
				{ name: 'pax_global_header', type: 'g', data: paxRecord('comment', 'made by hand') },
				{ name: './lot/', type: '5' },
				{ name: './lot/a.xml', data: '<a/>' },
				{ name: './lot/.hidden.xml', data: '<h/>' },
				{ name: '__MACOSX/lot/._a.xml', data: 'junk' },
				{ name: '././@LongLink', type: 'L', data: `${gnuName}\0` },
				{ name: gnuName.slice(0, 99), data: '<gnu/>' },
				{ name: 'PaxHeaders/x', type: 'x', data: paxRecord('path', paxName) },
				{ name: paxName.slice(0, 99), data: '<pax/>' },
			]),
		);
		assert.deepEqual(
			readTarGz(tgz).map((f) => [f.name, f.data.toString()]),
			[
				['lot/a.xml', '<a/>'],
				[gnuName, '<gnu/>'],
				[paxName, '<pax/>'],
			],
		);
	});

	it('refuses truncated tar.gz and tar.gz bombs quickly, never inflating past the bound', (t) => {
		const tar = tarOf([
			{ name: 'a.xml', data: makeUblXml() },
			{ name: 'b.xml', data: makeUblXml() },
		]);
		const tgz = gzipSync(tar);
		for (const cut of [tgz.length - 1, Math.floor(tgz.length * 0.6), 12])
			assert.match(
				refusal(() => readTarGz(tgz.subarray(0, cut))).libelleErreur,
				/tronquée ou illisible/,
			);
		// a whole gzip stream around a cut tar: the entry's data is missing
		assert.match(
			refusal(() => readTarGz(gzipSync(tar.subarray(0, 512 + 100)))).libelleErreur,
			/tronquée ou illisible \(données de l'entrée a\.xml incomplètes\)/,
		);
		// 1 GiB of zeros in the gzip stream, no tar header to refuse early on: inflated up to the total bound
		// (~258 MiB), which takes ~0.3 s, up to ~2 s in a fresh process (the memory is new to it)
		const gzipHeader = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
		const bomb = Buffer.concat([gzipHeader, zeroBomb(1024), Buffer.alloc(8)]);
		const [detail, ms] = timed(() => refusal(() => readTarGz(bomb)));
		assert.match(
			detail.libelleErreur,
			/^IRRECEVABILITE: L'archive tar\.gz dépasse 256 Mo une fois décompressée/,
		);
		assert.ok(ms < 5000, `${ms} ms`);
		t.diagnostic(`tar.gz bomb (1 GiB of zeros, no header) refused in ${ms.toFixed(0)} ms`);
		// a 121 MiB entry: refused on its declared size, from the first 4 KiB of the stream
		const header = tarOf([{ name: 'big.xml', data: 'x' }]).subarray(0, 512);
		header.write(`${(121 * MB).toString(8).padStart(11, '0')}\0`, 124);
		header.fill(' ', 148, 156);
		let sum = 0;
		for (const b of header) sum += b;
		header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
		// a whole gzip member (its CRC-32 and size right) of that header and 122 MiB of zeros
		const trailer = Buffer.alloc(8);
		trailer.writeUInt32LE(zlibCrc32(Buffer.alloc(122 * MB), zlibCrc32(header)), 0);
		trailer.writeUInt32LE((512 + 122 * MB) % 2 ** 32, 4);
		const bigTar = Buffer.concat([
			gzipHeader,
			deflateRawSync(header, { finishFlush: zlibConstants.Z_FULL_FLUSH }),
			zeroBomb(122),
			trailer,
		]);
		const [big, bigMs] = timed(() => refusal(() => readTarGz(bigTar)));
		assert.match(big.libelleErreur, /big\.xml de l'archive tar\.gz dépasse 120 Mo/);
		assert.ok(bigMs < 1000, `${bigMs} ms`);
		t.diagnostic(`tar.gz with a 121 MiB member refused in ${bigMs.toFixed(1)} ms`);
	});
});

describe('deposer/flux with real files (end to end)', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox({ fluxPollsToFinal: 0 });
	});
	after(() => t.sb.close());

	/** Deposits a file and returns the final CR. @param {Buffer} file @param {string} nomFichier @param {string} syntaxeFlux */
	async function deposit(file, nomFichier, syntaxeFlux) {
		const dep = await t.api('/cpro/factures/v1/deposer/flux', {
			fichierFlux: file.toString('base64'),
			nomFichier,
			syntaxeFlux,
		});
		assert.equal(dep.status, 200, JSON.stringify(dep.body));
		const cr = await t.api('/cpro/transverses/v1/consulterCRDetaille', {
			numeroFluxDepot: dep.body.numeroFluxDepot,
		});
		assert.equal(cr.status, 200);
		return cr.body;
	}

	it('reads a real Factur-X PDF: no technical error; its unknown seller puts the invoice in listeErreurDP', async () => {
		for (const [name, pdf] of realFiles('factur-x')) {
			const invoice = readInvoiceXml(/** @type {string} */ (extractFacturXml(pdf)), 'CII');
			const cr = await deposit(pdf, name, 'IN_DP_E2_CII_FACTURX');
			assert.equal(
				cr.listeErreurTechnique,
				undefined,
				`${name}: ${JSON.stringify(cr.listeErreurTechnique)}`,
			);
			// the real sellers are not structures of the sandbox (nor of the depositing account): rejected per invoice
			assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE', name);
			assert.equal(cr.listeErreurDP.length, 1, name);
			assert.equal(cr.listeErreurDP[0].numeroDP, invoice.number, name);
			assert.match(
				cr.listeErreurDP[0].libelleErreurDP,
				/identifiant fournisseur|fournisseur/,
				name,
			);
		}
	});

	it('reads a real zip of Factur-X PDFs: one listeErreurDP item per invoice, no technical error', async () => {
		const zip = readFileSync(new URL('archives/streamed-python-zipfile_factur-x.zip', REAL));
		const cr = await deposit(zip, 'lot.zip', 'IN_DP_E2_CII_FACTURX');
		assert.equal(cr.listeErreurTechnique, undefined);
		assert.equal(cr.listeErreurDP.length, 5);
	});

	it('rejects a ZUGFeRD 1.0 PDF, a bomb and a truncated archive as technical errors (IN_REJETE)', async () => {
		const [[zf1Name, zf1]] = realFiles('zugferd-1');
		for (const [file, name, syntax, message] of /** @type {[Buffer, string, string, RegExp][]} */ ([
			[zf1, zf1Name, 'IN_DP_E2_CII_FACTURX', /ZUGFeRD 1\.0/],
			[
				readFileSync(new URL('archives/bomb-1gib-single-entry.zip', REAL)),
				'bomb.zip',
				'IN_DP_E1_UBL_INVOICE',
				/dépasse 120 Mo/,
			],
			[
				readFileSync(new URL('archives/truncated-60pct_ubl-nested.tar.gz', REAL)),
				'lot.tar.gz',
				'IN_DP_E1_UBL_INVOICE',
				/tronquée/,
			],
		])) {
			const cr = await deposit(file, name, syntax);
			assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE', name);
			assert.deepEqual(cr.listeErreurDP, [], name);
			assert.equal(cr.listeErreurTechnique.length, 1, name);
			assert.equal(cr.listeErreurTechnique[0].codeErreur, 'ERR_FMT_001');
			assert.equal(cr.listeErreurTechnique[0].natureErreur, 'IRRECEVABILITE');
			assert.match(cr.listeErreurTechnique[0].libelleErreur, message, name);
		}
	});
});
