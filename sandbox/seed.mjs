// @ts-check
/**
 * Initial data set of the Chorus Pro sandbox: a qualification "matelas" (docs/chorus-pro-api.md §1.4 point 6)
 * with PISTE clients, technical accounts, structures, services, bank accounts and engagements juridiques (the
 * reference lists of the transverses services are in referenceData.mjs). `createState()` returns a fresh,
 * independent state every time.
 *
 * The values are fictitious (matelas-like SIRETs); key names follow docs/chorus-pro-api.md and the sample
 * bodies of test/samples/.
 */
import { formatIso, pad } from './dates.mjs';

/** @typedef {'factures'|'transverses'|'structures'|'utilisateurs'|'engagementsJuridiques'} ApiGroup */
/** @typedef {{ clientId: string, clientSecret: string, groups: ApiGroup[] }} PisteClient */
/**
 * @typedef {{ login: string, password: string, idUtilisateur: number, structureIds: number[],
 *   nom: string, prenom: string, email: string, roleUtilisateur: string }} TechnicalAccount
 */
/**
 * @typedef {{ idService: number, codeService: string, libelleService: string, estActif: boolean,
 *   dateDbtService: string, dateFinService?: string, numeroEngagementObligatoire: boolean, miseEnPaiement: boolean }} Service
 */
/** @typedef {{ idCoordonneeBancaire: number, nomCoordonneeBancaire: string, iban: string }} BankAccount */
/**
 * @typedef {{ codeServiceDoitEtreRenseigne: boolean, numeroEJDoitEtreRenseigne: boolean, gestionNumeroEJOuCodeService: boolean,
 *   connexionEDI: boolean, recevoirDonneesViaEDI: boolean, estMoaUniquement: boolean, estValideurDelegue: boolean,
 *   getaMoa: boolean, nonDiffusibleInsee: boolean, statutMiseEnPaiementNestPasRemonte: boolean }} StructureParameters
 */
/**
 * @typedef {{ idStructureCPP: number, identifiantStructure: string, typeIdentifiantStructure: string,
 *   designationStructure: string, raisonSociale: string, role: string, typeStructure: 'PRIVEE'|'PUBLIQUE',
 *   statut: 'ACTIVE'|'INACTIVE', email: string, numeroTVA: string,
 *   adresse: { adresse: string, codePostal: string, ville: string, pays: string },
 *   parametres: StructureParameters, dateExpirationMotPasseCompteTech?: string,
 *   services: Service[], coordonneesBancaires?: BankAccount[] }} Structure
 */
/**
 * @typedef {{ idEngagementJuridique: number, numeroEngagementJuridique: string, idStructureCPP: number,
 *   etatCourantEngagementJuridique: string, libelleEngagementJuridique: string, dateCreation: string,
 *   montantEngagementJuridique: number, codeDevise: string, codeService?: string, identifiantFournisseur?: string }} LegalCommitment
 */
/** @typedef {{ token: string, clientId: string, issuedAt: number, expiresAt: number }} TokenRecord */
/**
 * @typedef {{ path?: string, count: number, after?: number, status?: number, body?: any, rawBody?: string,
 *   headers?: Record<string, string>, delayMs?: number, reset?: boolean, hang?: boolean }} Fault
 */
/**
 * @typedef {{ seq: number, method: string, path: string, headers: Record<string, any>, body: any, bodyBytes: number,
 *   status: number|null, at: string, answeredAt?: string, inFlight: number, fault?: string }} LoggedRequest
 */
/** @typedef {{ latencyMs: number, fluxPollsToFinal: number, tokenTtlSeconds: number, pageSizeCap: number | null }} Config */
/** @typedef {{ offsetMs: number, now: () => Date }} Clock */
/**
 * The whole mutable state of one sandbox. The stores of invoices.mjs, flux.mjs and the attachment uploads
 * (`invoices`, `flux`, `piecesJointes`) start empty here so that a reset gives them back empty too; any module
 * may add more keys. Keys and records keep their names: the admin hooks show them.
 * @typedef {{ createdAt: Date, clock: Clock, config: Config, clients: PisteClient[], accounts: TechnicalAccount[],
 *   structures: Structure[], engagements: LegalCommitment[], tokens: Map<string, TokenRecord>,
 *   faults: Fault[], requests: LoggedRequest[], seq: Record<string, number>,
 *   invoices: any[], flux: any[], piecesJointes: any[], [key: string]: any }} State
 */
