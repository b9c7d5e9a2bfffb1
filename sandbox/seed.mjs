// @ts-check
/**
 * Initial data set of the Chorus Pro sandbox: a qualification "matelas" (docs/chorus-pro-api.md §1.4 point 6)
 * with PISTE clients, technical accounts, structures, services, bank accounts, engagements juridiques and the
 * reference lists of the transverses services. `createState()` returns a fresh, independent state every time.
 *
 * The values are fictitious (matelas-like SIRETs); key names follow docs/chorus-pro-api.md and the sample
 * bodies of test/samples/.
 */

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
/** @typedef {{ idCoordonneeBancaire: number, nomCoordonneeBancaire: string, iban: string }} CoordonneeBancaire */
/**
 * @typedef {{ codeServiceDoitEtreRenseigne: boolean, numeroEJDoitEtreRenseigne: boolean, gestionNumeroEJOuCodeService: boolean,
 *   connexionEDI: boolean, recevoirDonneesViaEDI: boolean, estMoaUniquement: boolean, estValideurDelegue: boolean,
 *   getaMoa: boolean, nonDiffusibleInsee: boolean, statutMiseEnPaiementNestPasRemonte: boolean }} StructureParametres
 */
/**
 * @typedef {{ idStructureCPP: number, identifiantStructure: string, typeIdentifiantStructure: string,
 *   designationStructure: string, raisonSociale: string, role: string, typeStructure: 'PRIVEE'|'PUBLIQUE',
 *   statut: 'ACTIVE'|'INACTIVE', email: string, numeroTVA: string,
 *   adresse: { adresse: string, codePostal: string, ville: string, pays: string },
 *   parametres: StructureParametres, dateExpirationMotPasseCompteTech?: string,
 *   services: Service[], coordonneesBancaires?: CoordonneeBancaire[] }} Structure
 */
/**
 * @typedef {{ idEngagementJuridique: number, numeroEngagementJuridique: string, idStructureCPP: number,
 *   etatCourantEngagementJuridique: string, libelleEngagementJuridique: string, dateCreation: string,
 *   montantEngagementJuridique: number, codeDevise: string, codeService?: string, identifiantFournisseur?: string }} EngagementJuridique
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
 * The whole mutable state of one sandbox. Person B's stores (`invoices`, `flux`, `piecesJointes`) start empty
 * here so that a reset gives them back empty too; any module may add more keys.
 * @typedef {{ createdAt: Date, clock: Clock, config: Config, clients: PisteClient[], accounts: TechnicalAccount[],
 *   structures: Structure[], engagements: EngagementJuridique[], tokens: Map<string, TokenRecord>,
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
// Dates. Chorus Pro mixes formats (docs/chorus-pro-api.md §2.4); local times are Europe/Paris.

/** @type {Intl.DateTimeFormat | null} */
let parisFormat = null;
try {
	parisFormat = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Paris',
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
} catch {
	parisFormat = null; // no ICU time zone data: fall back to a fixed +01:00
}

/**
 * Wall-clock parts of a date in Europe/Paris, with the UTC offset in minutes.
 * @param {Date} date
 */
