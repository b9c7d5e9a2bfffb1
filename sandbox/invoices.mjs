// @ts-check
/**
 * Invoice store and lifecycle (docs/chorus-pro-api.md §4.2): creation, status changes with history, visibility
 * per side (supplier / recipient), and the recipient routing checks shared by deposer/flux, soumettre and
 * recycler. The API views of an invoice are in invoiceViews.mjs, the invoice admin hooks in invoiceAdmin.mjs.
 *
 * Invoices live in `state.invoices` (an array, reset with the state); an index by id and by supplier + number
 * is kept beside it in a WeakMap keyed by that array. Invoice records keep the API's key names: the admin hooks
 * show them as they are.
 */
import { createHash } from 'node:crypto';
import { formatDate, formatDateMinutes, formatIso } from './dates.mjs';
import { nextSeq, structureBySiret, serviceByCode } from './seed.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').Structure} Structure */
/** @typedef {import('./seed.mjs').Service} Service */
/** @typedef {import('./seed.mjs').TechnicalAccount} TechnicalAccount */

/**
 * @typedef {object} StatusHistoryEntry
 * @property {number} histoStatutId
 * @property {string} histoStatutCode
 * @property {number} at epoch ms
 * @property {string} histoStatutDatePassage `YYYY-MM-DD HH:mm` (Paris)
 * @property {string|null} histoStatutCommentaire
 */
/**
 * An attachment of an invoice (a stored upload of `state.piecesJointes`, by id).
 * @typedef {{ pieceJointeId: number, designation: string, type: string|null, nom: string, extension: string }} AttachmentRef
 */
/**
 * Internal invoice record (not an API shape; invoiceViews.mjs builds those).
 * @typedef {object} Invoice
 * @property {number} idFacture = identifiantFactureCPP
 * @property {string} numeroFacture
 * @property {'FACTURE'|'AVOIR'} typeFacture
 * @property {string} typeDemandePaiement
 * @property {string} modeDepot
 * @property {string|null} numeroFluxDepot
 * @property {string} cadreFacturation
 * @property {string|null} codeStructureValideur
 * @property {string|null} codeServiceValideur
 * @property {{ id: number, siret: string, typeIdentifiant: string, designation: string, idService: number|null, codeService: string|null, nomService: string|null, idCoordonneeBancaire: number|null }} fournisseur
 * @property {{ id: number, siret: string, designation: string, idService: number|null, codeService: string|null, nomService: string|null }} destinataire
 * @property {string} dateFacture `YYYY-MM-DD`
 * @property {string} dateDepot `YYYY-MM-DD`
 * @property {number} depositAt epoch ms
 * @property {string|null} dateEcheancePaiement
 * @property {string} devise
 * @property {string|null} typeTva
 * @property {string|null} modePaiement
 * @property {string|null} motifExonerationTva
 * @property {string|null} numeroBonCommande
 * @property {string|null} numeroMarche
 * @property {string|null} numeroFactureOrigine
 * @property {number} montantHT
 * @property {number} montantTVA
 * @property {number} montantTTC
 * @property {number} montantAPayer
 * @property {number|null} montantRemiseGlobaleTTC
 * @property {string|null} motifRemiseGlobaleTTC
 * @property {Record<string, any>[]} lignes lignePoste items (API key names)
 * @property {Record<string, any>[]} lignesTva ligneTva items (API key names)
 * @property {AttachmentRef[]} piecesJointesPrincipales
 * @property {AttachmentRef[]} piecesJointesComplementaires
 * @property {string|null} commentaire
 * @property {string} statut
 * @property {number} etatAt epoch ms of the current status
 * @property {string} dateHeureEtatCourant ISO with millis and Paris offset
 * @property {string|null} commentaireEtatCourant
 * @property {StatusHistoryEntry[]} histo oldest first
 * @property {boolean} factureTelechargeeParDestinataire
 * @property {boolean} rejetTraite
 * @property {string|null} numeroDPMandat
 * @property {{ nomFichier: string, kind: 'xml'|'pdf', data: Buffer }|null} source original deposited document
 * @property {number|null} idUtilisateurCreateur
 */