/** @typedef {{ latencyMs?: number, fluxPollsToFinal?: number, tokenTtlSeconds?: number }} StateOptions */

/** @type {ApiGroup[]} */
export const API_GROUPS = [
	'factures',
	'transverses',
	'structures',
	'utilisateurs',
	'engagementsJuridiques',
];

export const TECH_PASSWORD = 'Sandbox-Tech-Passw0rd!';
export const SUPPLIER_ID = 26300989;
export const RECIPIENT_ID = 25783752;

/** Supplier-side demo credentials (PISTE client + technical account of the "Fournisseur" structure). */
export const DEMO_CREDENTIALS = Object.freeze({
	clientId: 'sandbox-client-id',
	clientSecret: 'sandbox-client-secret',
	technicalLogin: 'TECH_1_73442027438548@cpro.fr',
	technicalPassword: TECH_PASSWORD,
});
/** Recipient-side credentials (same PISTE client, technical account of the public recipients). */
export const RECIPIENT_CREDENTIALS = Object.freeze({
	clientId: 'sandbox-client-id',
	clientSecret: 'sandbox-client-secret',
	technicalLogin: 'TECH_1_00000000012887@cpro.fr',
	technicalPassword: TECH_PASSWORD,
});
/** A PISTE client whose application is not subscribed to the Factures API (403 tests). */
export const NO_FACTURES_CLIENT = Object.freeze({
	clientId: 'sandbox-client-no-factures',
	clientSecret: 'sandbox-client-secret',
});

// ---------------------------------------------------------------------------------------------------------------
// Structures.

/** The `parametres` of a structure: nothing required unless overridden. @returns {StructureParameters} */
function structureParameters(/** @type {Partial<StructureParameters>} */ overrides = {}) {
	return {
		codeServiceDoitEtreRenseigne: false,
		numeroEJDoitEtreRenseigne: false,
		gestionNumeroEJOuCodeService: false,
		connexionEDI: false,
		recevoirDonneesViaEDI: false,
		estMoaUniquement: false,
		estValideurDelegue: false,
		getaMoa: false,
		nonDiffusibleInsee: false,
		statutMiseEnPaiementNestPasRemonte: false,
		...overrides,
	};
}

/**
 * An active service with no requirement unless `extra` says otherwise.
 * @param {number} id @param {string} code @param {string} label
 * @param {Partial<Service>} [extra]
 * @returns {Service}
 */
function service(id, code, label, extra = {}) {
	return {
		idService: id,
		codeService: code,
		libelleService: label,
		estActif: true,
		dateDbtService: '2016-12-28 08:30',
		numeroEngagementObligatoire: false,
		miseEnPaiement: false,
		...extra,
	};
}

/** The default service of every public structure. @param {number} idService */
const publicInvoicesService = (idService) =>
	service(idService, 'FACTURES_PUBLIQUES', 'Service des factures publiques');

/**
 * A structure: an active public one with no requirement and no service unless `fields` say otherwise.
 * @param {Partial<Structure> & { idStructureCPP: number, identifiantStructure: string, designationStructure: string }} fields
 * @returns {Structure}
 */
function structure(fields) {
	return {
		typeIdentifiantStructure: 'SIRET',
		raisonSociale: fields.designationStructure,
		role: '',
		typeStructure: 'PUBLIQUE',
		statut: 'ACTIVE',
		email: '',
		numeroTVA: '',
		adresse: { adresse: '1 rue Test', codePostal: '75000', ville: 'Paris', pays: 'FR' },
		parametres: structureParameters(),
		services: [],
		...fields,
	};
}

/** Towns for the extra public structures (pagination data). */
const TOWNS = [
	['Lyon', '69001'],
	['Marseille', '13001'],
	['Toulouse', '31000'],
	['Nice', '06000'],
	['Nantes', '44000'],
	['Strasbourg', '67000'],
	['Montpellier', '34000'],
	['Bordeaux', '33000'],
	['Lille', '59000'],
	['Rennes', '35000'],
	['Reims', '51100'],
	['Dijon', '21000'],
	['Angers', '49000'],
	['Grenoble', '38000'],
	['Brest', '29200'],
	['Limoges', '87000'],
	['Tours', '37000'],
	['Amiens', '80000'],
	['Metz', '57000'],
	['Besançon', '25000'],
	['Orléans', '45000'],
	['Rouen', '76000'],
	['Caen', '14000'],
	['Nancy', '54000'],
	['Poitiers', '86000'],
];

