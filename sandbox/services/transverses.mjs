// @ts-check
/**
 * Transverses services (`/cpro/transverses/v1`, docs/chorus-pro-api.md §3.2): health-check, the structures of
 * the calling technical account, reference lists and the recipient directory search.
 * consulterCRDetaille, consulterCR and ajouter/fichier live in the flux/factures modules.
 */
import {
	ok,
	fail,
	noResult,
	missingField,
	invalidValue,
	paginate,
	SUCCESS_LABEL,
	CODES,
} from '../replies.mjs';
import {
	VAT_RATES,
	CURRENCIES,
	COUNTRIES,
	PAYMENT_MODES,
	DEPOSIT_MODES,
	BILLING_FRAMES,
	NON_WORKS_BILLING_FRAMES,
	PAYMENT_REQUEST_TYPES,
	VAT_EXEMPTION_REASONS,
	ATTACHMENT_TYPES,
	FLUX_FORMATS,
	PROCESSING_TRANSITIONS,
} from '../referenceData.mjs';
import { structureById } from '../seed.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').Structure} Structure */

const BASE = '/cpro/transverses/v1';

/** true for `EN`/`en`; anything else means French. @param {any} body */
const english = (body) => String(body?.codeLangue ?? '').toUpperCase() === 'EN';

/**
 * Active structures of the calling account of one kind, as `listeStructures`.
 * Supplier side = its private structures, recipient side = its public ones.
 * @param {Ctx} ctx @param {'PRIVEE'|'PUBLIQUE'} type @returns {Reply}
 */
function activeStructures(ctx, type) {
	const list = ctx.account.structureIds
		.map((id) => structureById(ctx.state, id))
		.filter((s) => s !== undefined && s.statut === 'ACTIVE' && s.typeStructure === type)
		.map((s) => ({
			idStructureCPP: /** @type {Structure} */ (s).idStructureCPP,
			identifiant: /** @type {Structure} */ (s).identifiantStructure,
			designationStructure: /** @type {Structure} */ (s).designationStructure,
		}));
	if (list.length === 0) return noResult();
	return { body: ok(SUCCESS_LABEL, { listeStructures: list }) };
}

/**
 * Normalises a string for accent- and case-insensitive "contains" searches.
 * @param {any} v
 */
