// @ts-check
/**
 * Tests of the document generators (fixtures.mjs), the file readers (files.mjs) and the upload service
 * transverses/v1/ajouter/fichier. Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync, gunzipSync } from 'node:zlib';
import { createSandbox } from './server.mjs';
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
} from './fixtures.mjs';
import {
	sniff,
	parseXml,
	readInvoiceXml,
	extractFacturXml,
	pdfText,
	readZip,
	readTarGz,
	readFlux,
	decodeBase64,
	ocrInvoice,
	FileError,
} from './files.mjs';
import { sample, apiClient } from './testing-helpers.mjs';

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
			assert.equal(inv.syntaxe, family);
			assert.equal(inv.numero, 'FAC-2024-0001');
			assert.equal(inv.dateFacture, '2024-05-14');
			assert.equal(inv.dateEcheance, '2024-06-13');
			assert.equal(inv.typeFacture, 'FACTURE');
			assert.equal(inv.devise, 'EUR');
			assert.deepEqual(inv.fournisseur, { siret: '73442027438548', nom: 'Fournisseur' });
			assert.deepEqual(inv.destinataire, { siret: '12345678200028', nom: 'Destinataire' });
			assert.equal(inv.codeService, 'SERVICE_DEST_SERV_OBL');
			assert.equal(inv.numeroEJ, 'EJ-0001');
			assert.equal(inv.numeroMarche, 'M-1');
			assert.deepEqual(
				[inv.montantHT, inv.montantTVA, inv.montantTTC, inv.montantAPayer],
				[1050, 202.75, 1252.75, 1252.75],
			);
			assert.equal(inv.lignes.length, 2);
			assert.equal(inv.lignes[0].denomination, 'Conseil & audit <x>');
			assert.deepEqual(
				[
					inv.lignes[1].quantite,
					inv.lignes[1].prixUnitaire,
					inv.lignes[1].montantHT,
					inv.lignes[1].tauxTva,
				],
				[2, 25, 50, 5.5],
			);
			assert.equal(inv.lignesTva.length, 2);
			const credit = readInvoiceXml(
				make({ ...OPTS, creditNote: true, precedingInvoice: 'FAC-2023-9' }),
				family,
			);
			assert.equal(credit.typeFacture, 'AVOIR');
			assert.equal(credit.numeroFactureOrigine, 'FAC-2023-9');
			assert.ok(credit.montantTTC > 0);
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
			readInvoiceXml(/** @type {string} */ (extractFacturXml(pdf)), 'CII').numero,
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
	/** @type {import('./server.mjs').Sandbox} */
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
