// @ts-check
/**
 * Reading what is deposited: the documents of a flux (one document, or a zip / tar.gz batch, of the declared
 * syntax: UBL, CII, or Factur-X PDFs), strict base64, and the deposer/pdf "OCR" of a PDF's visible text. The
 * readers live beside this file: xml.mjs, invoiceXml.mjs (UBL / CII), pdfObjects.mjs and pdf.mjs (Factur-X,
 * text), archives.mjs (zip, tar.gz), inflate.mjs (bounded inflation). Every inflation is bounded (zlib
 * `maxOutputLength`; PDF_MAX_* and ARCHIVE_LIMITS), so a hostile file costs a bounded amount of work and memory.
 *
 * Errors that make a whole flux unreadable are {@link FileError}s carrying a `listeErreurTechnique` item
 * ({codeErreur, libelleErreur, natureErreur}).
 */
import { FileError, formatError } from './fileErrors.mjs';
import { InflateBudget, megabytes } from './inflate.mjs';
import { readInvoiceXml } from './invoiceXml.mjs';
import {
	findEmbeddedInvoice,
	pdfText,
	PDF_MAX_INFLATED_BYTES,
	PDF_MAX_STREAM_BYTES,
} from './pdf.mjs';
import { readZip, readTarGz, ARCHIVE_LIMITS } from './archives.mjs';

/** @typedef {import('./fileErrors.mjs').TechnicalError} TechnicalError */
/** @typedef {import('./invoiceXml.mjs').ParsedInvoice} ParsedInvoice */
/** @typedef {import('./archives.mjs').ArchiveFile} ArchiveFile */

/**
 * Kind of a file from its first bytes.
 * @param {Buffer} buf
 * @returns {'pdf'|'zip'|'gzip'|'xml'|'unknown'}
 */
export function sniff(buf) {
	if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
	if (buf.length >= 4 && (buf.readUInt32LE(0) === 0x04034b50 || buf.readUInt32LE(0) === 0x06054b50))
		return 'zip'; // (empty archive)
	if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
	let i = 0;
	if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3; // UTF-8 BOM
	while (i < buf.length && i < 4096 && /\s/.test(String.fromCharCode(buf[i]))) i++;
	if (buf[i] === 0x3c /* < */) return 'xml';
	return 'unknown';
}

/** Expected content per deposit syntax (docs/chorus-pro-api.md §4.1). Syntaxes without a family are not read by the sandbox. */
export const SYNTAXES =
	/** @type {Record<string, { family: 'UBL'|'CII'|'FACTURX'|null, interface: string }>} */ ({
		IN_DP_E1_UBL_INVOICE: { family: 'UBL', interface: '1100' },
		IN_DP_E1_PES_FACTURE: { family: null, interface: '1101' },
		IN_DP_E1_XCBL: { family: null, interface: '1103' },
		IN_DP_E1_CII: { family: 'CII', interface: '1105' },
		IN_DP_E1_CII_16B: { family: 'CII', interface: '1106' },
		IN_DP_E2_CPP_FACTURE_MIN: { family: null, interface: '1110' },
		IN_DP_E2_UBL_INVOICE_MIN: { family: 'UBL', interface: '1111' },
		IN_DP_E2_PES_FACTURE_MIN: { family: null, interface: '1112' },
		IN_DP_E2_CII_MIN: { family: 'CII', interface: '1115' },
		IN_DP_E2_CII_MIN_16B: { family: 'CII', interface: '1116' },
		IN_DP_E2_CII_FACTURX: { family: 'FACTURX', interface: '1117' },
		IN_DP_E3_UBL_INVOICE: { family: 'UBL', interface: '1120' },
	});

/**
 * One invoice document found in a flux.
 * @typedef {{ fileName: string, kind: 'xml'|'pdf', data: Buffer, invoice: ParsedInvoice }} FluxDocument
 */

