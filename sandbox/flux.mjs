// @ts-check
/**
 * Flux deposit and integration (docs/chorus-pro-api.md §3.1 deposerFluxFacture, §3.2 consulterCRDetaille / consulterCR, §4.3, §5.3):
 *   - `POST /cpro/factures/v1/deposer/flux` stores the flux in `IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP` and
 *     reads its content right away (files.mjs);
 *   - each consulterCRDetaille / consulterCR poll moves it on: poll 1 shows the waiting state, the next ones
 *     `IN_EN_COURS_TRAITEMENT_CPP`, and poll number `config.fluxPollsToFinal` shows the final state
 *     (0 = final at deposit);
 *   - at the final state the invoices without error are created `DEPOSEE` with the flux number.
 * Admin hooks (fluxAdmin.mjs) force an outcome or finish a flux at once. Flux records keep the API's key names:
 * the admin hooks show them.
 */
import {
	ok,
	fail,
	missingField,
	invalidValue,
	CODES,
	SUCCESS_LABEL,
	INVOICE_SUCCESS_LABEL,
} from './replies.mjs';
import { nextSeq, structureBySiret } from './seed.mjs';
import { formatDate, formatIso } from './dates.mjs';
import { readFlux, decodeBase64, SYNTAXES } from './files.mjs';
import {
	checkRouting,
	createInvoice,
	recipientPart,
	supplierPart,
	isDuplicate,
} from './invoices.mjs';
import { makePdf } from './fixtures.mjs';

/** @typedef {import('./routing.mjs').Ctx} Ctx */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').Structure} Structure */
/** @typedef {import('./files.mjs').FluxDocument} FluxDocument */
/** @typedef {import('./fileErrors.mjs').TechnicalError} TechnicalError */
/** @typedef {import('./invoices.mjs').RoutingCheck} RoutingCheck */
/**
 * An item of `listeErreurDP`: an invoice (demande de paiement) of the flux refused at integration.
 * @typedef {{ numeroDP: string, identifiantFournisseur: string, identifiantDestinataire: string, libelleErreurDP: string }} PaymentRequestError
 */
/**
 * @typedef {object} Flux
 * @property {string} numeroFluxDepot
 * @property {string} syntaxeFlux
 * @property {string} nomFichier name sent by the client
 * @property {string} codeInterfaceDepotFlux e.g. FSO1117A
 * @property {boolean} avecSignature
 * @property {string} login depositing technical account
 * @property {number} idUtilisateur
 * @property {number[]} structureIds structures of the depositing account
 * @property {number} depositAt epoch ms
 * @property {string} dateDepotFlux ISO with millis and Paris offset
 * @property {string} etat
 * @property {string} dateHeureEtatCourantFlux
 * @property {number} polls
 * @property {boolean} final
 * @property {number} bytes
 * @property {FluxDocument[]} documents
 * @property {TechnicalError[]} technicalErrors found when reading the file
 * @property {ForcedOutcome|null} forced
 * @property {PaymentRequestError[]} listeErreurDP
 * @property {TechnicalError[]} listeErreurTechnique
 * @property {number[]} invoiceIds invoices created at integration
 */
/** @typedef {{ etat: string, listeErreurDP?: PaymentRequestError[], listeErreurTechnique?: TechnicalError[] }} ForcedOutcome */

export const STATE_DEPOSITED = 'IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP';
export const STATE_PROCESSING = 'IN_EN_COURS_TRAITEMENT_CPP';
/** Flux states of docs/chorus-pro-api.md §4.3 (any may be forced by the admin hook). */
export const FLUX_STATES = [
	'IN_RECU',
	'IN_TRAITE_SE_CPP',
	'IN_EN_ATTENTE_TRAITEMENT_CPP',
	'IN_EN_COURS_TRAITEMENT_CPP',
	STATE_DEPOSITED,
	'IN_EN_ATTENTE_RETRAITEMENT_CPP',
	'IN_A_RELANCER',
	'IN_INCIDENTE',
	'IN_REJETE',
	'IN_ERREUR_INTERNE',
	'IN_INTEGRE',
	'IN_INTEGRE_PARTIEL',
	'QP_RECEVABLE',
	'QP_RECEVABLE_AVEC_ERREUR',
	'QP_IRRECEVABLE',
];
/** Forced final states that still create the invoices. */
const INTEGRATED_STATES = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL'];
/** Forced failures that get a default technical error when the admin hook names no error. */
const FAILED_STATES = ['IN_REJETE', 'IN_INCIDENTE', 'IN_ERREUR_INTERNE', 'QP_IRRECEVABLE'];
const FORCED_REJECTION = 'Demande de paiement rejetée (résultat imposé par le bac à sable).';

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	'POST /cpro/factures/v1/deposer/flux': depositFlux,
	// Sample shapes: samples/transverses-consulter-cr-detaille.response.*.json
	'POST /cpro/transverses/v1/consulterCRDetaille': detailedReport,
	// Other key names than the détaillé variant (docs/chorus-pro-api.md §3.2), report as a PDF.
	'POST /cpro/transverses/v1/consulterCR': report,
};