/** Every structure of the seed: the supplier, the recipients of the README's table, then the towns. @param {Date} createdAt */
function seedStructures(createdAt) {
	return [supplierStructure(createdAt), ...namedRecipients(), ...townRecipients()];
}

/**
 * The private structure of the supplier technical account, with a service and two bank accounts; its technical
 * password expires 300 days after the seed.
 * @param {Date} createdAt @returns {Structure}
 */
function supplierStructure(createdAt) {
	const expiry = new Date(createdAt.getTime() + 300 * 86400_000);
	return structure({
		idStructureCPP: SUPPLIER_ID,
		identifiantStructure: '73442027438548',
		designationStructure: 'Fournisseur',
		raisonSociale: 'Fournisseur',
		role: 'Fournisseur',
		typeStructure: 'PRIVEE',
		email: 'contact@fournisseur.example',
		numeroTVA: 'FR32734420274',
		adresse: {
			adresse: '10 avenue des Fournisseurs',
			codePostal: '75011',
			ville: 'Paris',
			pays: 'FR',
		},
		dateExpirationMotPasseCompteTech: formatIso(expiry, false),
		services: [
			service(10657669, 'SERVICE_PRIVE_1', 'Service fournisseur', {
				dateDbtService: '2024-01-01 00:00',
				dateFinService: '2050-12-31 00:00',
			}),
		],
		coordonneesBancaires: [
			{
				idCoordonneeBancaire: 132,
				nomCoordonneeBancaire: 'Compte principal',
				iban: 'FR7630006000011234567890189',
			},
			{
				idCoordonneeBancaire: 133,
				nomCoordonneeBancaire: 'Compte secondaire',
				iban: 'FR7610107001011234567890129',
			},
		],
	});
}

