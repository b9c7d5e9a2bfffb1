// @ts-check
/**
 * Factures services (`/cpro/factures/v1`, docs/chorus-pro-api.md §3.1) other than deposer/flux (flux.mjs), plus
 * `transverses/v1/ajouter/fichier` (an upload like deposer/pdf). `routes` below is the index: uploads are in
 * attachments.mjs, soumettre in submission.mjs, the searches in invoiceSearch.mjs, and the services on one
 * invoice (consultations, history, download, completer, recycler, traiter/recue) in this file.
 *
 * Error codes (see README.md): 20000 GDP_MSG_11.008 unknown invoice, 20001 GDP_MSG_11.005 invoice not
 * accessible to the account / supplier not the account's, 20002 wrong status for the action, 20003 file > 10 MB
 * (ajouter/fichier), soumettre: 20013 duplicate number, 20303 recipient, 20304 service, 20305 EJ
 * (also used by recycler); 20097 / 20099 (replies.mjs) invalid / missing field.
 */
import {
	ok,
	fail,
	missingField,
	invalidValue,
	ReplyError,
	SUCCESS_LABEL,
	INVOICE_SUCCESS_LABEL,
} from '../replies.mjs';
import { blank, isObject, toNumber, optionalNumber } from '../fields.mjs';
import { formatDate, formatDateMinutes } from '../dates.mjs';
import { PROCESSING_TRANSITIONS } from '../referenceData.mjs';
import {
	findInvoice,
	isSupplierOf,
	isRecipientOf,
	setStatus,
	checkRouting,
	recipientPart,
} from '../invoices.mjs';
import { invoiceDetail, statusHistory, downloadFile } from '../invoiceViews.mjs';
import { depositPdf, addFile, complementaryAttachments } from './attachments.mjs';
import { submitInvoice, routingRefusal } from './submission.mjs';
import { searchAsSupplier, searchAsRecipient } from './invoiceSearch.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../invoices.mjs').Invoice} Invoice */

const BASE = '/cpro/factures/v1';
const MB = 1024 * 1024;

const UNKNOWN_INVOICE = "GDP_MSG_11.008 La demande de paiement n'existe pas.";
const NOT_ALLOWED =
	"GDP_MSG_11.005 L'utilisateur n'a pas les droits nécessaires pour effectuer cette action sur la demande de paiement.";
const WRONG_STATUS =
	"GDP_MSG_11.001 Action impossible dans l'état courant de la demande de paiement.";

/** Statuses a recipient may set with traiter/recue (docs/chorus-pro-api.md §4.2). */
const PROCESSING_STATUSES = [
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'REJETEE',
	'SUSPENDUE',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'COMPTABILISEE',
	'MISE_EN_PAIEMENT',
];

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	[`POST ${BASE}/deposer/pdf`]: depositPdf,
	'POST /cpro/transverses/v1/ajouter/fichier': addFile,
	[`POST ${BASE}/soumettre`]: submitInvoice,
	[`POST ${BASE}/rechercher/fournisseur`]: searchAsSupplier,
	[`POST ${BASE}/rechercher/recipiendaire`]: searchAsRecipient,
	[`POST ${BASE}/consulter/fournisseur`]: consultAsSupplier,
	[`POST ${BASE}/consulter/recipiendaire`]: consultAsRecipient,
	[`POST ${BASE}/consulter/historique`]: consultHistory,
	[`POST ${BASE}/telecharger/groupe`]: download,
	[`POST ${BASE}/completer`]: complete,
	[`POST ${BASE}/recycler`]: recycle,
	[`POST ${BASE}/traiter/recue`]: processReceived,
};

/**
 * The invoice named by `body[key]` if the account may see it from that side: 20099 / 20097 for a missing or
 * non-integer id, 20000 for an unknown invoice, 20001 for another's.
 * @param {Ctx} ctx @param {string} key @param {'fournisseur'|'recipiendaire'|'any'} side
 * @param {any} [body] the request body or, for a list, one of its items
 * @returns {Invoice}
 */
function invoiceFor(ctx, key, side, body = ctx.body) {
	const id = body[key];
	if (blank(id)) throw new ReplyError(missingField(key));
	const n = toNumber(id);
	if (n === null || !Number.isInteger(n)) throw new ReplyError(invalidValue(key, id));
	const inv = findInvoice(ctx.state, n);
	if (!inv) throw new ReplyError(fail(400, 20000, UNKNOWN_INVOICE));
	const supplier = isSupplierOf(ctx.account, inv);
	const recipient = isRecipientOf(ctx.account, inv);
	const allowed =
		side === 'fournisseur'
			? supplier
			: side === 'recipiendaire'
				? recipient
				: supplier || recipient;
	if (!allowed) throw new ReplyError(fail(400, 20001, NOT_ALLOWED));
	return inv;
}

