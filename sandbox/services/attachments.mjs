// @ts-check
/**
 * Files uploaded before an invoice refers to them (docs/chorus-pro-api.md §3.1, §6): `factures/v1/deposer/pdf`
 * (a PDF invoice, read by a simple "OCR") and `transverses/v1/ajouter/fichier` (any attachment). Both answer a
 * `pieceJointeId`, which soumettre (`pieceJointePrincipale`, `pieceJointeComplementaire`) and completer
 * (`pieceJointeComplementaire`) accept from the same account only. Uploads are kept in `state.piecesJointes`.
 */
import {
	ok,
	fail,
	missingField,
	invalidValue,
	ReplyError,
	CODES,
	SUCCESS_LABEL,
	INVOICE_SUCCESS_LABEL,
} from '../replies.mjs';
import { blank, isObject } from '../fields.mjs';
import { nextSeq } from '../seed.mjs';
import { decodeBase64, ocrInvoice } from '../files.mjs';
import { extractFacturXml } from '../pdf.mjs';
import { readInvoiceXml } from '../invoiceXml.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../invoices.mjs').AttachmentRef} AttachmentRef */

const MB = 1024 * 1024;
/** Largest file of deposer/pdf and ajouter/fichier (docs/chorus-pro-api.md §6). */
export const MAX_FILE_BYTES = 10 * MB;

/** Allowed extensions of attachments (docs/chorus-pro-api.md §6). */
export const ATTACHMENT_EXTENSIONS = [
	'BMP',
	'GIF',
	'FAX',
	'ODT',
	'PPT',
	'TIFF',
	'XLS',
	'BZ2',
	'GZ',
	'JPEG',
	'P7S',
	'RTF',
	'TXT',
	'XML',
	'CSV',
	'GZIP',
	'JPG',
	'PDF',
	'SVG',
	'XHTML',
	'XLSX',
	'DOC',
	'HTM',
	'ODP',
	'PNG',
	'TGZ',
	'XLC',
	'ZIP',
	'DOCX',
	'HTML',
	'ODS',
	'PPS',
	'TIF',
	'XLM',
	'PPTX',
];
/** `formatDepot` of deposer/pdf (docs/chorus-pro-api.md §4.7). */
const PDF_DEPOSIT_FORMATS = ['PDF_NON_SIGNE', 'PDF_SIGNE_PADES', 'PDF_SIGNE_XADES'];

// ---------------------------------------------------------------------------------------------------------------
// deposer/pdf

/**
 * `POST factures/v1/deposer/pdf` (samples/factures-deposer-pdf.response.*.json): the OCR of a PDF invoice —
 * simple text markers, or the embedded Factur-X XML when there is one; what is not found is null.
 * @param {Ctx} ctx @returns {Reply}
 */
export function depositPdf(ctx) {
	const b = ctx.body;
	if (blank(b.fichierFacture)) return missingField('fichierFacture');
	const data = decodeBase64(b.fichierFacture);
	if (!data)
		return fail(
			400,
			CODES.INVALID_VALUE,
			"Le paramètre fichierFacture n'est pas un contenu encodé en base 64 valide.",
		);
	if (data.length > MAX_FILE_BYTES) return { status: 413 };
	if (data.subarray(0, 5).toString('latin1') !== '%PDF-')
		return fail(400, CODES.INVALID_VALUE, "Le fichier déposé n'est pas un PDF.");
	if (blank(b.nomFichier)) return missingField('nomFichier');
	if (typeof b.nomFichier !== 'string' || b.nomFichier.length > 200)
		return invalidValue('nomFichier', b.nomFichier, '200 caractères au plus.');
	if (blank(b.formatDepot)) return missingField('formatDepot');
	if (!PDF_DEPOSIT_FORMATS.includes(b.formatDepot))
		return invalidValue(
			'formatDepot',
			b.formatDepot,
			`Valeurs possibles : ${PDF_DEPOSIT_FORMATS.join(', ')}.`,
		);
	const read = readPdfInvoice(data);
	const upload = storeUpload(ctx, {
		nom: b.nomFichier.replace(/\.pdf$/i, ''),
		extension: 'pdf',
		typeMime: 'application/pdf',
		data,
		origine: 'DEPOT_PDF',
	});
	return { body: ok(INVOICE_SUCCESS_LABEL, { ...read, pieceJointeId: upload.pieceJointeId }) };
}

/**
 * What deposer/pdf answers it read: the OCR of the visible text, overridden by the embedded Factur-X XML when
 * it can be read.
 * @param {Buffer} pdf
 */
function readPdfInvoice(pdf) {
	const found = ocrInvoice(pdf);
	const xml = extractFacturXml(pdf);
	if (!xml) return found;
	try {
		const invoice = readInvoiceXml(xml, 'CII');
		Object.assign(found, {
			numeroFacture: invoice.number,
			dateFacture: invoice.date,
			codeDestinataire: invoice.recipient.siret,
			codeServiceExecutant: invoice.serviceCode,
			codeFournisseur: invoice.supplier.siret,
			codeDeviseFacture: invoice.currency,
			typeFacture: invoice.type,
			numeroBonCommande: invoice.ej,
			montantTtcAvantRemiseGlobalTTC: invoice.amountTTC,
			montantAPayer: invoice.amountDue,
			montantHtTotal: invoice.amountHT,
			montantTVA: invoice.amountVAT,
		});
	} catch {
		/* unreadable XML: keep the text OCR */
	}
	return found;
}

