// @ts-check
/**
 * Flux deposit and integration (docs/chorus-pro-api.md §3.1 deposerFluxFacture, §3.2 consulterCRDetaille / consulterCR, §4.3, §5.3):
 *   - `POST /cpro/factures/v1/deposer/flux` stores the flux in `IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP` and
 *     reads its content right away (files.mjs);
 *   - each consulterCRDetaille / consulterCR poll moves it on: poll 1 shows the waiting state, the next ones
 *     `IN_EN_COURS_TRAITEMENT_CPP`, and poll number `config.fluxPollsToFinal` shows the final state
 *     (0 = final at deposit);
 *   - at the final state the invoices without error are created `DEPOSEE` with the flux number.
 * Admin hooks force an outcome or finish a flux at once.
 */
import {
	ok,
	fail,
	missingField,
	invalidValue,
	CODES,
	LIBELLE_OK,
	LIBELLE_OK_FACTURES,
} from './server.mjs';
import { formatDate, formatIso, nextSeq, structureBySiret } from './seed.mjs';
import { readFlux, decodeBase64, SYNTAXES } from './files.mjs';
import {
	checkRouting,
	createInvoice,
	destinataireOf,
	fournisseurOf,
	isDuplicate,
} from './invoices.mjs';
import { makePdf } from './fixtures.mjs';

/** @typedef {import('./server.mjs').Ctx} Ctx */
/** @typedef {import('./server.mjs').Reply} Reply */
/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./files.mjs').FluxDocument} FluxDocument */
/** @typedef {import('./files.mjs').TechnicalError} TechnicalError */
/** @typedef {{ numeroDP: string, identifiantFournisseur: string, identifiantDestinataire: string, libelleErreurDP: string }} ErreurDP */
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
 * @property {{ etat: string, listeErreurDP?: ErreurDP[], listeErreurTechnique?: TechnicalError[] }|null} forced
 * @property {ErreurDP[]} listeErreurDP
 * @property {TechnicalError[]} listeErreurTechnique
 * @property {number[]} invoiceIds invoices created at integration
 */