/** The public recipients of the README's structure table, one per combination of requirements. @returns {Structure[]} */
function namedRecipients() {
	return [
		structure({
			idStructureCPP: RECIPIENT_ID,
			identifiantStructure: '00000000012887',
			designationStructure: 'TAA070DESTINATAIRE',
			role: 'Destinataire',
			adresse: { adresse: '1 rue Test', codePostal: '75000', ville: 'Paris', pays: 'FR' },
			services: [
				service(10136558, 'SERVICE_DESTINATAIRETAA070', 'SERVICE_DESTINATAIRETAA070'),
				publicInvoicesService(10136557),
			],
		}),
		structure({
			idStructureCPP: 25784152,
			identifiantStructure: '12345678200028',
			designationStructure: 'Destinataire avec service obligatoire',
			role: 'Destinataire avec service obligatoire',
			parametres: structureParameters({ codeServiceDoitEtreRenseigne: true }),
			adresse: { adresse: '2 rue Test', codePostal: '75002', ville: 'Paris', pays: 'FR' },
			services: [
				publicInvoicesService(10136600),
				service(10136601, 'SERVICE_DEST_SERV_OBL', 'Service destinataire (service obligatoire)'),
				service(10136602, 'SERVICE_INACTIF', 'Service inactif', {
					estActif: false,
					dateFinService: '2020-12-31 00:00',
				}),
				service(10136603, 'SERVICE_EJ_OBL', 'Service avec engagement obligatoire', {
					numeroEngagementObligatoire: true,
				}),
			],
		}),
		structure({
			idStructureCPP: 25784153,
			identifiantStructure: '12345678200036',
			designationStructure: 'Destinataire avec EJ obligatoire',
			role: 'Destinataire avec EJ obligatoire',
			parametres: structureParameters({ numeroEJDoitEtreRenseigne: true }),
			adresse: { adresse: '3 rue Test', codePostal: '75003', ville: 'Paris', pays: 'FR' },
			services: [
				publicInvoicesService(10136610),
				service(10136611, 'SERVICE_DEST_EJ_OBL', 'Service destinataire (EJ obligatoire)'),
			],
		}),
		structure({
			idStructureCPP: 25784154,
			identifiantStructure: '12345678200044',
			designationStructure: 'Destinataire avec EJ ou service obligatoire',
			role: 'Destinataire avec EJ ou service obligatoire',
			parametres: structureParameters({ gestionNumeroEJOuCodeService: true }),
			adresse: { adresse: '4 rue Test', codePostal: '75004', ville: 'Paris', pays: 'FR' },
			services: [
				publicInvoicesService(10136620),
				service(10136621, 'SERVICE_DEST_EJ_OU_SERV', 'Service destinataire (EJ ou service)'),
			],
		}),
		structure({
			idStructureCPP: 25784155,
			identifiantStructure: '12345678200051',
			designationStructure: 'Destinataire sans paramètre',
			role: 'Destinataire sans paramètre',
			adresse: { adresse: '5 rue Test', codePostal: '75005', ville: 'Paris', pays: 'FR' },
			services: [publicInvoicesService(10136630)],
		}),
		structure({
			idStructureCPP: 25784156,
			identifiantStructure: '12345678200069',
			designationStructure: 'Destinataire Etat',
			role: 'Destinataire Etat',
			parametres: structureParameters({
				codeServiceDoitEtreRenseigne: true,
				numeroEJDoitEtreRenseigne: true,
			}),
			adresse: { adresse: '139 rue de Bercy', codePostal: '75012', ville: 'Paris', pays: 'FR' },
			services: [
				publicInvoicesService(10136640),
				service(10136641, 'SERVICE_ETAT', "Service facturier de l'Etat"),
			],
		}),
		structure({
			idStructureCPP: 25784157,
			identifiantStructure: '12345678200077',
			designationStructure: 'Structure inactive',
			role: 'Structure inactive',
			statut: 'INACTIVE',
			adresse: { adresse: '7 rue Test', codePostal: '75007', ville: 'Paris', pays: 'FR' },
			services: [publicInvoicesService(10136650)],
		}),
	];
}

/** One commune or hospital per town (every third is a hospital): pagination data. @returns {Structure[]} */
function townRecipients() {
	return TOWNS.map(([town, postCode], i) => {
		const hospital = i % 3 === 2;
		const of = /^[AEIOUÉ]/.test(town) ? "d'" : 'de ';
		const name = hospital ? `Centre hospitalier ${of}${town}` : `Commune ${of}${town}`;
		return structure({
			idStructureCPP: 25790001 + i,
			identifiantStructure: `2100000000${pad(i + 1, 4)}`,
			designationStructure: name,
			role: 'Destinataire',
			adresse: {
				adresse: hospital ? "1 avenue de l'Hôpital" : '1 place de la Mairie',
				codePostal: postCode,
				ville: town,
				pays: 'FR',
			},
			services: [publicInvoicesService(10200000 + i * 10)],
		});
	});
}