/**
 * Reads a deposited flux: a single document or a zip / tar.gz batch of documents, all of the declared syntax.
 * Any unreadable document makes the whole flux unreadable (every such document gets a technical error).
 * @param {Buffer} data @param {string} syntaxName syntaxeFlux @param {string} fileName nomFichier
 * @returns {{ documents: FluxDocument[], errors: TechnicalError[] }}
 */
export function readFlux(data, syntaxName, fileName) {
	const syntax = SYNTAXES[syntaxName];
	if (!syntax || !syntax.family) {
		const error = new FileError(
			'ERR_SBX_001',
			`IRRECEVABILITE: la syntaxe ${syntaxName} n'est pas lue par le bac à sable.`,
		);
		return { documents: [], errors: [error.detail] };
	}
	const family = syntax.family;
	/** @type {ArchiveFile[]} */
	let files;
	try {
		files = depositedFiles(data, fileName);
	} catch (err) {
		if (err instanceof FileError) return { documents: [], errors: [err.detail] };
		throw err;
	}
	if (!files.length) {
		const error = formatError(`L'archive ${fileName} ne contient aucun fichier.`);
		return { documents: [], errors: [error.detail] };
	}
	/** @type {FluxDocument[]} */
	const documents = [];
	/** @type {TechnicalError[]} */
	const errors = [];
	// PDFs of one deposit inflate, all together, no more than an archive may unpack to.
	const budget = new InflateBudget(ARCHIVE_LIMITS.maxTotalBytes);
	for (const file of files) {
		try {
			documents.push(readDocument(file.name, file.data, family, budget));
		} catch (err) {
			if (err instanceof FileError) errors.push(err.detail);
			else throw err;
		}
	}
	return errors.length ? { documents: [], errors } : { documents, errors: [] };
}

/** The files of a deposit: those of a zip or tar.gz batch, or the deposited file itself. @param {Buffer} data @param {string} fileName */
function depositedFiles(data, fileName) {
	const kind = sniff(data);
	if (kind === 'zip') return readZip(data);
	if (kind === 'gzip') return readTarGz(data);
	return [{ name: fileName, data }];
}

/**
 * Reads one (non-archive) document according to the syntax family; a FileError names the file.
 * @param {string} fileName @param {Buffer} data @param {'UBL'|'CII'|'FACTURX'} family
 * @param {InflateBudget} budget the flux's, for PDFs
 * @returns {FluxDocument}
 */
function readDocument(fileName, data, family, budget) {
	const kind = sniff(data);
	const where = ` (fichier ${fileName})`;
	try {
		if (family === 'FACTURX') return readFacturXDocument(fileName, data, kind, where, budget);
		if (kind !== 'xml')
			throw formatError(
				`Le fichier n'est pas un document XML ${family === 'UBL' ? 'UBL' : 'CII'}${where}.`,
			);
		return { fileName, kind: 'xml', data, invoice: readInvoiceXml(data, family) };
	} catch (err) {
		if (err instanceof FileError && !err.detail.libelleErreur.includes(fileName)) {
			err.detail.libelleErreur += where;
		}
		throw err;
	}
}

/**
 * A Factur-X PDF: the CII it embeds, read within what is left of the flux's budget. A ZUGFeRD 1.0 PDF, a PDF
 * past the bounds and a PDF without invoice are each refused with their own message.
 * @param {string} fileName @param {Buffer} data @param {string} kind @param {string} where
 * @param {InflateBudget} budget
 * @returns {FluxDocument}
 */