/** Every invoice status of docs/chorus-pro-api.md §4.2. */
export const INVOICE_STATUSES = [
	'BROUILLON',
	'A_VALIDER_1',
	'ERREUR_FOURNISSEUR_SUR_VALIDEUR',
	'REFUSEE_1',
	'VALIDEE_1',
	'ABSENCE_VALIDATION_1_HORS_DELAI',
	'A_VALIDER_2',
	'ERREUR_COTRAITANT_SUR_VALIDEUR',
	'REFUSEE_2',
	'VALIDEE_2',
	'ABSENCE_VALIDATION_2_HORS_DELAI',
	'DEPOSEE',
	'ERREUR_FOURNISSEUR_SUR_MOE',
	'EN_COURS_ACHEMINEMENT',
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'SUSPENDUE',
	'REJETEE',
	'MANDATEE',
	'MISE_EN_PAIEMENT',
	'COMPTABILISEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'ABANDONNEE',
	'SUPPRIMEE',
	'ASSOCIEE',
	'EN_COURS_TRAITEMENT_PIVOT_S',
	'A_VALIDER_MOE',
	'REFUSEE_MOE',
	'EN_ATTENTE_RECYCLAGE_FOURNISSEUR',
	'ERREUR_MOE_SUR_FOURNISSEUR',
	'ERREUR_MOA_SUR_FOURNISSEUR',
	'INTERPRETEE_OCR',
	'COMPLETEE',
	'ERREUR_FOURNISSEUR_SUR_MOA',
	'ERREUR_MOE_SUR_MOA',
	'ERREUR_DESTINATAIRE_PD',
	'ERREUR_DESTINATAIRE_EA',
	'SERVICE_FAIT',
	'NON_CONFORME',
	'A_ASSOCIER_MOE',
	'ERREUR_DE_MOE',
	'MISE_A_DISPOSITION_MOE',
	'PRISE_EN_COMPTE_MOE',
	'A_ASSOCIER_MOA',
	'ERREUR_DE_MOA',
	'REFUSEE_MOA',
	'A_ASSOCIER_FOURNISSEUR',
	'REFUSEE_FOURNISSEUR',
	'A_COMPLETER',
	'TRANSMISE_MOA',
	'PRISE_EN_COMPTE_DESTINATAIRE',
	'REMPLACEE_PAR_A22',
	'DUPLIQUE_APRES_REFUS',
	'MISE_A_DISPOSITION_MOA',
	'PRISE_EN_COMPTE_MOA',
	'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE',
	'TECHNIQUE_INCONNU',
];

/** Statuses in which the recipient sees an invoice (from MISE_A_DISPOSITION on). */
export const RECIPIENT_VISIBLE_STATUSES = new Set([
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'SUSPENDUE',
	'COMPLETEE',
	'REJETEE',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'COMPTABILISEE',
	'MISE_EN_PAIEMENT',
	'PRISE_EN_COMPTE_DESTINATAIRE',
]);

// ---------------------------------------------------------------------------------------------------------------
// Store

/** @type {WeakMap<any[], { byId: Map<number, Invoice>, byNumber: Map<string, Invoice> }>} */
const indexes = new WeakMap();

/** The index of `state.invoices`, built on first use (after a reset the array is a new one). @param {State} state */
function index(state) {
	let idx = indexes.get(state.invoices);
	if (!idx) {
		idx = { byId: new Map(), byNumber: new Map() };
		indexes.set(state.invoices, idx);
		for (const inv of state.invoices) addToIndex(idx, inv);
	}
	return idx;
}