/** The engagements juridiques (EJ) of the README, all `COMMANDE`. @returns {LegalCommitment[]} */
function seedLegalCommitments() {
	/** @type {[string, number, string?][]} */
	const rows = [
		['EJ-0001', RECIPIENT_ID],
		['EJ-0002', RECIPIENT_ID],
		['EJ-SERV-0001', 25784152, 'SERVICE_EJ_OBL'],
		['EJ-OBL-0001', 25784153],
		['EJ-OBL-0002', 25784153],
		['EJ-OU-SERV-0001', 25784154],
		['EJ-ETAT-0001', 25784156, 'SERVICE_ETAT'],
		['EJ-ETAT-0002', 25784156, 'SERVICE_ETAT'],
	];
	return rows.map(([number, idStructureCPP, codeService], i) => ({
		idEngagementJuridique: 9100001 + i,
		numeroEngagementJuridique: number,
		idStructureCPP,
		etatCourantEngagementJuridique: 'COMMANDE',
		libelleEngagementJuridique: `Commande ${number}`,
		dateCreation: '2024-01-15',
		montantEngagementJuridique: 100000,
		codeDevise: 'EUR',
		...(codeService ? { codeService } : {}),
		identifiantFournisseur: '73442027438548',
	}));
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A fresh sandbox state (seed data, empty stores, clock with no offset).
 * @param {StateOptions} [options]
 * @returns {State}
 */
export function createState(options = {}) {
	const clock = createClock();
	const createdAt = clock.now();
	const structures = seedStructures(createdAt);
	const publicIds = structures
		.filter((s) => s.typeStructure === 'PUBLIQUE')
		.map((s) => s.idStructureCPP);
	// Key order matters: GET /__admin/state lists the stores in this order.
	return {
		createdAt,
		clock,
		config: {
			latencyMs: options.latencyMs ?? 0,
			fluxPollsToFinal: options.fluxPollsToFinal ?? 2,
			tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
			// Test knob: serve pages of at most this size whatever the client asks (null: as asked).
			pageSizeCap: null,
		},
		clients: pisteClients(),
		accounts: technicalAccounts(publicIds),
		structures,
		engagements: seedLegalCommitments(),
		tokens: new Map(),
		faults: [],
		requests: [],
		seq: {
			request: 0,
			idFacture: 8420000,
			numeroFluxDepot: 0,
			pieceJointeId: 6921000,
			histoStatutId: 8548000,
		},
		invoices: [],
		flux: [],
		piecesJointes: [],
	};
}

/** The sandbox clock: real time moved by `offsetMs` (admin hook `/__admin/clock`). @returns {Clock} */
function createClock() {
	return {
		offsetMs: 0,
		now() {
			return new Date(Date.now() + this.offsetMs);
		},
	};
}

/** The PISTE applications: one subscribed to every API group, one to all but factures. @returns {PisteClient[]} */
function pisteClients() {
	return [
		{
			clientId: DEMO_CREDENTIALS.clientId,
			clientSecret: DEMO_CREDENTIALS.clientSecret,
			groups: [...API_GROUPS],
		},
		{
			clientId: NO_FACTURES_CLIENT.clientId,
			clientSecret: NO_FACTURES_CLIENT.clientSecret,
			groups: API_GROUPS.filter((g) => g !== 'factures'),
		},
	];
}

/**
 * The technical accounts: the supplier's, attached to its structure, and the recipients', attached to every
 * public structure.
 * @param {number[]} publicIds @returns {TechnicalAccount[]}
 */
function technicalAccounts(publicIds) {
	return [
		{
			login: DEMO_CREDENTIALS.technicalLogin,
			password: TECH_PASSWORD,
			idUtilisateur: 336399,
			structureIds: [SUPPLIER_ID],
			nom: 'TECHNIQUE',
			prenom: 'Fournisseur',
			email: 'tech.fournisseur@cpro.example',
			roleUtilisateur: 'GESTIONNAIRE',
		},
		{
			login: RECIPIENT_CREDENTIALS.technicalLogin,
			password: TECH_PASSWORD,
			idUtilisateur: 336400,
			structureIds: publicIds,
			nom: 'TECHNIQUE',
			prenom: 'Destinataire',
			email: 'tech.destinataire@cpro.example',
			roleUtilisateur: 'GESTIONNAIRE',
		},
	];
}

/**
 * Next value of a named counter in `state.seq` (starts at `start` when the counter does not exist yet).
 * @param {State} state @param {string} name @param {number} [start]
 */
export function nextSeq(state, name, start = 0) {
	state.seq[name] = (state.seq[name] ?? start) + 1;
	return state.seq[name];
}

/** @param {State} state @param {number|string|null|undefined} id */
export function structureById(state, id) {
	const n = Number(id);
	return state.structures.find((s) => s.idStructureCPP === n);
}

/** @param {State} state @param {string|null|undefined} siret */
export function structureBySiret(state, siret) {
	const wanted = String(siret ?? '').trim();
	return state.structures.find((s) => s.identifiantStructure === wanted);
}

/** @param {State} state @param {string} login */
export function accountByLogin(state, login) {
	return state.accounts.find((a) => a.login === login);
}

/** @param {Structure} structure @param {string|null|undefined} code */
export function serviceByCode(structure, code) {
	return structure.services.find((service) => service.codeService === code);
}

/** @param {Structure} structure @param {number|string|null|undefined} id */
export function serviceById(structure, id) {
	const n = Number(id);
	return structure.services.find((service) => service.idService === n);
}
