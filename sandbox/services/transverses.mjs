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
	LIBELLE_OK,
	CODES,
} from '../server.mjs';
import {
	TAUX_TVA,
	DEVISES,
	PAYS,
	MODES_PAIEMENT,
	MODES_DEPOT,
	CADRES_FACTURATION,
	CADRES_HORS_TRAVAUX,
	TYPES_DEMANDE_PAIEMENT,
	MOTIFS_EXONERATION_TVA,
	TYPES_PIECE_JOINTE,
	FORMATS_FLUX,
	TRANSITIONS_TRAITEMENT,
	structureById,
} from '../seed.mjs';

/** @typedef {import('../server.mjs').Ctx} Ctx */
/** @typedef {import('../server.mjs').Reply} Reply */
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
	return { body: ok(LIBELLE_OK, { listeStructures: list }) };
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
			body: ok(LIBELLE_OK, {
				listeTauxTva: TAUX_TVA.map((t) => ({
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
			body: ok(LIBELLE_OK, {
				listeDevises: DEVISES.map((d) => ({
					codeDevise: d.codeDevise,
					libelleDevise: en ? d.libelleDeviseEn : d.libelleDevise,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/pays`]: ({ body }) => {
		const en = english(body);
		return {
			body: ok(LIBELLE_OK, {
				listePays: PAYS.map((p) => ({
					codePays: p.codePays,
					libellePays: en ? p.libellePaysEn : p.libellePays,
				})),
			}),
		};
	},

	[`POST ${BASE}/recuperer/modereglements`]: () => ({
		body: ok(LIBELLE_OK, {
			listeModePaiement: MODES_PAIEMENT.map((modePaiement) => ({ modePaiement })),
		}),
	}),

	[`POST ${BASE}/recuperer/modedepot`]: () => ({
		body: ok(LIBELLE_OK, { listeModeDepot: MODES_DEPOT.map((modeDepot) => ({ modeDepot })) }),
	}),

	[`POST ${BASE}/recuperer/formatflux`]: () => ({
		body: ok(LIBELLE_OK, { listeFormatFlux: FORMATS_FLUX.map((formatFlux) => ({ formatFlux })) }),
	}),

	[`POST ${BASE}/recuperer/typedp`]: () => ({
		body: ok(LIBELLE_OK, {
			listeTypeDemandePaiement: TYPES_DEMANDE_PAIEMENT.map((typeDemandePaiement) => ({
				typeDemandePaiement,
			})),
		}),
	}),

	// Without typeDemandePaiement: every cadre; FACTURE_TRAVAUX: the works frames; other types: the others.
	[`POST ${BASE}/recuperer/cadrefacturation`]: ({ body }) => {
		const type = body.typeDemandePaiement;
		if (type != null && !TYPES_DEMANDE_PAIEMENT.includes(type))
			return invalidValue('typeDemandePaiement', type);
		const list =
			type == null
				? CADRES_FACTURATION
				: type === 'FACTURE_TRAVAUX'
					? CADRES_FACTURATION.filter((c) => !CADRES_HORS_TRAVAUX.includes(c))
					: CADRES_HORS_TRAVAUX;
		return {
			body: ok(LIBELLE_OK, {
				listeCadreFacturation: list.map((codeCadreFacturation) => ({ codeCadreFacturation })),
			}),
		};
	},

	[`POST ${BASE}/recuperer/motifs/exonerationtva`]: () => ({
		body: ok(LIBELLE_OK, {
			listeMotifsExonerationTva: MOTIFS_EXONERATION_TVA.map((m) => ({ ...m })),
		}),
	}),

	[`POST ${BASE}/recuperer/typespj`]: ({ body }) => {
		const en = english(body);
		const list = TYPES_PIECE_JOINTE.filter(
			(t) => body.typeObjet == null || t.typeObjet === body.typeObjet,
		);
		if (list.length === 0) return noResult();
		return {
			body: ok(LIBELLE_OK, {
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
		const statut = body.statutCourant;
		if (statut == null || statut === '') return missingField('statutCourant');
		const next = TRANSITIONS_TRAITEMENT[statut];
		if (!next) return invalidValue('statutCourant', statut);
		if (next.length === 0) return noResult();
		return {
			body: ok(LIBELLE_OK, {
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
			body: ok(LIBELLE_OK, {
				listeCoordonneeBancaire: list.map((c) => ({
					idCoordonneeBancaire: c.idCoordonneeBancaire,
					nomCoordonneeBancaire: c.nomCoordonneeBancaire,
				})),
			}),
		};
	},

	// Directory of the active public recipients.
	[`POST ${BASE}/rechercher/destinataire`]: ({ body, state }) => {
		const identifiant = body.identifiant == null ? '' : String(body.identifiant).trim();
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
				(!identifiant || s.identifiantStructure.startsWith(identifiant)) &&
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
			body: ok(LIBELLE_OK, {
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