/** @param {{ byId: Map<number, Invoice>, byNumber: Map<string, Invoice> }} idx @param {Invoice} inv */
function addToIndex(idx, inv) {
	idx.byId.set(inv.idFacture, inv);
	idx.byNumber.set(numberKey(inv.fournisseur.id, inv.numeroFacture), inv);
}

/**
 * Adds an invoice to the store and its index.
 * @param {State} state @param {Invoice} inv
 */
export function storeInvoice(state, inv) {
	state.invoices.push(inv);
	addToIndex(index(state), inv);
}

/** Invoice numbers are unique per supplier, whatever their case. @param {number} supplierId @param {string} number */
const numberKey = (supplierId, number) => `${supplierId}|${String(number).trim().toUpperCase()}`;

/** @param {State} state @param {any} id @returns {Invoice|undefined} */
export function findInvoice(state, id) {
	const n = typeof id === 'string' && /^\d+$/.test(id.trim()) ? Number(id) : id;
	return typeof n === 'number' ? index(state).byId.get(n) : undefined;
}

/** Is this invoice number already used by this supplier? @param {State} state @param {number} supplierId @param {string} number */
export function isDuplicate(state, supplierId, number) {
	return index(state).byNumber.has(numberKey(supplierId, number));
}

/** @param {TechnicalAccount} account @param {Invoice} inv */
export const isSupplierOf = (account, inv) => account.structureIds.includes(inv.fournisseur.id);
/** @param {TechnicalAccount} account @param {Invoice} inv */
export const isRecipientOf = (account, inv) =>
	account.structureIds.includes(inv.destinataire.id) && RECIPIENT_VISIBLE_STATUSES.has(inv.statut);

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle

/**
 * Data needed to create an invoice; missing optional fields default to null / sensible values.
 * @typedef {Partial<Omit<Invoice, 'fournisseur'|'destinataire'>> & {
 *   numeroFacture: string, fournisseur: Invoice['fournisseur'], destinataire: Invoice['destinataire'] }} NewInvoice
 */

/**
 * Creates an invoice `DEPOSEE` (or `statut`) at `now`, with its first history entry.
 * @param {State} state @param {NewInvoice} data @param {Date} now
 * @param {{ commentaire?: string|null }} [options]
 * @returns {Invoice}
 */
export function createInvoice(state, data, now, options = {}) {
	const at = data.depositAt ?? now.getTime();
	const when = new Date(at);
	/** @type {Invoice} */
	const inv = {
		idFacture: nextSeq(state, 'idFacture', 8420000),
		typeFacture: 'FACTURE',
		typeDemandePaiement: 'FACTURE',
		modeDepot: 'SAISIE_API',
		numeroFluxDepot: null,
		cadreFacturation: 'A1_FACTURE_FOURNISSEUR',
		codeStructureValideur: null,
		codeServiceValideur: null,
		dateFacture: formatDate(when),
		dateDepot: formatDate(when),
		dateEcheancePaiement: null,
		devise: 'EUR',
		typeTva: null,
		modePaiement: null,
		motifExonerationTva: null,
		numeroBonCommande: null,
		numeroMarche: null,
		numeroFactureOrigine: null,
		montantHT: 0,
		montantTVA: 0,
		montantTTC: 0,
		montantAPayer: 0,
		montantRemiseGlobaleTTC: null,
		motifRemiseGlobaleTTC: null,
		lignes: [],
		lignesTva: [],
		piecesJointesPrincipales: [],
		piecesJointesComplementaires: [],
		commentaire: null,
		factureTelechargeeParDestinataire: false,
		rejetTraite: false,
		numeroDPMandat: null,
		source: null,
		idUtilisateurCreateur: null,
		...data,
		depositAt: at,
		statut: 'DEPOSEE',
		etatAt: at,
		dateHeureEtatCourant: '',
		commentaireEtatCourant: null,
		histo: [],
	};
	recordStatus(state, inv, data.statut ?? 'DEPOSEE', when, options.commentaire ?? null);
	storeInvoice(state, inv);
	return inv;
}