/** @param {State} state @param {any} number numeroFluxDepot @returns {Flux|undefined} */
export function findFlux(state, number) {
	return state.flux.find((f) => f.numeroFluxDepot === number);
}

/** @param {Flux} flux @param {string} fluxState @param {Date} now */
function setFluxState(flux, fluxState, now) {
	flux.etat = fluxState;
	flux.dateHeureEtatCourantFlux = formatIso(now);
}

// ---------------------------------------------------------------------------------------------------------------
// deposer/flux

/**
 * `POST factures/v1/deposer/flux`: `fichierFlux` (strict base64), `nomFichier` (≤ 200), `syntaxeFlux` (§4.1),
 * `avecSignature`; the file is read at once, the flux numbered `CPP001` + interface code + sequence.
 * @param {Ctx} ctx @returns {Reply}
 */
function depositFlux(ctx) {
	const { body, state } = ctx;
	const request = readDepositRequest(body);
	if ('reply' in request) return request.reply;
	const now = ctx.now();
	const flux = newFlux(ctx, request.data, request.interfaceCode, now);
	state.flux.push(flux);
	if (!(state.config.fluxPollsToFinal > 0)) finalizeFlux(state, flux, now);
	return {
		body: ok(INVOICE_SUCCESS_LABEL, {
			numeroFluxDepot: flux.numeroFluxDepot,
			dateDepot: formatDate(now),
			syntaxeFlux: body.syntaxeFlux,
		}),
	};
}

/**
 * The checks of a deposer/flux body, in order: the file, its name, its syntax, the signature flag.
 * @param {any} body @returns {{ reply: Reply } | { data: Buffer, interfaceCode: string }}
 */
function readDepositRequest(body) {
	if (body.fichierFlux == null || body.fichierFlux === '')
		return { reply: missingField('fichierFlux') };
	const data = decodeBase64(body.fichierFlux);
	if (!data)
		return {
			reply: fail(
				400,
				CODES.INVALID_VALUE,
				"Le paramètre fichierFlux n'est pas un contenu encodé en base 64 valide.",
			),
		};
	if (data.length === 0)
		return { reply: fail(400, CODES.INVALID_VALUE, 'Le paramètre fichierFlux est vide.') };
	if (body.nomFichier == null || body.nomFichier === '')
		return { reply: missingField('nomFichier') };
	if (typeof body.nomFichier !== 'string' || body.nomFichier.length > 200)
		return {
			reply: invalidValue(
				'nomFichier',
				body.nomFichier,
				'Le nom du fichier est limité à 200 caractères.',
			),
		};
	if (body.syntaxeFlux == null || body.syntaxeFlux === '')
		return { reply: missingField('syntaxeFlux') };
	const syntax = SYNTAXES[body.syntaxeFlux];
	if (!syntax)
		return {
			reply: invalidValue(
				'syntaxeFlux',
				body.syntaxeFlux,
				`Valeurs possibles : ${Object.keys(SYNTAXES).join(', ')}.`,
			),
		};
	if (body.avecSignature != null && typeof body.avecSignature !== 'boolean')
		return { reply: invalidValue('avecSignature', body.avecSignature) };
	return { data, interfaceCode: syntax.interface };
}

/**
 * A new flux of the calling account, its file read (documents or technical errors).
 * @param {Ctx} ctx @param {Buffer} data @param {string} interfaceCode @param {Date} now @returns {Flux}
 */