// ---------------------------------------------------------------------------------------------------------------
// Consultations

/** `consulter/fournisseur` (samples/factures-consulter-fournisseur.*.json). @param {Ctx} ctx @returns {Reply} */
function consultAsSupplier(ctx) {
	const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
	return { body: ok(SUCCESS_LABEL, { facture: invoiceDetail(inv) }) };
}

/**
 * `consulter/recipiendaire`: same request shape as consulter/fournisseur, `identifiantFactureCPP`
 * (antoine2116/go-choruspro factures_consultations.go, ConsulterFactureOptions; CPP-2017/ChorusPro
 * ChorusProAPI/API/Factures/_Facture.cs, ConsulterFacture, marked obligatoire), although the recipient's other
 * services (search results, historique, traiter/recue, telecharger/groupe) say `idFacture`. A missing key is
 * 20099 naming identifiantFactureCPP, as on consulter/fournisseur. README "Invoice id key per service" lists
 * every service.
 * @param {Ctx} ctx @returns {Reply}
 */
function consultAsRecipient(ctx) {
	const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'recipiendaire');
	return { body: ok(SUCCESS_LABEL, { facture: invoiceDetail(inv) }) };
}

/** `consulter/historique` (samples/factures-consulter-historique.*.json), either side. @param {Ctx} ctx @returns {Reply} */
function consultHistory(ctx) {
	const inv = invoiceFor(ctx, 'idFacture', 'any');
	const max = optionalNumber('nbResultatsMaximum', ctx.body.nbResultatsMaximum);
	return { body: ok(INVOICE_SUCCESS_LABEL, statusHistory(inv, max ?? undefined)) };
}

// ---------------------------------------------------------------------------------------------------------------
// telecharger/groupe

/**
 * `telecharger/groupe` (samples/factures-telecharger-groupe.*.json): `listeFacture[] {idFacture}`, `format`
 * PDF or PIVOT, `avecPiecesJointesComplementaires` OUI / NON (PDF only). A recipient's download marks the
 * invoices `factureTelechargeeParDestinataire`. Over 120 MB: 413.
 * @param {Ctx} ctx @returns {Reply}
 */