/**
 * Sets the current status and adds it to the history.
 * @param {State} state @param {Invoice} inv @param {string} status @param {Date} when @param {string|null} comment
 * @param {string} [iso] preformatted dateHeureEtatCourant @param {string} [minutes] preformatted date passage
 */
export function recordStatus(state, inv, status, when, comment, iso, minutes) {
	inv.statut = status;
	inv.etatAt = when.getTime();
	inv.dateHeureEtatCourant = iso ?? formatIso(when);
	inv.commentaireEtatCourant = comment;
	inv.histo.push({
		histoStatutId: nextSeq(state, 'histoStatutId', 8548000),
		histoStatutCode: status,
		at: inv.etatAt,
		histoStatutDatePassage: minutes ?? formatDateMinutes(when),
		histoStatutCommentaire: comment,
	});
}

/**
 * Changes the status of an invoice (no transition check: callers check what they must), recording history.
 * @param {State} state @param {Invoice} inv @param {string} status @param {Date} now @param {string|null} [comment]
 */
export function setStatus(state, inv, status, now, comment = null) {
	recordStatus(state, inv, status, now, comment);
}

// ---------------------------------------------------------------------------------------------------------------
// Recipient routing checks (shared by deposer/flux, soumettre, recycler)

/** @typedef {{ ok: false, kind: 'recipient'|'service'|'ej', message: string }} RoutingRefusal */
/** @typedef {{ ok: true, recipient: Structure, service: Service|null } | RoutingRefusal} RoutingCheck */
/** Element paths of a flux document named in the messages (`balise`). @typedef {{ recipient?: string, service?: string, ej?: string }} ElementPaths */

/** ` (balise : path)` when the path is known. @param {string|undefined} path */
const element = (path) => (path ? ` (balise : ${path})` : '');

/** A trimmed non-empty string, or null. @param {any} value */
const given = (value) =>
	value == null || String(value).trim() === '' ? null : String(value).trim();

/**
 * Checks a recipient SIRET, service code and EJ number against the recipient's parameters
 * (docs/chorus-pro-api.md §3.3: codeServiceDoitEtreRenseigne, numeroEJDoitEtreRenseigne,
 * gestionNumeroEJOuCodeService, and the service's own numeroEngagementObligatoire).
 * @param {State} state
 * @param {{ siret: string|null|undefined, serviceCode: string|null|undefined, ej: string|null|undefined }} routing
 * @param {ElementPaths} [paths] element paths for the messages
 * @returns {RoutingCheck}
 */
export function checkRouting(state, routing, paths = {}) {
	const siret = routing.siret == null ? '' : String(routing.siret).trim();
	const recipient = checkRecipient(state, siret, paths);
	if ('message' in recipient) return recipient;
	const code = given(routing.serviceCode);
	/** @type {Service|null} */
	let service = null;
	if (code) {
		const found = checkService(recipient, siret, code, paths);
		if ('message' in found) return found;
		service = found;
	}
	const missing = missingRequirement(recipient, service, siret, code, given(routing.ej), paths);
	return missing ?? { ok: true, recipient, service };
}

/**
 * The recipient structure of a SIRET, or why it cannot receive invoices.
 * @param {State} state @param {string} siret @param {ElementPaths} paths
 * @returns {Structure | RoutingRefusal}
 */
function checkRecipient(state, siret, paths) {
	const recipient = siret ? structureBySiret(state, siret) : undefined;
	if (!siret)
		return refusal(
			'recipient',
			`L'identifiant destinataire de la demande de paiement${element(paths.recipient)} est obligatoire.`,
		);
	if (!recipient || recipient.typeStructure !== 'PUBLIQUE')
		return refusal(
			'recipient',
			`L'identifiant destinataire de la demande de paiement${element(paths.recipient)} n'est pas reference dans notre systeme. `,
		);
	if (recipient.statut !== 'ACTIVE')
		return refusal(
			'recipient',
			`Le destinataire ${siret} de la demande de paiement n'est pas actif.`,
		);
	return recipient;
}

