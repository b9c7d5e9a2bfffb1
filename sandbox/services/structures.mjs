// @ts-check
/**
 * Structures services (`/cpro/structures/v1`, docs/chorus-pro-api.md §3.3 and the official Swagger):
 * rechercher, consulter, rechercher/services, consulter/service.
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
import { structureById, serviceById } from '../seed.mjs';
import { parseParisLocal, formatIso } from '../dates.mjs';
import { fold } from './transverses.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').Structure} Structure */

const BASE = '/cpro/structures/v1';

/** `typeIdentifiantStructure` values. */
const IDENTIFIER_TYPES = [
	'SIRET',
	'UE_HORS_FRANCE',
	'HORS_UE',
	'RIDET',
	'TAHITI',
	'AUTRE',
	'PARTICULIER',
];

/**
 * Reads an int64 id (JSON number, or a numeric string as the Java deserialiser accepts). Returns
 * `{reply}` for a missing or invalid value.
 * @param {any} body @param {string} name
 * @returns {{ id: number } | { reply: Reply }}
 */
export function readId(body, name) {
	const v = body?.[name];
	if (v === undefined || v === null || v === '') return { reply: missingField(name) };
	const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
		return { reply: invalidValue(name, v) };
	return { id: n };
}

/** @param {number|string} id @returns {Reply} */
const unknownStructure = (id) => fail(400, CODES.NOT_FOUND, `La structure ${id} n'existe pas.`);

/** `YYYY-MM-DD HH:mm` (Paris) → ISO with offset, no millis (consulter/service dates). @param {string|undefined} text */
const isoFromMinutes = (text) => {
	const d = text ? parseParisLocal(text) : null;
	return d ? formatIso(d, false) : null;
};

/**
 * `structures/v1/rechercher`: criteria in the `structure` block, `restreindreStructuresPrivees` (absent or true:
 * every public structure but only the private ones the user is attached to), paging block `parametres`.
 * @param {Ctx} ctx @returns {Reply}
 */
function searchStructures({ body, state, account }) {
	const criteria = body.structure && typeof body.structure === 'object' ? body.structure : {};
	const refused = invalidCriterion(criteria);
	if (refused) return refused;
	const matches = structureTest(criteria);
	const restrict = body.restreindreStructuresPrivees !== false;
	const found = state.structures.filter(
		(s) =>
			(!restrict ||
				s.typeStructure === 'PUBLIQUE' ||
				account.structureIds.includes(s.idStructureCPP)) &&
			matches(s),
	);
	if (found.length === 0) return noResult();
	const { items, parametresRetour } = paginate(found, body.parametres, {
		sort: {
			IdentifiantStructure: (s) => s.identifiantStructure,
			DesignationStructure: (s) => s.designationStructure,
			TypeIdentifiantStructure: (s) => s.typeIdentifiantStructure,
			Statut: (s) => s.statut,
		},
	});
	return {
		body: ok(SUCCESS_LABEL, {
			listeStructures: items.map((s) => ({
				idStructureCPP: s.idStructureCPP,
				identifiantStructure: s.identifiantStructure,
				designationStructure: s.designationStructure,
				statut: s.statut,
				typeIdentifiantStructure: s.typeIdentifiantStructure,
			})),
			parametresRetour,
		}),
	};
}

/** The answer to an enumerated criterion out of its values, or null. @param {any} criteria @returns {Reply|null} */
function invalidCriterion(criteria) {
	const { typeIdentifiantStructure, typeStructure, statutStructure } = criteria;
	if (typeIdentifiantStructure != null && !IDENTIFIER_TYPES.includes(typeIdentifiantStructure))
		return invalidValue('typeIdentifiantStructure', typeIdentifiantStructure);
	if (typeStructure != null && typeStructure !== 'PRIVEE' && typeStructure !== 'PUBLIQUE')
		return invalidValue('typeStructure', typeStructure);
	if (statutStructure != null && statutStructure !== 'ACTIF' && statutStructure !== 'INACTIF')
		return invalidValue('statutStructure', statutStructure);
	return null;
}

/**
 * The criteria of the `structure` block: exact identifier, type and status, accent- and case-insensitive
 * "contains" on names and town, postcode prefix, country, MOA flags.
 * @param {any} c @returns {(s: Structure) => boolean}
 */