function readFacturXDocument(fileName, data, kind, where, budget) {
	if (kind !== 'pdf')
		throw formatError(`Le fichier n'est pas un PDF Factur-X (PDF/A-3 attendu)${where}.`);
	const allowed = Math.min(PDF_MAX_INFLATED_BYTES, budget.left);
	const own = new InflateBudget(allowed);
	const found = findEmbeddedInvoice(data, own);
	budget.left -= allowed - own.left;
	if (found.xml != null)
		return { fileName, kind: 'pdf', data, invoice: readInvoiceXml(found.xml, 'CII') };
	if (found.zugferd1)
		throw formatError(
			`Le PDF contient une facture ZUGFeRD 1.0 (${found.zugferd1}, élément racine CrossIndustryDocument) : ce format n'est pas un Factur-X. Chorus Pro attend une facture CII D16B (élément racine CrossIndustryInvoice) dans un fichier factur-x.xml${where}.`,
		);
	if (own.exceeded)
		throw formatError(
			`Le PDF se décompresse au-delà des limites du bac à sable (${megabytes(PDF_MAX_STREAM_BYTES)} par objet du PDF, ${megabytes(PDF_MAX_INFLATED_BYTES)} par PDF, ${megabytes(ARCHIVE_LIMITS.maxTotalBytes)} par dépôt) sans qu'un fichier factur-x.xml lisible y ait été trouvé${where}.`,
		);
	throw formatError(`Le PDF ne contient pas de fichier factur-x.xml${where}.`);
}

/**
 * Strict standard base64 decoding (whitespace tolerated, padding required when needed, no data-URI prefix).
 * @param {unknown} value
 * @returns {Buffer|null} null when not valid base64
 */
export function decodeBase64(value) {
	if (typeof value !== 'string') return null;
	const s = value.replace(/\s+/g, '');
	if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
	return Buffer.from(s, 'base64');
}

/**
 * What the deposer/pdf "OCR" reads from the visible text of a PDF: simple French markers such as
 * `Facture N° X`, `Date : YYYY-MM-DD` (or DD/MM/YYYY), `SIRET destinataire : …`, `Code service : …`,
 * `Engagement juridique : …`, `Total HT : …`, `Total TVA : …`, `Total TTC : …`, `Net a payer : …`, `Devise : EUR`.
 * Missing markers give null.
 * @param {Buffer} pdf
 */
export function ocrInvoice(pdf) {
	const text = pdfText(pdf);
	/** @param {RegExp} re */
	const find = (re) => {
		const m = re.exec(text);
		return m ? m[1].trim() : null;
	};
	/** @param {RegExp} re */
	const amount = (re) => {
		const v = find(re);
		if (v == null) return null;
		const n = Number(v.replace(/[\s\u00a0]/g, '').replace(',', '.'));
		return Number.isFinite(n) ? n : null;
	};
	let date = find(/Date(?: de facture)?\s*:?\s*(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})/i);
	if (date && date.includes('/')) date = date.split('/').reverse().join('-');
	const creditNote = /^\s*Avoir\s+N/im.test(text);
	return {
		numeroFacture: find(
			/(?:Facture|Avoir)\s*N(?:°|\xb0|o|um[ée]ro)?\.?\s*:?\s*([A-Za-z0-9\-_/+]+)/i,
		),
		dateFacture: date,
		codeDestinataire: find(/SIRET destinataire\s*:?\s*(\d{14})/i),
		codeServiceExecutant: find(/Code service\s*:?\s*([A-Za-z0-9_\-]+)/i),
		codeFournisseur: find(/SIRET fournisseur\s*:?\s*(\d{14})/i),
		codeDeviseFacture: find(/Devise\s*:?\s*([A-Z]{3})\b/),
		typeFacture: creditNote ? 'AVOIR' : 'FACTURE',
		typeTva: null,
		numeroBonCommande: find(/(?:Engagement juridique|Bon de commande)\s*:?\s*([A-Za-z0-9\-_/+]+)/i),
		montantTtcAvantRemiseGlobalTTC: amount(/Total TTC\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantAPayer: amount(/Net [àa] payer\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantHtTotal: amount(/Total HT\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantTVA: amount(/Total TVA\s*:?\s*([\d\s\u00a0.,]+\d)/i),
	};
}