function download(ctx) {
	const b = ctx.body;
	if (!Array.isArray(b.listeFacture) || b.listeFacture.length === 0)
		return missingField('listeFacture');
	if (blank(b.format)) return missingField('format');
	if (b.format !== 'PDF' && b.format !== 'PIVOT')
		return invalidValue('format', b.format, 'Valeurs possibles : PDF, PIVOT.');
	const withAttachments = b.avecPiecesJointesComplementaires;
	if (
		!blank(withAttachments) &&
		typeof withAttachments !== 'boolean' &&
		!['OUI', 'NON'].includes(String(withAttachments).toUpperCase())
	) {
		return invalidValue(
			'avecPiecesJointesComplementaires',
			withAttachments,
			'Valeurs possibles : OUI, NON.',
		);
	}
	const attach =
		b.format === 'PDF' &&
		(withAttachments === true || String(withAttachments).toUpperCase() === 'OUI');
	/** @type {Invoice[]} */
	const list = [];
	for (const item of b.listeFacture) {
		const inv = invoiceFor(ctx, 'idFacture', 'any', isObject(item) ? item : {});
		if (!list.includes(inv)) list.push(inv);
	}
	const file = downloadFile(ctx.state, list, b.format, attach);
	if (file.length > 120 * MB) return { status: 413 };
	for (const inv of list)
		if (isRecipientOf(ctx.account, inv)) inv.factureTelechargeeParDestinataire = true;
	return { body: ok(SUCCESS_LABEL, { fichierResultat: file.toString('base64') }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Actions on one invoice

/**
 * `completer`: the supplier completes a SUSPENDUE invoice with a comment and attachments (§5.2 codes
 * 20000/20001/20002); it becomes COMPLETEE.
 * @param {Ctx} ctx @returns {Reply}
 */
function complete(ctx) {
	const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
	if (inv.statut !== 'SUSPENDUE')
		return fail(400, 20002, "GDP_MSG_11.033 La demande de paiement n'est pas au statut Suspendue.");
	const added = complementaryAttachments(ctx, ctx.body.pieceJointeComplementaire);
	inv.piecesJointesComplementaires.push(...added);
	const comment = blank(ctx.body.commentaire) ? null : String(ctx.body.commentaire).slice(0, 2000);
	const now = ctx.now();
	setStatus(ctx.state, inv, 'COMPLETEE', now, comment);
	return {
		body: ok(INVOICE_SUCCESS_LABEL, {
			identifiantFactureCPP: inv.idFacture,
			numeroFacture: inv.numeroFacture,
			dateTraitement: formatDateMinutes(now),
		}),
	};
}

/**
 * `recycler` (samples/factures-recycler.*.json): the supplier re-routes an A_RECYCLER invoice to a new
 * `destinataire` (and EJ, `references.numeroBonCommande` or `numeroBonCommande`, else the invoice's), checked as
 * soumettre checks it; the invoice is deposited again (DEPOSEE).
 * @param {Ctx} ctx @returns {Reply}
 */
function recycle(ctx) {
	const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
	if (inv.statut !== 'A_RECYCLER')
		return fail(
			400,
			20002,
			`${WRONG_STATUS} Seule une facture au statut A_RECYCLER peut être recyclée (statut actuel : ${inv.statut}).`,
		);
	const recipient = isObject(ctx.body.destinataire) ? ctx.body.destinataire : {};
	if (blank(recipient.codeDestinataire)) return missingField('destinataire.codeDestinataire');
	const ejGiven = ctx.body.references?.numeroBonCommande ?? ctx.body.numeroBonCommande;
	const ej = blank(ejGiven) ? inv.numeroBonCommande : String(ejGiven);
	const routing = checkRouting(ctx.state, {
		siret: recipient.codeDestinataire,
		serviceCode: recipient.codeServiceExecutant,
		ej,
	});
	if ('message' in routing) return routingRefusal(routing);
	const now = ctx.now();
	inv.destinataire = recipientPart(routing.recipient, routing.service);
	inv.numeroBonCommande = ej;
	inv.depositAt = now.getTime();
	inv.dateDepot = formatDate(now);
	const comment = blank(ctx.body.commentaire) ? null : String(ctx.body.commentaire);
	setStatus(ctx.state, inv, 'DEPOSEE', now, comment);
	return {
		body: ok(INVOICE_SUCCESS_LABEL, {
			dateDepot: formatDateMinutes(now),
			identifiantFactureCPP: inv.idFacture,
			numeroFacture: inv.numeroFacture,
			statutFacture: inv.statut,
		}),
	};
}

/**
 * `traiter/recue` (samples/factures-traiter-recue.*.json): the recipient sets a new status allowed after the
 * current one (recuperer/etats/traitement); REJETEE and SUSPENDUE need a `motif`.
 * @param {Ctx} ctx @returns {Reply}
 */
function processReceived(ctx) {
	const b = ctx.body;
	const inv = invoiceFor(ctx, 'idFacture', 'recipiendaire');
	if (blank(b.nouveauStatut)) return missingField('nouveauStatut');
	if (!PROCESSING_STATUSES.includes(b.nouveauStatut)) {
		return invalidValue(
			'nouveauStatut',
			b.nouveauStatut,
			`Valeurs possibles : ${PROCESSING_STATUSES.join(', ')}.`,
		);
	}
	if ((b.nouveauStatut === 'REJETEE' || b.nouveauStatut === 'SUSPENDUE') && blank(b.motif))
		return missingField('motif');
	const allowed = PROCESSING_TRANSITIONS[inv.statut] ?? [];
	if (!allowed.includes(b.nouveauStatut)) {
		return fail(
			400,
			20002,
			`${WRONG_STATUS} Le statut ${b.nouveauStatut} ne peut pas suivre le statut ${inv.statut}.`,
		);
	}
	const now = ctx.now();
	if (!blank(b.numeroDPMandat)) inv.numeroDPMandat = String(b.numeroDPMandat);
	setStatus(ctx.state, inv, b.nouveauStatut, now, blank(b.motif) ? null : String(b.motif));
	return {
		body: ok(INVOICE_SUCCESS_LABEL, {
			dateTraitement: formatDate(now),
			idFacture: inv.idFacture,
			nouveauStatut: inv.statut,
			numeroFacture: inv.numeroFacture,
		}),
	};
}