// ---------------------------------------------------------------------------------------------------------------
// ajouter/fichier

/**
 * `POST transverses/v1/ajouter/fichier` (samples/transverses-ajouter-fichier.*.json): an attachment; a file
 * over 10 MB is 20003.
 * @param {Ctx} ctx @returns {Reply}
 */
export function addFile(ctx) {
	const b = ctx.body;
	if (blank(b.pieceJointeFichier)) return missingField('pieceJointeFichier');
	const data = decodeBase64(b.pieceJointeFichier);
	if (!data || data.length === 0)
		return fail(
			400,
			CODES.INVALID_VALUE,
			"Le paramètre pieceJointeFichier n'est pas un contenu encodé en base 64 valide.",
		);
	if (data.length > MAX_FILE_BYTES)
		return fail(400, 20003, 'La taille du fichier dépasse la taille maximale autorisée (10 Mo).');
	if (blank(b.pieceJointeNom)) return missingField('pieceJointeNom');
	if (typeof b.pieceJointeNom !== 'string' || b.pieceJointeNom.length > 50)
		return invalidValue('pieceJointeNom', b.pieceJointeNom, '50 caractères au plus.');
	if (
		!blank(b.pieceJointeTypeMime) &&
		(typeof b.pieceJointeTypeMime !== 'string' || b.pieceJointeTypeMime.length > 255)
	) {
		return invalidValue('pieceJointeTypeMime', b.pieceJointeTypeMime);
	}
	if (blank(b.pieceJointeExtension)) return missingField('pieceJointeExtension');
	const extension = String(b.pieceJointeExtension).replace(/^\./, '');
	if (!ATTACHMENT_EXTENSIONS.includes(extension.toUpperCase())) {
		return invalidValue(
			'pieceJointeExtension',
			b.pieceJointeExtension,
			`Extensions autorisées : ${ATTACHMENT_EXTENSIONS.join(', ')}.`,
		);
	}
	const upload = storeUpload(ctx, {
		nom: b.pieceJointeNom,
		extension: extension.toLowerCase(),
		typeMime: b.pieceJointeTypeMime ?? 'application/octet-stream',
		data,
		origine: 'AJOUT_FICHIER',
	});
	return { body: ok(SUCCESS_LABEL, { pieceJointeId: upload.pieceJointeId }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Stored uploads

/**
 * Stores an uploaded file as an attachment of the account (`state.piecesJointes`).
 * @param {Ctx} ctx @param {{ nom: string, extension: string, typeMime: string, data: Buffer, origine: string }} file
 */
function storeUpload(ctx, file) {
	const upload = {
		pieceJointeId: nextSeq(ctx.state, 'pieceJointeId', 6921000),
		nom: file.nom,
		extension: file.extension,
		typeMime: file.typeMime,
		taille: file.data.length,
		data: file.data,
		origine: file.origine,
		login: ctx.account.login,
		idUtilisateur: ctx.account.idUtilisateur,
		structureIds: [...ctx.account.structureIds],
		dateCreation: ctx.now().toISOString(),
	};
	ctx.state.piecesJointes.push(upload);
	return upload;
}

/** The account's own upload with that id, if any. @param {Ctx} ctx @param {any} id */
export function findUpload(ctx, id) {
	return ctx.state.piecesJointes.find(
		(upload) => upload.pieceJointeId === Number(id) && upload.login === ctx.account.login,
	);
}

/**
 * Block `pieceJointeComplementaire[]` of soumettre and completer (ids from ajouter/fichier or deposer/pdf of this
 * account); throws a ReplyError naming the first wrong item.
 * @param {Ctx} ctx @param {any} list @returns {AttachmentRef[]}
 */
export function complementaryAttachments(ctx, list) {
	if (blank(list)) return [];
	if (!Array.isArray(list))
		throw new ReplyError(
			invalidValue('pieceJointeComplementaire', list, 'Un tableau est attendu.'),
		);
	return list.map((item, i) => {
		const key = `pieceJointeComplementaire[${i}]`;
		if (!isObject(item) || blank(item.pieceJointeComplementaireId))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireId`));
		if (blank(item.pieceJointeComplementaireDesignation))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireDesignation`));
		if (blank(item.pieceJointeComplementaireType))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireType`));
		const upload = findUpload(ctx, item.pieceJointeComplementaireId);
		if (!upload)
			throw new ReplyError(
				invalidValue(
					`${key}.pieceJointeComplementaireId`,
					item.pieceJointeComplementaireId,
					'Pièce jointe inconnue.',
				),
			);
		return {
			pieceJointeId: upload.pieceJointeId,
			designation: String(item.pieceJointeComplementaireDesignation).slice(0, 100),
			type: String(item.pieceJointeComplementaireType),
			nom: upload.nom,
			extension: upload.extension,
		};
	});
}