function structureTest(c) {
	/** @param {any} needle @param {any} haystack */
	const contains = (needle, haystack) =>
		needle == null || needle === '' || fold(haystack).includes(fold(needle));
	return (s) =>
		(c.identifiantStructure == null ||
			c.identifiantStructure === '' ||
			s.identifiantStructure === String(c.identifiantStructure).trim()) &&
		(c.typeIdentifiantStructure == null ||
			s.typeIdentifiantStructure === c.typeIdentifiantStructure) &&
		(c.typeStructure == null || s.typeStructure === c.typeStructure) &&
		(c.statutStructure == null ||
			s.statut === (c.statutStructure === 'ACTIF' ? 'ACTIVE' : 'INACTIVE')) &&
		contains(c.raisonSocialeStructure, s.raisonSociale) &&
		contains(c.libelleStructure, s.designationStructure) &&
		contains(c.nomStructure, s.designationStructure) &&
		contains(c.prenomStructure, '') &&
		(c.adresseCodePays == null ||
			c.adresseCodePays === '' ||
			s.adresse.pays === String(c.adresseCodePays).toUpperCase()) &&
		(c.adresseCodePostal == null ||
			c.adresseCodePostal === '' ||
			s.adresse.codePostal.startsWith(String(c.adresseCodePostal))) &&
		contains(c.adresseVille, s.adresse.ville) &&
		(c.estMOAUniquement !== true || s.parametres.estMoaUniquement) &&
		(c.estMOA !== true || s.parametres.getaMoa || s.parametres.estMoaUniquement);
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	[`POST ${BASE}/rechercher`]: searchStructures,

	// The key is idStructureCPP (a client sending `idStructure` gets the missing-field error).
	[`POST ${BASE}/consulter`]: ({ body, state, account }) => {
		const r = readId(body, 'idStructureCPP');
		if ('reply' in r) return r.reply;
		const s = structureById(state, r.id);
		if (!s) return unknownStructure(r.id);
		/** @type {Record<string, any>} */
		const info = {
			idStructureCPP: s.idStructureCPP,
			identifiantStructure: s.identifiantStructure,
			typeIdentifiantStructure: s.typeIdentifiantStructure,
			raisonSocialeStructure: s.raisonSociale,
			libelleStructure: s.designationStructure,
			structurePriveePublique: s.typeStructure,
			emailStructure: s.email,
			numeroTVA: s.numeroTVA,
			estValideurDeleguee: s.parametres.estValideurDelegue,
		};
		// The technical password expiry is only told about the caller's own structure.
		if (s.dateExpirationMotPasseCompteTech && account.structureIds.includes(s.idStructureCPP)) {
			info.dateExpirationMotPasseCompteTech = s.dateExpirationMotPasseCompteTech;
		}
		return {
			body: ok(SUCCESS_LABEL, {
				informationGenerales: info,
				adressePostaleDuSiege: { ...s.adresse },
				parametres: { ...s.parametres },
			}),
		};
	},

	[`POST ${BASE}/rechercher/services`]: ({ body, state }) => {
		const r = readId(body, 'idStructure');
		if ('reply' in r) return r.reply;
		const s = structureById(state, r.id);
		if (!s) return unknownStructure(r.id);
		if (s.services.length === 0) return noResult();
		const { items, parametresRetour } = paginate(
			s.services,
			body.parametresRechercherServicesStructure,
			{
				sort: {
					CodeService: (x) => x.codeService,
					LibelleService: (x) => x.libelleService,
					DateDbtService: (x) => x.dateDbtService,
					DateFinService: (x) => x.dateFinService,
					EstActif: (x) => x.estActif,
				},
			},
		);
		return {
			body: ok(SUCCESS_LABEL, {
				listeServices: items.map((x) => ({
					idService: x.idService,
					codeService: x.codeService,
					libelleService: x.libelleService,
					dateDbtService: x.dateDbtService,
					...(x.dateFinService ? { dateFinService: x.dateFinService } : {}),
					estActif: x.estActif,
				})),
				parametresRetour,
			}),
		};
	},

	[`POST ${BASE}/consulter/service`]: ({ body, state }) => {
		const rs = readId(body, 'idStructure');
		if ('reply' in rs) return rs.reply;
		const rv = readId(body, 'idService');
		if ('reply' in rv) return rv.reply;
		const s = structureById(state, rs.id);
		if (!s) return unknownStructure(rs.id);
		const x = serviceById(s, rv.id);
		if (!x)
			return fail(
				400,
				CODES.NOT_FOUND,
				`Le service ${rv.id} n'existe pas pour la structure ${rs.id}.`,
			);
		const start = isoFromMinutes(x.dateDbtService);
		const end = isoFromMinutes(x.dateFinService);
		return {
			body: ok(SUCCESS_LABEL, {
				parametres: {
					dateCreation: start,
					dateDebutValidite: start,
					...(end ? { dateFinValidite: end } : {}),
					numeroEngagement: x.numeroEngagementObligatoire,
					miseEnPaiement: x.miseEnPaiement,
				},
				informationsGenerales: {
					codeService: x.codeService,
					nomService: x.libelleService,
					descriptionService: x.libelleService,
				},
				adressePostale: {
					adresse: s.adresse.adresse,
					complementAdresse1: '',
					complementAdresse2: '',
					codePostal: s.adresse.codePostal,
					ville: s.adresse.ville,
					pays: s.adresse.pays === 'FR' ? 'France' : s.adresse.pays,
					telephone: '0102030405',
					indicatifTelephone: '+33',
					fax: '',
					indicatifFax: '+33',
				},
				// The Swagger model carries paging keys at top level; they are unused here (null, as in other official answers).
				pageCourante: null,
				pages: null,
				nbResultatsParPage: null,
				total: null,
			}),
		};
	},
};
