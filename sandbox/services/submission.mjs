// @ts-check
/**
 * soumettre (`POST /cpro/factures/v1/soumettre`, docs/chorus-pro-api.md §3.1 soumettreFacture): the supplier
 * creates an invoice from structured data, keyed in (`SAISIE_API`, with lines) or on a PDF uploaded before
 * (`DEPOT_PDF_API`, `DEPOT_PDF_SIGNE_API`, with a main attachment).
 *
 * The request is read block by block, in the order of `readSubmission`, each block as §3.1 describes it; the
 * first problem found is the answer (HTTP 400): 20099 a required field is missing, 20097 a value is invalid or
 * the amounts disagree, 20001 the supplier is not the account's, 20303 / 20304 / 20305 the recipient / its
 * service / the EJ is refused by the recipient's parameters, 20013 the supplier already used the number.
 */
import {
	ok,
	fail,
	missingField,
	invalidValue,
	ReplyError,
	CODES,
	INVOICE_SUCCESS_LABEL,
} from '../replies.mjs';
import { blank, isObject, round2, optionalNumber, isDate } from '../fields.mjs';
import { nextSeq, structureById, serviceById } from '../seed.mjs';
import { VAT_RATES, PAYMENT_MODES } from '../referenceData.mjs';
import {
	createInvoice,
	checkRouting,
	isDuplicate,
	recipientPart,
	supplierPart,
	depositCertificate,
} from '../invoices.mjs';
import { complementaryAttachments, findUpload } from './attachments.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').State} State */
/** @typedef {import('../invoices.mjs').NewInvoice} NewInvoice */
/** @typedef {import('../invoices.mjs').AttachmentRef} AttachmentRef */

/** `modeDepot` values soumettre accepts (docs/chorus-pro-api.md §4.4). */
const SUBMISSION_DEPOSIT_MODES = ['SAISIE_API', 'DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API'];
/** The plain-invoice billing frames soumettre accepts (docs/chorus-pro-api.md §4.5). */
const SUBMISSION_BILLING_FRAMES = [
	'A1_FACTURE_FOURNISSEUR',
	'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'A9_FACTURE_SOUSTRAITANT',
	'A12_FACTURE_COTRAITANT',
];
/** `references.typeTva` values. */
const VAT_TYPES = ['TVA_SUR_DEBIT', 'TVA_SUR_ENCAISSEMENT', 'EXONERATION', 'SANS_TVA'];

/** @param {string} name */
const missing = (name) => new ReplyError(missingField(name));
/** @param {string} name @param {any} value @param {string} [why] */
const invalid = (name, value, why = '') => new ReplyError(invalidValue(name, value, why));

/**
 * `POST factures/v1/soumettre` (samples/factures-soumettre.*.json): the invoice is created `DEPOSEE`.
 * @param {Ctx} ctx @returns {Reply}
 */
export function submitInvoice(ctx) {
	const inv = createInvoice(ctx.state, readSubmission(ctx), ctx.now());
	return {
		body: ok(INVOICE_SUCCESS_LABEL, {
			dateDepot: inv.dateDepot,
			identifiantFactureCPP: inv.idFacture,
			identifiantStructure: inv.fournisseur.siret,
			numeroFacture: inv.numeroFacture,
			statutFacture: inv.statut,
			empreinteCertificatDepot: depositCertificate(inv),
		}),
	};
}

/**
 * The invoice a soumettre request describes, block by block; throws a ReplyError at the first problem.
 * @param {Ctx} ctx @returns {NewInvoice}
 */
function readSubmission(ctx) {
	const { body, state, account } = ctx;
	const mode = depositMode(body);
	const enteredNumber = enteredInvoiceNumber(body);
	const date = invoiceDate(body);
	const supplier = supplierBlock(ctx);
	const frame = billingFrameBlock(body);
	const references = referencesBlock(body);
	const recipient = recipientBlock(state, body, references.numeroBonCommande);
	const lines = lineItemsBlock(body);
	const mainAttachments = mainAttachmentsBlock(ctx);
	const complementary = complementaryAttachments(ctx, body.pieceJointeComplementaire);
	const vat = vatLinesBlock(body);
	const totals = totalsBlock(body);
	checkAmounts(totals, lines, vat);
	/** @type {NewInvoice} */
	const data = {
		// New keys of the invoice record come in this order: numeroFacture, fournisseur, destinataire.
		numeroFacture: invoiceNumber(state, supplier.structure.idStructureCPP, enteredNumber),
		modeDepot: mode,
		...frame,
		fournisseur: supplier.part,
		destinataire: recipient,
		...references,
		...totals,
		lignes: lines.items,
		lignesTva: vat.items,
		piecesJointesPrincipales: mainAttachments,
		piecesJointesComplementaires: complementary,
		commentaire: blank(body.commentaire) ? null : String(body.commentaire).slice(0, 2000),
		idUtilisateurCreateur: account.idUtilisateur,
	};
	if (date !== null) data.dateFacture = date;
	return data;
}

