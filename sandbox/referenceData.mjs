// @ts-check
/**
 * Reference lists of the transverses services (`transverses/v1/recuperer/*`, docs/chorus-pro-api.md §4) and
 * the rules that go with them. Entry keys are the API's. `TVA1` is the real VAT code seen live; the lists marked
 * illustrative were not found in any source.
 */

/** @type {{ codeTauxTva: string, libelleTauxTva: string, libelleTauxTvaEn: string, valeurTauxTva: number }[]} */
export const VAT_RATES = [
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
export const CURRENCIES = [
	{ codeDevise: 'EUR', libelleDevise: 'Euro européen', libelleDeviseEn: 'Euro' },
	{ codeDevise: 'USD', libelleDevise: 'Dollar des États-Unis', libelleDeviseEn: 'US Dollar' },
	{ codeDevise: 'GBP', libelleDevise: 'Livre sterling', libelleDeviseEn: 'Pound Sterling' },
	{ codeDevise: 'CHF', libelleDevise: 'Franc suisse', libelleDeviseEn: 'Swiss Franc' },
	{ codeDevise: 'XPF', libelleDevise: 'Franc CFP', libelleDeviseEn: 'CFP Franc' },
	{ codeDevise: 'JPY', libelleDevise: 'Yen', libelleDeviseEn: 'Yen' },
	{ codeDevise: 'CAD', libelleDevise: 'Dollar canadien', libelleDeviseEn: 'Canadian Dollar' },
];

/** @type {{ codePays: string, libellePays: string, libellePaysEn: string }[]} */
export const COUNTRIES = [
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

export const PAYMENT_MODES = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'];

export const DEPOSIT_MODES = [
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

/** Every cadre de facturation (billing frame) of docs/chorus-pro-api.md §4.5. */
export const BILLING_FRAMES = [
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
/** Billing frames that are not works invoicing (typeDemandePaiement FACTURE / MEMOIRE / TIC). */
export const NON_WORKS_BILLING_FRAMES = [
	'A1_FACTURE_FOURNISSEUR',
	'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'A3_MEMOIRE_JUSTICE',
	'A9_FACTURE_SOUSTRAITANT',
	'A12_FACTURE_COTRAITANT',
	'A21_DEMANDE_REMBOURSEMENT_TIC',
];

export const PAYMENT_REQUEST_TYPES = [
	'FACTURE',
	'FACTURE_TRAVAUX',
	'MEMOIRE_JUSTICE',
	'DEMANDE_REMBOURSEMENT_TIC',
];

/** Illustrative VAT exemption reasons (the real catalogue was not found). */
export const VAT_EXEMPTION_REASONS = [
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
export const ATTACHMENT_TYPES = [
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

export const FLUX_FORMATS = ['IN_DP_E1_STRUCT', 'IN_DP_E2_MIXTE', 'IN_DP_E2_FACTURX'];

/**
 * Statuses a recipient may set from a current status (recupererEtatsPossiblesPourTraitement and
 * traiterFactureRecue, docs/chorus-pro-api.md §4.2). Final statuses map to an empty list.
 * @type {Record<string, string[]>}
 */
export const PROCESSING_TRANSITIONS = {
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