export function fold(v) {
	return String(v ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim();
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	// Answer of a live sandbox (no codeRetour in it).
	[`GET ${BASE}/health-check`]: () => ({
		body: {
			body: "L'API CPRO est actuellement disponible et fonctionnel.",
			statusCode: 'OK',
			statusCodeValue: 200,
		},
	}),

	[`POST ${BASE}/recuperer/structures/actives/fournisseur`]: (ctx) =>
		activeStructures(ctx, 'PRIVEE'),
	[`POST ${BASE}/recuperer/structures/actives/destinataire`]: (ctx) =>
		activeStructures(ctx, 'PUBLIQUE'),

	[`POST ${BASE}/recuperer/tauxtva`]: ({ body }) => {
		const en = english(body);
		return {
			body: ok(SUCCESS_LABEL, {
				listeTauxTva: VAT_RATES.map((t) => ({
					codeTauxTva: t.codeTauxTva,
					libelleTauxTva: en ? t.libelleTauxTvaEn : t.libelleTauxTva,
					valeurTauxTva: t.valeurTauxTva,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/devises`]: ({ body }) => {
		const en = english(body);
		return {
			body: ok(SUCCESS_LABEL, {
				listeDevises: CURRENCIES.map((d) => ({
					codeDevise: d.codeDevise,
					libelleDevise: en ? d.libelleDeviseEn : d.libelleDevise,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/pays`]: ({ body }) => {
		const en = english(body);
		return {
			body: ok(SUCCESS_LABEL, {
				listePays: COUNTRIES.map((p) => ({
					codePays: p.codePays,
					libellePays: en ? p.libellePaysEn : p.libellePays,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/modereglements`]: () => ({
		body: ok(SUCCESS_LABEL, {
			listeModePaiement: PAYMENT_MODES.map((modePaiement) => ({ modePaiement })),
		}),
	}),

	[`POST ${BASE}/recuperer/modedepot`]: () => ({
		body: ok(SUCCESS_LABEL, { listeModeDepot: DEPOSIT_MODES.map((modeDepot) => ({ modeDepot })) }),
	}),

	[`POST ${BASE}/recuperer/formatflux`]: () => ({
		body: ok(SUCCESS_LABEL, {
			listeFormatFlux: FLUX_FORMATS.map((formatFlux) => ({ formatFlux })),
		}),
	}),

	[`POST ${BASE}/recuperer/typedp`]: () => ({
		body: ok(SUCCESS_LABEL, {
			listeTypeDemandePaiement: PAYMENT_REQUEST_TYPES.map((typeDemandePaiement) => ({
				typeDemandePaiement,
			})),
		}),
	}),

	// Without typeDemandePaiement: every cadre; FACTURE_TRAVAUX: the works frames; other types: the others.
	[`POST ${BASE}/recuperer/cadrefacturation`]: ({ body }) => {
		const type = body.typeDemandePaiement;
		if (type != null && !PAYMENT_REQUEST_TYPES.includes(type))
			return invalidValue('typeDemandePaiement', type);
		const list =
			type == null
				? BILLING_FRAMES
				: type === 'FACTURE_TRAVAUX'
					? BILLING_FRAMES.filter((c) => !NON_WORKS_BILLING_FRAMES.includes(c))
					: NON_WORKS_BILLING_FRAMES;
		return {
			body: ok(SUCCESS_LABEL, {
				listeCadreFacturation: list.map((codeCadreFacturation) => ({ codeCadreFacturation })),
			}),
		};
	},

	[`POST ${BASE}/recuperer/motifs/exonerationtva`]: () => ({
		body: ok(SUCCESS_LABEL, {
			listeMotifsExonerationTva: VAT_EXEMPTION_REASONS.map((m) => ({ ...m })),
		}),
	}),

	[`POST ${BASE}/recuperer/typespj`]: ({ body }) => {
		const en = english(body);
		const list = ATTACHMENT_TYPES.filter(
			(t) => body.typeObjet == null || t.typeObjet === body.typeObjet,
		);
		if (list.length === 0) return noResult();
		return {
			body: ok(SUCCESS_LABEL, {
				listeTypePieceJointe: list.map((t) => ({
					codeTypePieceJointe: t.codeTypePieceJointe,
					libelleTypePieceJointe: en ? t.libelleEn : t.libelleTypePieceJointe,
					idTypePieceJointe: t.idTypePieceJointe,
					typeObjet: t.typeObjet,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/etats/traitement`]: ({ body }) => {
		const status = body.statutCourant;
		if (status == null || status === '') return missingField('statutCourant');
		const next = PROCESSING_TRANSITIONS[status];
		if (!next) return invalidValue('statutCourant', status);
		if (next.length === 0) return noResult();
		return {
			body: ok(SUCCESS_LABEL, {
				listeStatutsPossiblesPourTraitement: next.map((statutPossiblePourTraitement) => ({
					statutPossiblePourTraitement,
				})),
			}),
		};
	},

	// Bank accounts of one of the caller's structures.
	[`POST ${BASE}/recuperer/coordbanc/valides`]: ({ body, state, account }) => {
		if (body.idStructure == null) return missingField('idStructure');
		const s = structureById(state, body.idStructure);
		if (!s || !account.structureIds.includes(s.idStructureCPP)) {
			return fail(
				400,
				CODES.NOT_FOUND,
				`La structure ${body.idStructure} n'existe pas ou n'est pas rattachée à l'utilisateur.`,
			);
		}
		const list = s.coordonneesBancaires ?? [];
		if (list.length === 0) return noResult();
		return {
			body: ok(SUCCESS_LABEL, {
				listeCoordonneeBancaire: list.map((c) => ({
					idCoordonneeBancaire: c.idCoordonneeBancaire,
					nomCoordonneeBancaire: c.nomCoordonneeBancaire,
				})),
			}),
		};
	},

	// Directory of the active public recipients.
	[`POST ${BASE}/rechercher/destinataire`]: ({ body, state }) => {
		const identifier = body.identifiant == null ? '' : String(body.identifiant).trim();
		const where = fold(body.nomVilleCodePostal);
		if (
			body.typeStructure != null &&
			body.typeStructure !== 'PUBLIQUE' &&
			body.typeStructure !== 'PRIVEE'
		) {
			return invalidValue('typeStructure', body.typeStructure);
		}
		const type = body.typeStructure ?? 'PUBLIQUE';
		const found = state.structures.filter(
			(s) =>
				s.statut === 'ACTIVE' &&
				s.typeStructure === type &&
				(!identifier || s.identifiantStructure.startsWith(identifier)) &&
				(!where ||
					fold(s.designationStructure).includes(where) ||
					fold(s.adresse.ville).includes(where) ||
					s.adresse.codePostal.startsWith(where)),
		);
		if (found.length === 0) return noResult();
		const { items, parametresRetour } = paginate(found, body.parametresRecherche, {
			sort: {
				IdStructureCPP: (s) => s.idStructureCPP,
				Siret: (s) => s.identifiantStructure,
				NomDestinataire: (s) => s.designationStructure,
				AdresseCodePostal: (s) => s.adresse.codePostal,
				AdresseVille: (s) => s.adresse.ville,
			},
		});
		return {
			body: ok(SUCCESS_LABEL, {
				listeDestinataires: items.map((s) => ({
					idStructureCPP: s.idStructureCPP,
					siret: s.identifiantStructure,
					nomDestinataire: s.designationStructure,
					adresseCodePostal: s.adresse.codePostal,
					adresseVille: s.adresse.ville,
				})),
				parametresRetour,
			}),
		};
	},
};