// ---------------------------------------------------------------------------------------------------------------
// Header: modeDepot, numeroFactureSaisi, dateFacture

/** `modeDepot` (§4.4), required. @param {any} body @returns {string} */
function depositMode(body) {
	if (blank(body.modeDepot)) throw missing('modeDepot');
	if (!SUBMISSION_DEPOSIT_MODES.includes(body.modeDepot))
		throw invalid(
			'modeDepot',
			body.modeDepot,
			`Valeurs possibles : ${SUBMISSION_DEPOSIT_MODES.join(', ')}.`,
		);
	return body.modeDepot;
}

/**
 * `numeroFactureSaisi`: at most 20 letters, digits and `- _ / +`; null when absent (the platform numbers it).
 * @param {any} body
 */
function enteredInvoiceNumber(body) {
	const entered = blank(body.numeroFactureSaisi) ? null : String(body.numeroFactureSaisi);
	if (entered !== null && !/^[A-Za-z0-9\-_/+]{1,20}$/.test(entered))
		throw invalid(
			'numeroFactureSaisi',
			entered,
			'20 caractères au plus, lettres, chiffres et - _ / + uniquement.',
		);
	return entered;
}

/** `dateFacture` `YYYY-MM-DD`, or null when absent (the deposit date is used). @param {any} body */
function invoiceDate(body) {
	if (blank(body.dateFacture)) return null;
	if (!isDate(body.dateFacture))
		throw invalid('dateFacture', body.dateFacture, 'Format attendu : AAAA-MM-JJ.');
	return /** @type {string} */ (body.dateFacture);
}

/**
 * The invoice number: the one entered, else the next `CPP…` number; 20013 when the supplier already has it.
 * @param {State} state @param {number} supplierId @param {string|null} entered
 */
function invoiceNumber(state, supplierId, entered) {
	const number = entered ?? `CPP${String(nextSeq(state, 'numeroFactureAuto', 0)).padStart(8, '0')}`;
	if (isDuplicate(state, supplierId, number))
		throw new ReplyError(
			fail(
				400,
				20013,
				`La facture ${number} existe déjà pour ce fournisseur (numéro de facture en doublon).`,
			),
		);
	return number;
}

// ---------------------------------------------------------------------------------------------------------------
// Parties: fournisseur, destinataire

/**
 * Block `fournisseur {idFournisseur, idServiceFournisseur, codeCoordonneesBancairesFournisseur}`: a structure of
 * the account (else 20001), one of its services, one of its bank accounts (coordbanc/valides).
 * @param {Ctx} ctx
 */
function supplierBlock(ctx) {
	const block = isObject(ctx.body.fournisseur) ? ctx.body.fournisseur : {};
	if (blank(block.idFournisseur)) throw missing('fournisseur.idFournisseur');
	const structure = structureById(ctx.state, block.idFournisseur);
	if (!structure || !ctx.account.structureIds.includes(structure.idStructureCPP))
		throw new ReplyError(
			fail(
				400,
				20001,
				`GDP_MSG_11.005 L'utilisateur n'est pas rattaché à la structure fournisseur ${block.idFournisseur}.`,
			),
		);
	const service = blank(block.idServiceFournisseur)
		? null
		: serviceById(structure, block.idServiceFournisseur);
	if (service === undefined)
		throw invalid('fournisseur.idServiceFournisseur', block.idServiceFournisseur);
	const bankAccount = block.codeCoordonneesBancairesFournisseur;
	const bankAccounts = structure.coordonneesBancaires ?? [];
	if (
		!blank(bankAccount) &&
		!bankAccounts.some((c) => c.idCoordonneeBancaire === Number(bankAccount))
	)
		throw invalid(
			'fournisseur.codeCoordonneesBancairesFournisseur',
			bankAccount,
			'Utiliser un identifiant renvoyé par transverses/v1/recuperer/coordbanc/valides.',
		);
	const bankAccountId = blank(bankAccount) ? null : Number(bankAccount);
	return { structure, part: supplierPart(structure, service, bankAccountId) };
}