export const ETAT_DEPOT = 'IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP';
export const ETAT_EN_COURS = 'IN_EN_COURS_TRAITEMENT_CPP';
/** Flux states of docs/chorus-pro-api.md §4.3 (any may be forced by the admin hook). */
export const ETATS_FLUX = [
	'IN_RECU',
	'IN_TRAITE_SE_CPP',
	'IN_EN_ATTENTE_TRAITEMENT_CPP',
	'IN_EN_COURS_TRAITEMENT_CPP',
	ETAT_DEPOT,
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

/** @param {State} state @param {any} numero @returns {Flux|undefined} */
export function findFlux(state, numero) {
	return state.flux.find((f) => f.numeroFluxDepot === numero);
}

/** @param {Flux} flux @param {string} etat @param {Date} now */
function setEtat(flux, etat, now) {
	flux.etat = etat;
	flux.dateHeureEtatCourantFlux = formatIso(now);
}

/**
 * Business checks of one invoice of a flux (§5.3 messages); returns the error messages (empty = OK).
 * @param {State} state @param {Flux} flux @param {FluxDocument} doc @param {Set<string>} seen numbers already in this flux
 */
function checkDocument(state, flux, doc, seen) {
	const inv = doc.invoice;
	/** @type {string[]} */
	const errors = [];
	const supplier = inv.fournisseur.siret
		? structureBySiret(state, inv.fournisseur.siret)
		: undefined;
	if (!inv.fournisseur.siret) {
		errors.push(
			`L'identifiant fournisseur de la demande de paiement (balise : ${inv.balises.fournisseur}) est obligatoire.`,
		);
	} else if (!supplier) {
		errors.push(
			`L'identifiant fournisseur de la demande de paiement (balise : ${inv.balises.fournisseur}) n'est pas reference dans notre systeme. `,
		);
	} else if (!flux.structureIds.includes(supplier.idStructureCPP)) {
		errors.push(
			`Le fournisseur ${inv.fournisseur.siret} de la demande de paiement n'est pas rattaché au compte utilisateur qui a déposé le flux.`,
		);
	}
	const routing = checkRouting(
		state,
		{ siret: inv.destinataire.siret, codeService: inv.codeService, numeroEJ: inv.numeroEJ },
		inv.balises,
	);
	if ('message' in routing) errors.push(routing.message);
	const key = inv.numero.trim().toUpperCase();
	if ((supplier && isDuplicate(state, supplier.idStructureCPP, inv.numero)) || seen.has(key)) {
		errors.push(
			`La demande de paiement ${inv.numero} existe déjà pour ce fournisseur (doublon de numéro de facture).`,
		);
	}
	seen.add(key);
	if (Math.abs(inv.montantHT + inv.montantTVA - inv.montantTTC) > 0.011) {
		errors.push(
			`Le montant TTC (${inv.montantTTC}) est différent de la somme du montant HT (${inv.montantHT}) et du montant de TVA (${inv.montantTVA}).`,
		);
	}
	return { errors, supplier, routing };
}

/** @param {FluxDocument} doc @param {string} libelle @returns {ErreurDP} */
const erreurDP = (doc, libelle) => ({
	numeroDP: doc.invoice.numero,
	identifiantFournisseur: doc.invoice.fournisseur.siret ?? '',
	identifiantDestinataire: doc.invoice.destinataire.siret ?? '',
	libelleErreurDP: libelle,
});

/**
 * Moves a flux to its final state now: decides the outcome (or applies the forced one) and creates the invoices.
 * @param {State} state @param {Flux} flux @param {Date} now
 */
export function finalizeFlux(state, flux, now) {
	if (flux.final) return;
	flux.final = true;
	const forced = flux.forced;
	const integrates = (/** @type {string} */ e) => e === 'IN_INTEGRE' || e === 'IN_INTEGRE_PARTIEL';
	if (forced && !integrates(forced.etat)) {
		flux.listeErreurDP = forced.listeErreurDP ?? [];
		flux.listeErreurTechnique =
			forced.listeErreurTechnique ??
			(['IN_REJETE', 'IN_INCIDENTE', 'IN_ERREUR_INTERNE', 'QP_IRRECEVABLE'].includes(forced.etat) &&
			flux.listeErreurDP.length === 0
				? [
						{
							codeErreur: 'ERR_SBX_002',
							libelleErreur: `Flux ${forced.etat} (résultat imposé par le bac à sable).`,
							natureErreur: 'TECHNIQUE',
						},
					]
				: []);
		setEtat(flux, forced.etat, now);
		return;
	}
	if (!forced && flux.technicalErrors.length) {
		flux.listeErreurTechnique = flux.technicalErrors;
		setEtat(flux, 'IN_REJETE', now);
		return;
	}
	/** @type {Set<string>} */
	const seen = new Set();
	const checked = flux.documents.map((doc) => ({ doc, ...checkDocument(state, flux, doc, seen) }));
	let good = checked.filter((c) => c.errors.length === 0);
	/** @type {ErreurDP[]} */
	let errors = checked
		.filter((c) => c.errors.length > 0)
		.map((c) => erreurDP(c.doc, c.errors.join('|')));
	let etat =
		errors.length === 0 ? 'IN_INTEGRE' : good.length === 0 ? 'IN_REJETE' : 'IN_INTEGRE_PARTIEL';
	if (forced) {
		etat = forced.etat;
		if (forced.listeErreurDP) {
			const named = new Set(forced.listeErreurDP.map((e) => String(e.numeroDP)));
			errors = forced.listeErreurDP;
			good = good.filter((c) => !named.has(c.doc.invoice.numero));
		} else if (etat === 'IN_INTEGRE') {
			errors = [];
		} else if (errors.length === 0 && good.length) {
			const last = /** @type {typeof good[number]} */ (good.pop());
			errors = [
				erreurDP(last.doc, 'Demande de paiement rejetée (résultat imposé par le bac à sable).'),
			];
		}
	}
	for (const c of good) {
		if (!c.routing.ok || !c.supplier) continue;
		const p = c.doc.invoice;
		const inv = createInvoice(
			state,
			{
				numeroFacture: p.numero,
				typeFacture: p.typeFacture,
				modeDepot: 'UPLOAD_API',
				numeroFluxDepot: flux.numeroFluxDepot,
				fournisseur: fournisseurOf(c.supplier, null),
				destinataire: destinataireOf(c.routing.destinataire, c.routing.service),
				dateFacture: p.dateFacture,
				dateEcheancePaiement: p.dateEcheance,
				devise: p.devise,
				numeroBonCommande: p.numeroEJ,
				numeroMarche: p.numeroMarche,
				numeroFactureOrigine: p.numeroFactureOrigine,
				montantHT: p.montantHT,
				montantTVA: p.montantTVA,
				montantTTC: p.montantTTC,
				montantAPayer: p.montantAPayer,
				lignes: p.lignes.map((l) => ({
					lignePosteNumero: l.numero,
					lignePosteReference: l.reference,
					lignePosteDenomination: l.denomination,
					lignePosteQuantite: l.quantite,
					lignePosteUnite: l.unite,
					lignePosteMontantUnitaireHT: l.prixUnitaire,
					lignePosteMontantRemiseHT: null,
					lignePosteTauxTva: null,
					lignePosteTauxTvaManuel: l.tauxTva,
				})),
				lignesTva: p.lignesTva.map((t) => ({
					ligneTvaMontantBaseHtParTaux: t.base,
					ligneTvaMontantTvaParTaux: t.montant,
					ligneTvaTaux: null,
					ligneTvaTauxManuel: t.taux,
				})),
				source: { nomFichier: c.doc.fileName, kind: c.doc.kind, data: c.doc.data },
				idUtilisateurCreateur: flux.idUtilisateur,
			},
			now,
		);
		flux.invoiceIds.push(inv.idFacture);
	}
	flux.listeErreurDP = errors;
	flux.listeErreurTechnique = forced?.listeErreurTechnique ?? [];
	setEtat(flux, etat, now);
}

/**
 * One CR poll: advances the flux (see the module comment).
 * @param {State} state @param {Flux} flux @param {Date} now
 */
function poll(state, flux, now) {
	if (flux.final) return;
	flux.polls += 1;
	if (flux.polls >= state.config.fluxPollsToFinal) finalizeFlux(state, flux, now);
	else if (flux.polls >= 2 && flux.etat !== ETAT_EN_COURS) setEtat(flux, ETAT_EN_COURS, now);
}

/**
 * The flux of a CR request, if it belongs to the calling account.
 * @param {Ctx} ctx @returns {Flux|Reply}
 */
function fluxOfRequest(ctx) {
	const numero = ctx.body.numeroFluxDepot;
	if (numero == null || numero === '') return missingField('numeroFluxDepot');
	const flux = findFlux(ctx.state, String(numero));
	// Another account's flux is "not found" too, as for any object the user cannot see.
	if (!flux || flux.login !== ctx.account.login)
		return fail(400, 20001, 'POQ_MSG_01.003 - Flux introuvable.');
	return flux;
}

/** The integration report as a small PDF (consulterCR `fichierCR`). @param {Flux} flux */
function crPdf(flux) {
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

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	'POST /cpro/factures/v1/deposer/flux': (ctx) => {
		const { body, state } = ctx;
		if (body.fichierFlux == null || body.fichierFlux === '') return missingField('fichierFlux');
		const data = decodeBase64(body.fichierFlux);
		if (!data)
			return fail(
				400,
				CODES.INVALID_VALUE,
				"Le paramètre fichierFlux n'est pas un contenu encodé en base 64 valide.",
			);
		if (data.length === 0)
			return fail(400, CODES.INVALID_VALUE, 'Le paramètre fichierFlux est vide.');
		if (body.nomFichier == null || body.nomFichier === '') return missingField('nomFichier');
		if (typeof body.nomFichier !== 'string' || body.nomFichier.length > 200) {
			return invalidValue(
				'nomFichier',
				body.nomFichier,
				'Le nom du fichier est limité à 200 caractères.',
			);
		}
		if (body.syntaxeFlux == null || body.syntaxeFlux === '') return missingField('syntaxeFlux');
		const syntax = SYNTAXES[body.syntaxeFlux];
		if (!syntax)
			return invalidValue(
				'syntaxeFlux',
				body.syntaxeFlux,
				`Valeurs possibles : ${Object.keys(SYNTAXES).join(', ')}.`,
			);
		if (body.avecSignature != null && typeof body.avecSignature !== 'boolean')
			return invalidValue('avecSignature', body.avecSignature);

		const now = ctx.now();
		const numero = `CPP001${syntax.interface}${String(nextSeq(state, 'numeroFluxDepot', 0)).padStart(15, '0')}`;
		const { documents, errors } = readFlux(data, body.syntaxeFlux, body.nomFichier);
		const iso = formatIso(now);
		/** @type {Flux} */
		const flux = {
			numeroFluxDepot: numero,
			syntaxeFlux: body.syntaxeFlux,
			nomFichier: body.nomFichier,
			codeInterfaceDepotFlux: `FSO${syntax.interface}A`,
			avecSignature: body.avecSignature === true,
			login: ctx.account.login,
			idUtilisateur: ctx.account.idUtilisateur,
			structureIds: [...ctx.account.structureIds],
			depositAt: now.getTime(),
			dateDepotFlux: iso,
			etat: ETAT_DEPOT,
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
		state.flux.push(flux);
		if (!(state.config.fluxPollsToFinal > 0)) finalizeFlux(state, flux, now);
		return {
			body: ok(LIBELLE_OK_FACTURES, {
				numeroFluxDepot: numero,
				dateDepot: formatDate(now),
				syntaxeFlux: body.syntaxeFlux,
			}),
		};
	},

	// Sample shapes: samples/transverses-consulter-cr-detaille.response.*.json
	'POST /cpro/transverses/v1/consulterCRDetaille': (ctx) => {
		const flux = fluxOfRequest(ctx);
		if (!('numeroFluxDepot' in flux)) return flux;
		poll(ctx.state, flux, ctx.now());
		return {
			body: ok(LIBELLE_OK, {
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
	},

	// Other key names than the détaillé variant (docs/chorus-pro-api.md §3.2), report as a PDF.
	'POST /cpro/transverses/v1/consulterCR': (ctx) => {
		const flux = fluxOfRequest(ctx);
		if (!('numeroFluxDepot' in flux)) return flux;
		poll(ctx.state, flux, ctx.now());
		return {
			body: ok(LIBELLE_OK, {
				numeroFluxDepot: flux.numeroFluxDepot,
				nomFichierFlux: flux.nomFichier,
				dateDepotFlux: flux.dateDepotFlux,
				dateHeureEtatCourantFlux: flux.dateHeureEtatCourantFlux,
				etatCourantFlux: flux.etat,
				codeInterfaceFlux: flux.codeInterfaceDepotFlux,
				codeAppliPartenaire: 'API',
				designationPartenaire: 'Chorus Pro API (PISTE)',
				fichierCR: crPdf(flux).toString('base64'),
			}),
		};
	},
};

// ---------------------------------------------------------------------------------------------------------------
// Admin

/** @param {Flux} flux */
function adminFlux(flux) {
	const { documents, technicalErrors, ...rest } = flux;
	return {
		...rest,
		technicalErrors,
		documents: documents.map((d) => ({
			fileName: d.fileName,
			kind: d.kind,
			bytes: d.data.length,
			numeroFacture: d.invoice.numero,
			fournisseur: d.invoice.fournisseur.siret,
			destinataire: d.invoice.destinataire.siret,
			montantTTC: d.invoice.montantTTC,
		})),
	};
}

/** @param {number} status @param {string} error @returns {Reply} */
const adminError = (status, error) => ({ status, body: { error } });

/** @param {any} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const adminRoutes = {
	'GET /__admin/flux': ({ state }) => ({
		body: {
			flux: state.flux.map((f) => ({
				numeroFluxDepot: f.numeroFluxDepot,
				syntaxeFlux: f.syntaxeFlux,
				nomFichier: f.nomFichier,
				etat: f.etat,
				polls: f.polls,
				final: f.final,
				invoiceIds: f.invoiceIds,
			})),
		},
	}),

	'GET /__admin/flux/:numero': ({ state, params }) => {
		const flux = findFlux(state, params.numero);
		return flux ? { body: adminFlux(flux) } : adminError(404, `Unknown flux ${params.numero}`);
	},

	// Reach the final state now (as if the last poll happened).
	'POST /__admin/flux/:numero/process': ({ state, params, now }) => {
		const flux = findFlux(state, params.numero);
		if (!flux) return adminError(404, `Unknown flux ${params.numero}`);
		finalizeFlux(state, flux, now());
		return { body: adminFlux(flux) };
	},

	// Force the final outcome: {etat, listeErreurDP?, listeErreurTechnique?, immediate?}.
	'POST /__admin/flux/:numero/outcome': ({ state, params, body, now }) => {
		const flux = findFlux(state, params.numero);
		if (!flux) return adminError(404, `Unknown flux ${params.numero}`);
		if (flux.final)
			return adminError(
				409,
				`Flux ${flux.numeroFluxDepot} is already in its final state ${flux.etat}`,
			);
		if (!isObject(body) || !ETATS_FLUX.includes(body.etat))
			return adminError(400, `etat must be one of ${ETATS_FLUX.join(', ')}`);
		/** @type {Flux['forced']} */
		const forced = { etat: body.etat };
		if (body.listeErreurDP != null) {
			if (!Array.isArray(body.listeErreurDP) || !body.listeErreurDP.every(isObject))
				return adminError(400, 'listeErreurDP must be an array of objects');
			forced.listeErreurDP = body.listeErreurDP.map((/** @type {any} */ e) => {
				const doc = flux.documents.find((d) => d.invoice.numero === e.numeroDP);
				return {
					numeroDP: String(e.numeroDP ?? ''),
					identifiantFournisseur: String(
						e.identifiantFournisseur ?? doc?.invoice.fournisseur.siret ?? '',
					),
					identifiantDestinataire: String(
						e.identifiantDestinataire ?? doc?.invoice.destinataire.siret ?? '',
					),
					libelleErreurDP: String(
						e.libelleErreurDP ??
							'Demande de paiement rejetée (résultat imposé par le bac à sable).',
					),
				};
			});
		}
		if (body.listeErreurTechnique != null) {
			if (!Array.isArray(body.listeErreurTechnique) || !body.listeErreurTechnique.every(isObject)) {
				return adminError(400, 'listeErreurTechnique must be an array of objects');
			}
			forced.listeErreurTechnique = body.listeErreurTechnique.map((/** @type {any} */ e) => ({
				codeErreur: String(e.codeErreur ?? 'ERR_SBX_002'),
				libelleErreur: String(
					e.libelleErreur ?? 'Erreur technique (résultat imposé par le bac à sable).',
				),
				natureErreur: String(e.natureErreur ?? 'TECHNIQUE'),
			}));
		}
		flux.forced = forced;
		if (body.immediate === true) finalizeFlux(state, flux, now());
		return { body: adminFlux(flux) };
	},
};