export function parisParts(date) {
	const ms = date.getTime();
	/** @type {Record<string, number>} */
	const p = {};
	if (parisFormat) {
		for (const part of parisFormat.formatToParts(date))
			if (part.type !== 'literal') p[part.type] = Number(part.value);
	} else {
		const d = new Date(ms + 3600_000);
		Object.assign(p, {
			year: d.getUTCFullYear(),
			month: d.getUTCMonth() + 1,
			day: d.getUTCDate(),
			hour: d.getUTCHours(),
			minute: d.getUTCMinutes(),
			second: d.getUTCSeconds(),
		});
	}
	const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	const offsetMinutes = Math.round((localAsUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
	return {
		year: p.year,
		month: p.month,
		day: p.day,
		hour: p.hour,
		minute: p.minute,
		second: p.second,
		millis: ((ms % 1000) + 1000) % 1000,
		offsetMinutes,
	};
}

/** @param {number} n @param {number} [w] */
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` (Paris local date). @param {Date} date */
export function formatDate(date) {
	const p = parisParts(date);
	return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYYY-MM-DD HH:mm` (Paris local time), e.g. histoStatutDatePassage, dateDbtService. @param {Date} date */
export function formatDateMinutes(date) {
	const p = parisParts(date);
	return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * ISO 8601 with the Paris offset: `2018-02-16T15:10:25.536+01:00` (millis) or `2016-12-28T08:31:19+01:00`.
 * @param {Date} date @param {boolean} [millis]
 */
export function formatIso(date, millis = true) {
	const p = parisParts(date);
	const sign = p.offsetMinutes < 0 ? '-' : '+';
	const off = Math.abs(p.offsetMinutes);
	return (
		`${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
		(millis ? `.${pad(p.millis, 3)}` : '') +
		`${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`
	);
}

/**
 * Parses a Paris wall-clock time `YYYY-MM-DD[ HH:mm[:ss]]` (also with `T`) into a Date. Returns null if invalid.
 * @param {string} text
 */
export function parseParisLocal(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(String(text));
	if (!m) return null;
	const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
	// Try the two Paris offsets and keep the one whose wall clock matches.
	for (const offset of [60, 120]) {
		const candidate = new Date(asUtc - offset * 60000);
		const p = parisParts(candidate);
		if (p.hour === h && p.day === d && p.minute === mi) return candidate;
	}
	return new Date(asUtc - 3600_000);
}

// ---------------------------------------------------------------------------------------------------------------
// Reference lists (transverses/recuperer/*). TVA1 is the real code seen live; the others are illustrative.

/** @type {{ codeTauxTva: string, libelleTauxTva: string, libelleTauxTvaEn: string, valeurTauxTva: number }[]} */
export const TAUX_TVA = [
	{
		codeTauxTva: 'TVA1',
		libelleTauxTva: 'Art 293B(FranchiseEnBase)',
		libelleTauxTvaEn: 'Art 293B(FranchiseEnBase)',
		valeurTauxTva: 0,
	},
	{
		codeTauxTva: 'TVA2',
		libelleTauxTva: 'Taux zéro',
		libelleTauxTvaEn: 'Zero rate',
		valeurTauxTva: 0,
	},
	{
		codeTauxTva: 'TVA3',
		libelleTauxTva: 'Taux particulier 2,1%',
		libelleTauxTvaEn: 'Special rate 2.1%',
		valeurTauxTva: 2.1,
	},
	{
		codeTauxTva: 'TVA4',
		libelleTauxTva: 'Taux réduit 5,5%',
		libelleTauxTvaEn: 'Reduced rate 5.5%',
		valeurTauxTva: 5.5,
	},
	{
		codeTauxTva: 'TVA5',
		libelleTauxTva: 'Taux intermédiaire 10%',
		libelleTauxTvaEn: 'Intermediate rate 10%',
		valeurTauxTva: 10,
	},
	{
		codeTauxTva: 'TVA6',
		libelleTauxTva: 'Taux normal 20%',
		libelleTauxTvaEn: 'Standard rate 20%',
		valeurTauxTva: 20,
	},
];

/** @type {{ codeDevise: string, libelleDevise: string, libelleDeviseEn: string }[]} */
export const DEVISES = [
	{ codeDevise: 'EUR', libelleDevise: 'Euro européen', libelleDeviseEn: 'Euro' },
	{ codeDevise: 'USD', libelleDevise: 'Dollar des États-Unis', libelleDeviseEn: 'US Dollar' },
	{ codeDevise: 'GBP', libelleDevise: 'Livre sterling', libelleDeviseEn: 'Pound Sterling' },
	{ codeDevise: 'CHF', libelleDevise: 'Franc suisse', libelleDeviseEn: 'Swiss Franc' },
	{ codeDevise: 'XPF', libelleDevise: 'Franc CFP', libelleDeviseEn: 'CFP Franc' },
	{ codeDevise: 'JPY', libelleDevise: 'Yen', libelleDeviseEn: 'Yen' },
	{ codeDevise: 'CAD', libelleDevise: 'Dollar canadien', libelleDeviseEn: 'Canadian Dollar' },
];

/** @type {{ codePays: string, libellePays: string, libellePaysEn: string }[]} */
export const PAYS = [
	['FR', 'France', 'France'],
	['DE', 'Allemagne', 'Germany'],
	['AT', 'Autriche', 'Austria'],
	['BE', 'Belgique', 'Belgium'],
	['BG', 'Bulgarie', 'Bulgaria'],
	['CY', 'Chypre', 'Cyprus'],
	['HR', 'Croatie', 'Croatia'],
	['DK', 'Danemark', 'Denmark'],
	['ES', 'Espagne', 'Spain'],
	['EE', 'Estonie', 'Estonia'],
	['FI', 'Finlande', 'Finland'],
	['GR', 'Grèce', 'Greece'],
	['HU', 'Hongrie', 'Hungary'],
	['IE', 'Irlande', 'Ireland'],
	['IT', 'Italie', 'Italy'],
	['LV', 'Lettonie', 'Latvia'],
	['LT', 'Lituanie', 'Lithuania'],
	['LU', 'Luxembourg', 'Luxembourg'],
	['MT', 'Malte', 'Malta'],
	['NL', 'Pays-Bas', 'Netherlands'],
	['PL', 'Pologne', 'Poland'],
	['PT', 'Portugal', 'Portugal'],
	['CZ', 'Tchéquie', 'Czechia'],
	['RO', 'Roumanie', 'Romania'],
	['SK', 'Slovaquie', 'Slovakia'],
	['SI', 'Slovénie', 'Slovenia'],
	['SE', 'Suède', 'Sweden'],
	['GB', 'Royaume-Uni', 'United Kingdom'],
	['CH', 'Suisse', 'Switzerland'],
	['MC', 'Monaco', 'Monaco'],
	['US', 'États-Unis', 'United States'],
	['NC', 'Nouvelle-Calédonie', 'New Caledonia'],
	['PF', 'Polynésie française', 'French Polynesia'],
].map(([codePays, libellePays, libellePaysEn]) => ({ codePays, libellePays, libellePaysEn }));

export const MODES_PAIEMENT = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'];

export const MODES_DEPOT = [
	'SAISIE_WEB',
	'PORTAIL_PDF',
	'EDI_XML_STRUCT',
	'EDI_MIXTE',
	'EDI_PDF_ARCHIVE',
	'SAISIE_PORTAIL',
	'SAISIE_API',
	'DEPOT_PDF_PORTAIL',
	'DEPOT_PDF_SIGNE_PORTAIL',
	'DEPOT_PDF_API',
	'DEPOT_PDF_SIGNE_API',
	'EDI',
	'UPLOAD_PORTAIL',
	'UPLOAD_API',
	'EDI_NUMERISATION',
];

/** All the cadres of docs/chorus-pro-api.md §4.5; `travaux` marks the works frames (facturesTravaux). */
export const CADRES_FACTURATION = [
	'A1_FACTURE_FOURNISSEUR',
	'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'A3_MEMOIRE_JUSTICE',
	'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR',
	'A5_ETAT_ACOMPTE_FOURNISSEUR',
	'A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR',
	'A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR',
	'A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR',
	'A9_FACTURE_SOUSTRAITANT',
	'A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT',
	'A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT',
	'A12_FACTURE_COTRAITANT',
	'A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT',
	'A14_PROJET_DECOMPTE_FINAL_COTRAITANT',
	'A15_ETAT_ACOMPTE_MOE',
	'A16_ETAT_ACOMPTE_VALIDE_MOE',
	'A17_PROJET_DECOMPTE_GENERAL_MOE',
	'A18_DECOMPTE_GENERAL_MOE',
	'A19_ETAT_ACOMPTE_VALIDE_MOA',
	'A20_DECOMPTE_GENERAL_MOA',
	'A21_DEMANDE_REMBOURSEMENT_TIC',
	'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE',
	'A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR',
	'A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE',
	'A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE',
];
/** Cadres that are not works invoicing (typeDemandePaiement FACTURE / MEMOIRE / TIC). */
export const CADRES_HORS_TRAVAUX = [
	'A1_FACTURE_FOURNISSEUR',
	'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'A3_MEMOIRE_JUSTICE',
	'A9_FACTURE_SOUSTRAITANT',
	'A12_FACTURE_COTRAITANT',
	'A21_DEMANDE_REMBOURSEMENT_TIC',
];

export const TYPES_DEMANDE_PAIEMENT = [
	'FACTURE',
	'FACTURE_TRAVAUX',
	'MEMOIRE_JUSTICE',
	'DEMANDE_REMBOURSEMENT_TIC',
];

/** Illustrative VAT exemption reasons (the real catalogue was not found). */
export const MOTIFS_EXONERATION_TVA = [
	{
		codeMotifExonerationTva: 'ART_261_CGI',
		libelleMotifExonerationTva: 'Exonération de TVA, article 261 du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_261_D_CGI',
		libelleMotifExonerationTva: 'Exonération de TVA, article 261 D du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_262_CGI',
		libelleMotifExonerationTva: 'Exonération de TVA, article 262 du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_262_TER_I_CGI',
		libelleMotifExonerationTva: 'Livraison intracommunautaire, article 262 ter I du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_275_CGI',
		libelleMotifExonerationTva: 'Achats en franchise, article 275 du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_283_CGI',
		libelleMotifExonerationTva: 'Autoliquidation, article 283 du CGI',
	},
	{
		codeMotifExonerationTva: 'ART_293_B_CGI',
		libelleMotifExonerationTva: 'TVA non applicable, article 293 B du CGI',
	},
];

/** Attachment types; `DIVERS` / 104 / "Pièce jointe standard" are the values of the official samples. */
export const TYPES_PIECE_JOINTE = [
	{
		idTypePieceJointe: 104,
		codeTypePieceJointe: 'DIVERS',
		libelleTypePieceJointe: 'Pièce jointe standard',
		libelleEn: 'Standard attachment',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 105,
		codeTypePieceJointe: 'BON_DE_COMMANDE',
		libelleTypePieceJointe: 'Bon de commande',
		libelleEn: 'Purchase order',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 106,
		codeTypePieceJointe: 'BON_DE_LIVRAISON',
		libelleTypePieceJointe: 'Bon de livraison',
		libelleEn: 'Delivery note',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 107,
		codeTypePieceJointe: 'DEVIS',
		libelleTypePieceJointe: 'Devis',
		libelleEn: 'Quotation',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 108,
		codeTypePieceJointe: 'CONTRAT',
		libelleTypePieceJointe: 'Contrat',
		libelleEn: 'Contract',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 109,
		codeTypePieceJointe: 'FACTURE',
		libelleTypePieceJointe: 'Facture',
		libelleEn: 'Invoice',
		typeObjet: 'FACTURE',
	},
	{
		idTypePieceJointe: 110,
		codeTypePieceJointe: 'ATTESTATION',
		libelleTypePieceJointe: 'Attestation',
		libelleEn: 'Certificate',
		typeObjet: 'STRUCTURE',
	},
	{
		idTypePieceJointe: 111,
		codeTypePieceJointe: 'RIB',
		libelleTypePieceJointe: "Relevé d'identité bancaire",
		libelleEn: 'Bank details',
		typeObjet: 'CB',
	},
	{
		idTypePieceJointe: 112,
		codeTypePieceJointe: 'DIVERS_UTILISATEUR',
		libelleTypePieceJointe: 'Pièce jointe du compte',
		libelleEn: 'Account attachment',
		typeObjet: 'UTILISATEUR',
	},
];

export const FORMATS_FLUX = ['IN_DP_E1_STRUCT', 'IN_DP_E2_MIXTE', 'IN_DP_E2_FACTURX'];

/**
 * Statuses a recipient may set from a current status (recupererEtatsPossiblesPourTraitement and
 * traiterFactureRecue, docs/chorus-pro-api.md §4.2). Final statuses map to an empty list.
 * @type {Record<string, string[]>}
 */
export const TRANSITIONS_TRAITEMENT = {
	MISE_A_DISPOSITION: [
		'A_RECYCLER',
		'REJETEE',
		'SUSPENDUE',
		'SERVICE_FAIT',
		'MANDATEE',
		'MISE_A_DISPOSITION_COMPTABLE',
		'COMPTABILISEE',
		'MISE_EN_PAIEMENT',
	],
	COMPLETEE: [
		'A_RECYCLER',
		'REJETEE',
		'SUSPENDUE',
		'SERVICE_FAIT',
		'MANDATEE',
		'MISE_A_DISPOSITION_COMPTABLE',
		'COMPTABILISEE',
		'MISE_EN_PAIEMENT',
	],
	SERVICE_FAIT: [
		'REJETEE',
		'SUSPENDUE',
		'MANDATEE',
		'MISE_A_DISPOSITION_COMPTABLE',
		'COMPTABILISEE',
		'MISE_EN_PAIEMENT',
	],
	MANDATEE: ['MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE', 'MISE_EN_PAIEMENT'],
	MISE_A_DISPOSITION_COMPTABLE: ['COMPTABILISEE', 'MISE_EN_PAIEMENT'],
	COMPTABILISEE: ['MISE_EN_PAIEMENT'],
	SUSPENDUE: ['REJETEE'],
	DEPOSEE: [],
	EN_COURS_ACHEMINEMENT: [],
	A_RECYCLER: [],
	REJETEE: [],
	MISE_EN_PAIEMENT: [],
};

// ---------------------------------------------------------------------------------------------------------------
// Structures.

/** @returns {StructureParametres} */
function parametres(/** @type {Partial<StructureParametres>} */ overrides = {}) {
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
 * @param {number} idService @param {string} codeService @param {string} libelleService
 * @param {Partial<Service>} [extra]
 * @returns {Service}
 */
function service(idService, codeService, libelleService, extra = {}) {
	return {
		idService,
		codeService,
		libelleService,
		estActif: true,
		dateDbtService: '2016-12-28 08:30',
		numeroEngagementObligatoire: false,
		miseEnPaiement: false,
		...extra,
	};
}

/** @param {number} idService */
const facturesPubliques = (idService) =>
	service(idService, 'FACTURES_PUBLIQUES', 'Service des factures publiques');

/**
 * @param {Partial<Structure> & { idStructureCPP: number, identifiantStructure: string, designationStructure: string }} s
 * @returns {Structure}
 */
function structure(s) {
	return {
		typeIdentifiantStructure: 'SIRET',
		raisonSociale: s.designationStructure,
		role: '',
		typeStructure: 'PUBLIQUE',
		statut: 'ACTIVE',
		email: '',
		numeroTVA: '',
		adresse: { adresse: '1 rue Test', codePostal: '75000', ville: 'Paris', pays: 'FR' },
		parametres: parametres(),
		services: [],
		...s,
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

/** @param {Date} createdAt @returns {Structure[]} */
function seedStructures(createdAt) {
	const expiry = new Date(createdAt.getTime() + 300 * 86400_000);
	/** @type {Structure[]} */
	const list = [
		structure({
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
		}),
		structure({
			idStructureCPP: RECIPIENT_ID,
			identifiantStructure: '00000000012887',
			designationStructure: 'TAA070DESTINATAIRE',
			role: 'Destinataire',
			adresse: { adresse: '1 rue Test', codePostal: '75000', ville: 'Paris', pays: 'FR' },
			services: [
				service(10136558, 'SERVICE_DESTINATAIRETAA070', 'SERVICE_DESTINATAIRETAA070'),
				facturesPubliques(10136557),
			],
		}),
		structure({
			idStructureCPP: 25784152,
			identifiantStructure: '12345678200028',
			designationStructure: 'Destinataire avec service obligatoire',
			role: 'Destinataire avec service obligatoire',
			parametres: parametres({ codeServiceDoitEtreRenseigne: true }),
			adresse: { adresse: '2 rue Test', codePostal: '75002', ville: 'Paris', pays: 'FR' },
			services: [
				facturesPubliques(10136600),
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
			parametres: parametres({ numeroEJDoitEtreRenseigne: true }),
			adresse: { adresse: '3 rue Test', codePostal: '75003', ville: 'Paris', pays: 'FR' },
			services: [
				facturesPubliques(10136610),
				service(10136611, 'SERVICE_DEST_EJ_OBL', 'Service destinataire (EJ obligatoire)'),
			],
		}),
		structure({
			idStructureCPP: 25784154,
			identifiantStructure: '12345678200044',
			designationStructure: 'Destinataire avec EJ ou service obligatoire',
			role: 'Destinataire avec EJ ou service obligatoire',
			parametres: parametres({ gestionNumeroEJOuCodeService: true }),
			adresse: { adresse: '4 rue Test', codePostal: '75004', ville: 'Paris', pays: 'FR' },
			services: [
				facturesPubliques(10136620),
				service(10136621, 'SERVICE_DEST_EJ_OU_SERV', 'Service destinataire (EJ ou service)'),
			],
		}),
		structure({
			idStructureCPP: 25784155,
			identifiantStructure: '12345678200051',
			designationStructure: 'Destinataire sans paramètre',
			role: 'Destinataire sans paramètre',
			adresse: { adresse: '5 rue Test', codePostal: '75005', ville: 'Paris', pays: 'FR' },
			services: [facturesPubliques(10136630)],
		}),
		structure({
			idStructureCPP: 25784156,
			identifiantStructure: '12345678200069',
			designationStructure: 'Destinataire Etat',
			role: 'Destinataire Etat',
			parametres: parametres({
				codeServiceDoitEtreRenseigne: true,
				numeroEJDoitEtreRenseigne: true,
			}),
			adresse: { adresse: '139 rue de Bercy', codePostal: '75012', ville: 'Paris', pays: 'FR' },
			services: [
				facturesPubliques(10136640),
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
			services: [facturesPubliques(10136650)],
		}),
	];
	TOWNS.forEach(([ville, codePostal], i) => {
		const hospital = i % 3 === 2;
		const de = /^[AEIOUÉ]/.test(ville) ? "d'" : 'de ';
		const designation = hospital ? `Centre hospitalier ${de}${ville}` : `Commune ${de}${ville}`;
		list.push(
			structure({
				idStructureCPP: 25790001 + i,
				identifiantStructure: `2100000000${pad(i + 1, 4)}`,
				designationStructure: designation,
				role: 'Destinataire',
				adresse: {
					adresse: hospital ? "1 avenue de l'Hôpital" : '1 place de la Mairie',
					codePostal,
					ville,
					pays: 'FR',
				},
				services: [facturesPubliques(10200000 + i * 10)],
			}),
		);
	});
	return list;
}

/** @returns {EngagementJuridique[]} */
function seedEngagements() {
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
	return rows.map(([numero, idStructureCPP, codeService], i) => ({
		idEngagementJuridique: 9100001 + i,
		numeroEngagementJuridique: numero,
		idStructureCPP,
		etatCourantEngagementJuridique: 'COMMANDE',
		libelleEngagementJuridique: `Commande ${numero}`,
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
	/** @type {Clock} */
	const clock = {
		offsetMs: 0,
		now() {
			return new Date(Date.now() + this.offsetMs);
		},
	};
	const createdAt = clock.now();
	const structures = seedStructures(createdAt);
	const publicIds = structures
		.filter((s) => s.typeStructure === 'PUBLIQUE')
		.map((s) => s.idStructureCPP);
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
		clients: [
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
		],
		accounts: [
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
		],
		structures,
		engagements: seedEngagements(),
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
	const v = String(siret ?? '').trim();
	return state.structures.find((s) => s.identifiantStructure === v);
}

/** @param {State} state @param {string} login */
export function accountByLogin(state, login) {
	return state.accounts.find((a) => a.login === login);
}

/** @param {Structure} s @param {string|null|undefined} code */
export function serviceByCode(s, code) {
	return s.services.find((x) => x.codeService === code);
}

/** @param {Structure} s @param {number|string|null|undefined} id */
export function serviceById(s, id) {
	const n = Number(id);
	return s.services.find((x) => x.idService === n);
}

/**
 * The active engagements juridiques of a recipient structure with that number.
 * @param {State} state @param {number} idStructureCPP @param {string} numero
 */
export function engagementFor(state, idStructureCPP, numero) {
	return state.engagements.find(
		(e) => e.idStructureCPP === idStructureCPP && e.numeroEngagementJuridique === numero,
	);
}