/**
 * Block `destinataire {codeDestinataire, codeServiceExecutant}` with the EJ of the references, checked against
 * the recipient's parameters (20303 / 20304 / 20305).
 * @param {State} state @param {any} body @param {string|null} ej
 */
function recipientBlock(state, body, ej) {
	const block = isObject(body.destinataire) ? body.destinataire : {};
	if (blank(block.codeDestinataire)) throw missing('destinataire.codeDestinataire');
	const routing = checkRouting(state, {
		siret: block.codeDestinataire,
		serviceCode: block.codeServiceExecutant,
		ej,
	});
	if ('message' in routing) throw new ReplyError(routingRefusal(routing));
	return recipientPart(routing.recipient, routing.service);
}

/**
 * The answer of soumettre and recycler to a refused recipient: 20303 recipient, 20304 service, 20305 EJ.
 * @param {import('../invoices.mjs').RoutingRefusal} refused @returns {Reply}
 */
export function routingRefusal(refused) {
	const code = refused.kind === 'recipient' ? 20303 : refused.kind === 'service' ? 20304 : 20305;
	return fail(400, code, refused.message);
}

// ---------------------------------------------------------------------------------------------------------------
// Frame and references: cadreDeFacturation, references

/**
 * Block `cadreDeFacturation {codeCadreFacturation, codeStructureValideur, codeServiceValideur}`: one of the
 * plain-invoice frames.
 * @param {any} body
 */
function billingFrameBlock(body) {
	const block = isObject(body.cadreDeFacturation) ? body.cadreDeFacturation : {};
	if (blank(block.codeCadreFacturation)) throw missing('cadreDeFacturation.codeCadreFacturation');
	if (!SUBMISSION_BILLING_FRAMES.includes(block.codeCadreFacturation))
		throw invalid(
			'cadreDeFacturation.codeCadreFacturation',
			block.codeCadreFacturation,
			`Valeurs possibles : ${SUBMISSION_BILLING_FRAMES.join(', ')}.`,
		);
	return {
		cadreFacturation: /** @type {string} */ (block.codeCadreFacturation),
		codeStructureValideur: blank(block.codeStructureValideur)
			? null
			: String(block.codeStructureValideur),
		codeServiceValideur: blank(block.codeServiceValideur)
			? null
			: String(block.codeServiceValideur),
	};
}

/**
 * Block `references {deviseFacture, typeFacture, typeTva, modePaiement, motifExonerationTva, numeroMarche,
 * numeroBonCommande (the EJ, ≤ 50), numeroFactureOrigine}`; EUR and FACTURE by default.
 * @param {any} body
 */
