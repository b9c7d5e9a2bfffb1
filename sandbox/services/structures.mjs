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
	LIBELLE_OK,
	CODES,
} from '../server.mjs';
import { structureById, serviceById, parseParisLocal, formatIso } from '../seed.mjs';
import { fold } from './transverses.mjs';

/** @typedef {import('../server.mjs').Ctx} Ctx */
/** @typedef {import('../server.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').Structure} Structure */

const BASE = '/cpro/structures/v1';

const TYPES_IDENTIFIANT = [
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

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	[`POST ${BASE}/rechercher`]: ({ body, state, account }) => {
		const f = body.structure && typeof body.structure === 'object' ? body.structure : {};
		if (
			f.typeIdentifiantStructure != null &&
			!TYPES_IDENTIFIANT.includes(f.typeIdentifiantStructure)
		) {
			return invalidValue('typeIdentifiantStructure', f.typeIdentifiantStructure);
		}
		if (f.typeStructure != null && f.typeStructure !== 'PRIVEE' && f.typeStructure !== 'PUBLIQUE') {
			return invalidValue('typeStructure', f.typeStructure);
		}
		if (
			f.statutStructure != null &&
			f.statutStructure !== 'ACTIF' &&
			f.statutStructure !== 'INACTIF'
		) {
			return invalidValue('statutStructure', f.statutStructure);
		}
		// Absent or true: every public structure but only the private ones the user is attached to.
		const restrict = body.restreindreStructuresPrivees !== false;
		/** @param {any} needle @param {any} hay */
		const contains = (needle, hay) =>
			needle == null || needle === '' || fold(hay).includes(fold(needle));
		const found = state.structures.filter(
			(s) =>
				(!restrict ||
					s.typeStructure === 'PUBLIQUE' ||
					account.structureIds.includes(s.idStructureCPP)) &&
				(f.identifiantStructure == null ||
					f.identifiantStructure === '' ||
					s.identifiantStructure === String(f.identifiantStructure).trim()) &&
				(f.typeIdentifiantStructure == null ||
					s.typeIdentifiantStructure === f.typeIdentifiantStructure) &&
				(f.typeStructure == null || s.typeStructure === f.typeStructure) &&
				(f.statutStructure == null ||
					s.statut === (f.statutStructure === 'ACTIF' ? 'ACTIVE' : 'INACTIVE')) &&
				contains(f.raisonSocialeStructure, s.raisonSociale) &&
				contains(f.libelleStructure, s.designationStructure) &&
				contains(f.nomStructure, s.designationStructure) &&
				contains(f.prenomStructure, '') &&
				(f.adresseCodePays == null ||
					f.adresseCodePays === '' ||
					s.adresse.pays === String(f.adresseCodePays).toUpperCase()) &&
				(f.adresseCodePostal == null ||
					f.adresseCodePostal === '' ||
					s.adresse.codePostal.startsWith(String(f.adresseCodePostal))) &&
				contains(f.adresseVille, s.adresse.ville) &&
				(f.estMOAUniquement !== true || s.parametres.estMoaUniquement) &&
				(f.estMOA !== true || s.parametres.getaMoa || s.parametres.estMoaUniquement),
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
			body: ok(LIBELLE_OK, {
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
	},

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
			body: ok(LIBELLE_OK, {
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
			body: ok(LIBELLE_OK, {
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
		const debut = isoFromMinutes(x.dateDbtService);
		const fin = isoFromMinutes(x.dateFinService);
		return {
			body: ok(LIBELLE_OK, {
				parametres: {
					dateCreation: debut,
					dateDebutValidite: debut,
					...(fin ? { dateFinValidite: fin } : {}),
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