function newFlux(ctx, data, interfaceCode, now) {
	const { body } = ctx;
	const sequence = String(nextSeq(ctx.state, 'numeroFluxDepot', 0)).padStart(15, '0');
	const { documents, errors } = readFlux(data, body.syntaxeFlux, body.nomFichier);
	const iso = formatIso(now);
	return {
		numeroFluxDepot: `CPP001${interfaceCode}${sequence}`,
		syntaxeFlux: body.syntaxeFlux,
		nomFichier: body.nomFichier,
		codeInterfaceDepotFlux: `FSO${interfaceCode}A`,
		avecSignature: body.avecSignature === true,
		login: ctx.account.login,
		idUtilisateur: ctx.account.idUtilisateur,
		structureIds: [...ctx.account.structureIds],
		depositAt: now.getTime(),
		dateDepotFlux: iso,
		etat: STATE_DEPOSITED,
		dateHeureEtatCourantFlux: iso,
		polls: 0,
		final: false,
		bytes: data.length,
		documents,
		technicalErrors: errors,
		forced: null,
		listeErreurDP: [],
		listeErreurTechnique: [],
		invoiceIds: [],
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Integration

/**
 * Moves a flux to its final state now: decides the outcome (or applies the forced one) and creates the invoices.
 * @param {State} state @param {Flux} flux @param {Date} now
 */
export function finalizeFlux(state, flux, now) {
	if (flux.final) return;
	flux.final = true;
	const forced = flux.forced;
	if (forced && !INTEGRATED_STATES.includes(forced.etat)) {
		applyForcedFailure(flux, forced, now);
		return;
	}
	if (!forced && flux.technicalErrors.length) {
		flux.listeErreurTechnique = flux.technicalErrors;
		setFluxState(flux, 'IN_REJETE', now);
		return;
	}
	const outcome = integrationOutcome(state, flux);
	if (forced) applyForcedIntegration(outcome, forced);
	for (const checked of outcome.accepted) integrateDocument(state, flux, checked, now);
	flux.listeErreurDP = outcome.errors;
	flux.listeErreurTechnique = forced?.listeErreurTechnique ?? [];
	setFluxState(flux, outcome.finalState, now);
}

/**
 * A forced final state that creates nothing: its errors, or a default technical error for a failure without any.
 * @param {Flux} flux @param {ForcedOutcome} forced @param {Date} now
 */
function applyForcedFailure(flux, forced, now) {
	flux.listeErreurDP = forced.listeErreurDP ?? [];
	flux.listeErreurTechnique =
		forced.listeErreurTechnique ??
		(FAILED_STATES.includes(forced.etat) && flux.listeErreurDP.length === 0
			? [
					{
						codeErreur: 'ERR_SBX_002',
						libelleErreur: `Flux ${forced.etat} (résultat imposé par le bac à sable).`,
						natureErreur: 'TECHNIQUE',
					},
				]
			: []);
	setFluxState(flux, forced.etat, now);
}

/**
 * @typedef {{ doc: FluxDocument, errors: string[], supplier: Structure|undefined, routing: RoutingCheck }} CheckedDocument
 * @typedef {{ finalState: string, accepted: CheckedDocument[], errors: PaymentRequestError[] }} Outcome
 */

/**
 * The business checks of every document: IN_INTEGRE when all pass, IN_REJETE when none does, else
 * IN_INTEGRE_PARTIEL; the refused ones go to listeErreurDP.
 * @param {State} state @param {Flux} flux @returns {Outcome}
 */
function integrationOutcome(state, flux) {
	/** @type {Set<string>} */
	const seen = new Set();
	const checked = flux.documents.map((doc) => ({ doc, ...checkDocument(state, flux, doc, seen) }));
	const accepted = checked.filter((c) => c.errors.length === 0);
	const errors = checked
		.filter((c) => c.errors.length > 0)
		.map((c) => paymentRequestError(c.doc, c.errors.join('|')));
	const finalState =
		errors.length === 0 ? 'IN_INTEGRE' : accepted.length === 0 ? 'IN_REJETE' : 'IN_INTEGRE_PARTIEL';
	return { finalState, accepted, errors };
}

/**
 * A forced integrating state: the forced errors replace the found ones (and their invoices are not created);
 * IN_INTEGRE clears the errors; a partial integration without errors rejects the last good invoice.
 * @param {Outcome} outcome @param {ForcedOutcome} forced
 */
function applyForcedIntegration(outcome, forced) {
	outcome.finalState = forced.etat;
	if (forced.listeErreurDP) {
		const named = new Set(forced.listeErreurDP.map((e) => String(e.numeroDP)));
		outcome.errors = forced.listeErreurDP;
		outcome.accepted = outcome.accepted.filter((c) => !named.has(c.doc.invoice.number));
	} else if (forced.etat === 'IN_INTEGRE') {
		outcome.errors = [];
	} else if (outcome.errors.length === 0 && outcome.accepted.length) {
		const last = /** @type {CheckedDocument} */ (outcome.accepted.pop());
		outcome.errors = [paymentRequestError(last.doc, FORCED_REJECTION)];
	}
}

/**
 * Business checks of one invoice of a flux (§5.3 messages): its supplier, its recipient, its number (unique per
 * supplier, in the flux too), its amounts. The messages are joined with `|` in listeErreurDP.
 * @param {State} state @param {Flux} flux @param {FluxDocument} doc @param {Set<string>} seen numbers already in this flux
 */
function checkDocument(state, flux, doc, seen) {
	const inv = doc.invoice;
	const { supplier, error } = checkSupplier(state, flux, inv);
	/** @type {string[]} */
	const errors = error ? [error] : [];
	const routing = checkRouting(
		state,
		{ siret: inv.recipient.siret, serviceCode: inv.serviceCode, ej: inv.ej },
		inv.elementPaths,
	);
	if ('message' in routing) errors.push(routing.message);
	const key = inv.number.trim().toUpperCase();
	if ((supplier && isDuplicate(state, supplier.idStructureCPP, inv.number)) || seen.has(key)) {
		errors.push(
			`La demande de paiement ${inv.number} existe déjà pour ce fournisseur (doublon de numéro de facture).`,
		);
	}
	seen.add(key);
	if (Math.abs(inv.amountHT + inv.amountVAT - inv.amountTTC) > 0.011) {
		errors.push(
			`Le montant TTC (${inv.amountTTC}) est différent de la somme du montant HT (${inv.amountHT}) et du montant de TVA (${inv.amountVAT}).`,
		);
	}
	return { errors, supplier, routing };
}

/**
 * The supplier of a document: a known structure of the depositing account.
 * @param {State} state @param {Flux} flux @param {FluxDocument['invoice']} inv
 * @returns {{ supplier: Structure|undefined, error: string|null }}
 */
function checkSupplier(state, flux, inv) {
	const siret = inv.supplier.siret;
	const supplier = siret ? structureBySiret(state, siret) : undefined;
	const path = inv.elementPaths.supplier;
	if (!siret)
		return {
			supplier,
			error: `L'identifiant fournisseur de la demande de paiement (balise : ${path}) est obligatoire.`,
		};
	if (!supplier)
		return {
			supplier,
			error: `L'identifiant fournisseur de la demande de paiement (balise : ${path}) n'est pas reference dans notre systeme. `,
		};
	if (!flux.structureIds.includes(supplier.idStructureCPP))
		return {
			supplier,
			error: `Le fournisseur ${siret} de la demande de paiement n'est pas rattaché au compte utilisateur qui a déposé le flux.`,
		};
	return { supplier, error: null };
}

/** @param {FluxDocument} doc @param {string} label @returns {PaymentRequestError} */
const paymentRequestError = (doc, label) => ({
	numeroDP: doc.invoice.number,
	identifiantFournisseur: doc.invoice.supplier.siret ?? '',
	identifiantDestinataire: doc.invoice.recipient.siret ?? '',
	libelleErreurDP: label,
});

/**
 * Creates the invoice of an accepted document, `DEPOSEE` with the flux number (UPLOAD_API).
 * @param {State} state @param {Flux} flux @param {CheckedDocument} checked @param {Date} now
 */
function integrateDocument(state, flux, { doc, supplier, routing }, now) {
	if (!routing.ok || !supplier) return;
	const p = doc.invoice;
	const inv = createInvoice(
		state,
		{
			numeroFacture: p.number,
			typeFacture: p.type,
			modeDepot: 'UPLOAD_API',
			numeroFluxDepot: flux.numeroFluxDepot,
			fournisseur: supplierPart(supplier, null),
			destinataire: recipientPart(routing.recipient, routing.service),
			dateFacture: p.date,
			dateEcheancePaiement: p.dueDate,
			devise: p.currency,
			numeroBonCommande: p.ej,
			numeroMarche: p.contractNumber,
			numeroFactureOrigine: p.precedingInvoice,
			montantHT: p.amountHT,
			montantTVA: p.amountVAT,
			montantTTC: p.amountTTC,
			montantAPayer: p.amountDue,
			lignes: p.lines.map((l) => ({
				lignePosteNumero: l.number,
				lignePosteReference: l.reference,
				lignePosteDenomination: l.description,
				lignePosteQuantite: l.quantity,
				lignePosteUnite: l.unit,
				lignePosteMontantUnitaireHT: l.unitPrice,
				lignePosteMontantRemiseHT: null,
				lignePosteTauxTva: null,
				lignePosteTauxTvaManuel: l.vatRate,
			})),
			lignesTva: p.taxes.map((t) => ({
				ligneTvaMontantBaseHtParTaux: t.base,
				ligneTvaMontantTvaParTaux: t.amount,
				ligneTvaTaux: null,
				ligneTvaTauxManuel: t.rate,
			})),
			source: { nomFichier: doc.fileName, kind: doc.kind, data: doc.data },
			idUtilisateurCreateur: flux.idUtilisateur,
		},
		now,
	);
	flux.invoiceIds.push(inv.idFacture);
}

// ---------------------------------------------------------------------------------------------------------------
// Reports (consulterCRDetaille, consulterCR)

/**
 * One CR poll: advances the flux (see the module comment).
 * @param {State} state @param {Flux} flux @param {Date} now
 */
function poll(state, flux, now) {
	if (flux.final) return;
	flux.polls += 1;
	if (flux.polls >= state.config.fluxPollsToFinal) finalizeFlux(state, flux, now);
	else if (flux.polls >= 2 && flux.etat !== STATE_PROCESSING)
		setFluxState(flux, STATE_PROCESSING, now);
}

/**
 * The flux of a CR request, if it belongs to the calling account.
 * @param {Ctx} ctx @returns {Flux|Reply}
 */
function fluxOfRequest(ctx) {
	const number = ctx.body.numeroFluxDepot;
	if (number == null || number === '') return missingField('numeroFluxDepot');
	const flux = findFlux(ctx.state, String(number));
	// Another account's flux is "not found" too, as for any object the user cannot see.
	if (!flux || flux.login !== ctx.account.login)
		return fail(400, 20001, 'POQ_MSG_01.003 - Flux introuvable.');
	return flux;
}

/** `consulterCRDetaille`: the state and the errors of a flux. @param {Ctx} ctx @returns {Reply} */
function detailedReport(ctx) {
	const flux = fluxOfRequest(ctx);
	if (!('numeroFluxDepot' in flux)) return flux;
	poll(ctx.state, flux, ctx.now());
	return {
		body: ok(SUCCESS_LABEL, {
			codeInterfaceDepotFlux: flux.codeInterfaceDepotFlux,
			dateDepotFlux: flux.dateDepotFlux,
			dateHeureEtatCourantFlux: flux.dateHeureEtatCourantFlux,
			etatCourantDepotFlux: flux.etat,
			listeErreurDP: flux.listeErreurDP,
			...(flux.listeErreurTechnique.length
				? { listeErreurTechnique: flux.listeErreurTechnique }
				: {}),
			nomFichier: `${flux.codeInterfaceDepotFlux}_CPP001_${flux.numeroFluxDepot}`,
		}),
	};
}

/** `consulterCR`: the state of a flux and its report as a PDF (`fichierCR`). @param {Ctx} ctx @returns {Reply} */
function report(ctx) {
	const flux = fluxOfRequest(ctx);
	if (!('numeroFluxDepot' in flux)) return flux;
	poll(ctx.state, flux, ctx.now());
	return {
		body: ok(SUCCESS_LABEL, {
			numeroFluxDepot: flux.numeroFluxDepot,
			nomFichierFlux: flux.nomFichier,
			dateDepotFlux: flux.dateDepotFlux,
			dateHeureEtatCourantFlux: flux.dateHeureEtatCourantFlux,
			etatCourantFlux: flux.etat,
			codeInterfaceFlux: flux.codeInterfaceDepotFlux,
			codeAppliPartenaire: 'API',
			designationPartenaire: 'Chorus Pro API (PISTE)',
			fichierCR: reportPdf(flux).toString('base64'),
		}),
	};
}

/** The integration report as a small PDF (consulterCR `fichierCR`). @param {Flux} flux */
function reportPdf(flux) {
	return makePdf(
		[
			'Compte rendu de traitement du flux',
			`Numero de flux : ${flux.numeroFluxDepot}`,
			`Fichier : ${flux.nomFichier}`,
			`Syntaxe : ${flux.syntaxeFlux} - Interface : ${flux.codeInterfaceDepotFlux}`,
			`Date de depot : ${flux.dateDepotFlux}`,
			`Etat : ${flux.etat} (${flux.dateHeureEtatCourantFlux})`,
			`Factures integrees : ${flux.invoiceIds.length}`,
			...flux.listeErreurDP.map((e) => `Erreur DP ${e.numeroDP} : ${e.libelleErreurDP}`),
			...flux.listeErreurTechnique.map(
				(e) => `Erreur technique ${e.codeErreur} : ${e.libelleErreur}`,
			),
		].join('\n'),
	);
}