function referencesBlock(body) {
	const block = isObject(body.references) ? body.references : {};
	const currency = blank(block.deviseFacture) ? 'EUR' : String(block.deviseFacture);
	if (!/^[A-Z]{3}$/.test(currency)) throw invalid('references.deviseFacture', block.deviseFacture);
	const type = blank(block.typeFacture) ? 'FACTURE' : block.typeFacture;
	if (type !== 'FACTURE' && type !== 'AVOIR')
		throw invalid('references.typeFacture', type, 'Valeurs possibles : FACTURE, AVOIR.');
	if (!blank(block.typeTva) && !VAT_TYPES.includes(block.typeTva))
		throw invalid(
			'references.typeTva',
			block.typeTva,
			`Valeurs possibles : ${VAT_TYPES.join(', ')}.`,
		);
	if (!blank(block.modePaiement) && !PAYMENT_MODES.includes(block.modePaiement))
		throw invalid(
			'references.modePaiement',
			block.modePaiement,
			`Valeurs possibles : ${PAYMENT_MODES.join(', ')}.`,
		);
	const ej = blank(block.numeroBonCommande) ? null : String(block.numeroBonCommande);
	if (ej !== null && ej.length > 50)
		throw invalid('references.numeroBonCommande', ej, '50 caractères au plus.');
	return {
		typeFacture: /** @type {'FACTURE'|'AVOIR'} */ (type),
		devise: currency,
		typeTva: block.typeTva ?? null,
		modePaiement: block.modePaiement ?? null,
		motifExonerationTva: block.motifExonerationTva ?? null,
		numeroBonCommande: ej,
		numeroMarche: blank(block.numeroMarche) ? null : String(block.numeroMarche),
		numeroFactureOrigine: blank(block.numeroFactureOrigine)
			? null
			: String(block.numeroFactureOrigine),
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Content: lignePoste, pieceJointePrincipale (pieceJointeComplementaire: attachments.mjs)

/**
 * Block `lignePoste[]`: required (at least one line) for SAISIE_API, read whenever it is an array; with the sum
 * of the lines' net amounts.
 * @param {any} body
 */
function lineItemsBlock(body) {
	/** @type {Record<string, any>[]} */
	const items = [];
	let total = 0;
	if (body.modeDepot !== 'SAISIE_API' && !Array.isArray(body.lignePoste)) return { items, total };
	const given = Array.isArray(body.lignePoste) ? body.lignePoste : [];
	if (given.length === 0 && body.modeDepot === 'SAISIE_API') throw missing('lignePoste');
	for (const [i, item] of given.entries()) {
		const { line, net } = lineItem(item, i);
		total += net;
		items.push(line);
	}
	return { items, total };
}

/**
 * One `lignePoste` item: quantity, unit price and name required; the VAT rate a code of recuperer/tauxtva or a
 * manual rate.
 * @param {any} item @param {number} i
 */
function lineItem(item, i) {
	if (!isObject(item)) throw invalid(`lignePoste[${i}]`, item);
	const key = (/** @type {string} */ name) => `lignePoste[${i}].${name}`;
	const quantity = optionalNumber(key('lignePosteQuantite'), item.lignePosteQuantite);
	const unitPrice = optionalNumber(
		key('lignePosteMontantUnitaireHT'),
		item.lignePosteMontantUnitaireHT,
	);
	const discount =
		optionalNumber(key('lignePosteMontantRemiseHT'), item.lignePosteMontantRemiseHT) ?? 0;
	if (quantity === null) throw missing(key('lignePosteQuantite'));
	if (unitPrice === null) throw missing(key('lignePosteMontantUnitaireHT'));
	if (blank(item.lignePosteDenomination)) throw missing(key('lignePosteDenomination'));
	if (
		!blank(item.lignePosteTauxTva) &&
		!VAT_RATES.some((t) => t.codeTauxTva === item.lignePosteTauxTva)
	)
		throw invalid(
			key('lignePosteTauxTva'),
			item.lignePosteTauxTva,
			'Utiliser un code de transverses/v1/recuperer/tauxtva.',
		);
	const manualRate = optionalNumber(key('lignePosteTauxTvaManuel'), item.lignePosteTauxTvaManuel);
	const line = {
		lignePosteNumero: item.lignePosteNumero ?? i + 1,
		lignePosteReference: item.lignePosteReference ?? null,
		lignePosteDenomination: item.lignePosteDenomination,
		lignePosteQuantite: quantity,
		lignePosteUnite: item.lignePosteUnite ?? null,
		lignePosteMontantUnitaireHT: unitPrice,
		lignePosteMontantRemiseHT: blank(item.lignePosteMontantRemiseHT) ? null : discount,
		lignePosteTauxTva: item.lignePosteTauxTva ?? null,
		lignePosteTauxTvaManuel: manualRate,
	};
	return { line, net: round2(quantity * unitPrice - discount) };
}

/**
 * Block `pieceJointePrincipale[] {pieceJointePrincipaleId, pieceJointePrincipaleDesignation}`: required for the
 * DEPOT_PDF modes, ids of this account's uploads (deposer/pdf, ajouter/fichier).
 * @param {Ctx} ctx @returns {AttachmentRef[]}
 */
function mainAttachmentsBlock(ctx) {
	const list = ctx.body.pieceJointePrincipale;
	if (ctx.body.modeDepot === 'SAISIE_API') return [];
	if (!Array.isArray(list) || list.length === 0) throw missing('pieceJointePrincipale');
	return list.map((item, i) => {
		const key = `pieceJointePrincipale[${i}].pieceJointePrincipaleId`;
		if (!isObject(item) || blank(item.pieceJointePrincipaleId)) throw missing(key);
		const upload = findUpload(ctx, item.pieceJointePrincipaleId);
		if (!upload)
			throw invalid(
				key,
				item.pieceJointePrincipaleId,
				"Pièce jointe inconnue : utiliser l'identifiant renvoyé par deposer/pdf ou ajouter/fichier.",
			);
		return {
			pieceJointeId: upload.pieceJointeId,
			designation: item.pieceJointePrincipaleDesignation ?? upload.nom,
			type: null,
			nom: upload.nom,
			extension: upload.extension,
		};
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts: ligneTva, montantTotal

/**
 * Block `ligneTva[]` (optional): the VAT breakdown, with the sums of its bases and amounts.
 * @param {any} body
 */
function vatLinesBlock(body) {
	/** @type {Record<string, any>[]} */
	const items = [];
	let baseTotal = 0;
	let vatTotal = 0;
	for (const [i, item] of (Array.isArray(body.ligneTva) ? body.ligneTva : []).entries()) {
		const line = vatLine(item, i);
		baseTotal += line.ligneTvaMontantBaseHtParTaux;
		vatTotal += line.ligneTvaMontantTvaParTaux;
		items.push(line);
	}
	return { items, baseTotal, vatTotal };
}

/** One `ligneTva` item (amounts 0 when absent). @param {any} item @param {number} i */
function vatLine(item, i) {
	if (!isObject(item)) throw invalid(`ligneTva[${i}]`, item);
	const key = (/** @type {string} */ name) => `ligneTva[${i}].${name}`;
	const base =
		optionalNumber(key('ligneTvaMontantBaseHtParTaux'), item.ligneTvaMontantBaseHtParTaux) ?? 0;
	const amount =
		optionalNumber(key('ligneTvaMontantTvaParTaux'), item.ligneTvaMontantTvaParTaux) ?? 0;
	return {
		ligneTvaMontantBaseHtParTaux: base,
		ligneTvaMontantTvaParTaux: amount,
		ligneTvaTaux: item.ligneTvaTaux ?? null,
		ligneTvaTauxManuel: optionalNumber(key('ligneTvaTauxManuel'), item.ligneTvaTauxManuel),
	};
}

/**
 * Block `montantTotal {montantHtTotal, montantTVA, montantTtcTotal (required), montantRemiseGlobaleTTC,
 * motifRemiseGlobaleTTC, montantAPayer}`; the amount due defaults to TTC minus the global discount.
 * @param {any} body
 */
function totalsBlock(body) {
	const block = isObject(body.montantTotal) ? body.montantTotal : {};
	const required = (/** @type {string} */ name) => {
		const value = optionalNumber(`montantTotal.${name}`, block[name]);
		if (value === null) throw missing(`montantTotal.${name}`);
		return value;
	};
	const amountHT = required('montantHtTotal');
	const amountVAT = required('montantTVA');
	const amountTTC = required('montantTtcTotal');
	const discount = optionalNumber(
		'montantTotal.montantRemiseGlobaleTTC',
		block.montantRemiseGlobaleTTC,
	);
	const amountDue =
		optionalNumber('montantTotal.montantAPayer', block.montantAPayer) ??
		round2(amountTTC - (discount ?? 0));
	return {
		montantHT: amountHT,
		montantTVA: amountVAT,
		montantTTC: amountTTC,
		montantAPayer: amountDue,
		montantRemiseGlobaleTTC: discount,
		motifRemiseGlobaleTTC: block.motifRemiseGlobaleTTC ?? null,
	};
}

/**
 * The amounts must agree (to the cent): HT + TVA = TTC, and when given, the lines' sum = HT, the VAT bases = HT,
 * the VAT amounts = TVA.
 * @param {{ montantHT: number, montantTVA: number, montantTTC: number }} totals
 * @param {{ items: any[], total: number }} lines
 * @param {{ items: any[], baseTotal: number, vatTotal: number }} vat
 */
function checkAmounts(totals, lines, vat) {
	const { montantHT: ht, montantTVA: tva, montantTTC: ttc } = totals; // short names: they are in every message
	/** @param {string} what */
	const incoherent = (what) =>
		new ReplyError(
			fail(400, CODES.INVALID_VALUE, `Les montants de la facture sont incohérents : ${what}`),
		);
	if (Math.abs(ht + tva - ttc) > 0.011)
		throw incoherent(`montantHtTotal (${ht}) + montantTVA (${tva}) ≠ montantTtcTotal (${ttc}).`);
	if (lines.items.length && Math.abs(round2(lines.total) - ht) > 0.011)
		throw incoherent(`la somme des lignes (${round2(lines.total)}) ≠ montantHtTotal (${ht}).`);
	if (vat.items.length && Math.abs(round2(vat.baseTotal) - ht) > 0.011)
		throw incoherent(
			`la somme des bases de TVA (${round2(vat.baseTotal)}) ≠ montantHtTotal (${ht}).`,
		);
	if (vat.items.length && Math.abs(round2(vat.vatTotal) - tva) > 0.011)
		throw incoherent(
			`la somme des montants de TVA (${round2(vat.vatTotal)}) ≠ montantTVA (${tva}).`,
		);
}