/**
 * The active service of that code, or why not.
 * @param {Structure} recipient @param {string} siret @param {string} code @param {ElementPaths} paths
 * @returns {Service | RoutingRefusal}
 */
function checkService(recipient, siret, code, paths) {
	const service = serviceByCode(recipient, code);
	if (!service)
		return refusal(
			'service',
			`Le code service ${code}${element(paths.service)} n'existe pas pour le destinataire ${siret}.`,
		);
	if (!service.estActif)
		return refusal('service', `Le service ${code} du destinataire ${siret} n'est pas actif.`);
	return service;
}

/**
 * The first requirement of the recipient or its service that the request leaves unmet, or null.
 * @param {Structure} recipient @param {Service|null} service @param {string} siret @param {string|null} code
 * @param {string|null} ej @param {ElementPaths} paths
 * @returns {RoutingRefusal|null}
 */
function missingRequirement(recipient, service, siret, code, ej, paths) {
	const p = recipient.parametres;
	if (p.gestionNumeroEJOuCodeService && !code && !ej)
		return refusal(
			'service',
			`Le code service ou le numéro d'engagement juridique doit être renseigné pour le destinataire ${siret}.`,
		);
	if (p.codeServiceDoitEtreRenseigne && !code)
		return refusal(
			'service',
			`Le code service${element(paths.service)} est obligatoire pour le destinataire ${siret}.`,
		);
	if (p.numeroEJDoitEtreRenseigne && !ej)
		return refusal(
			'ej',
			`Le numéro d'engagement juridique${element(paths.ej)} est obligatoire pour le destinataire ${siret}.`,
		);
	if (service && service.numeroEngagementObligatoire && !ej)
		return refusal(
			'ej',
			`Le numéro d'engagement juridique${element(paths.ej)} est obligatoire pour le service ${code} du destinataire ${siret}.`,
		);
	return null;
}

/** @param {'recipient'|'service'|'ej'} kind @param {string} message @returns {RoutingRefusal} */
const refusal = (kind, message) => ({ ok: false, kind, message });

/**
 * The `destinataire` part of an invoice record.
 * @param {Structure} recipient @param {Service|null} service @returns {Invoice['destinataire']}
 */
export function recipientPart(recipient, service) {
	return {
		id: recipient.idStructureCPP,
		siret: recipient.identifiantStructure,
		designation: recipient.designationStructure,
		idService: service ? service.idService : null,
		codeService: service ? service.codeService : null,
		nomService: service ? service.libelleService : null,
	};
}

/**
 * The `fournisseur` part of an invoice record.
 * @param {Structure} supplier @param {Service|null|undefined} [service] @param {number|null} [bankAccountId]
 * @returns {Invoice['fournisseur']}
 */
export function supplierPart(supplier, service, bankAccountId = null) {
	return {
		id: supplier.idStructureCPP,
		siret: supplier.identifiantStructure,
		typeIdentifiant: supplier.typeIdentifiantStructure,
		designation: supplier.designationStructure,
		idService: service ? service.idService : null,
		codeService: service ? service.codeService : null,
		nomService: service ? service.libelleService : null,
		idCoordonneeBancaire: bankAccountId,
	};
}

/** Base64 SHA-256 "deposit certificate" digest of an invoice (`empreinteCertificatDepot`). @param {Invoice} inv */
export function depositCertificate(inv) {
	return createHash('sha256')
		.update(
			`${inv.idFacture}|${inv.numeroFacture}|${inv.fournisseur.siret}|${inv.destinataire.siret}|${inv.dateDepot}|${inv.montantTTC}`,
		)
		.digest('base64');
}
