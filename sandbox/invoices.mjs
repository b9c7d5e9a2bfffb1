// @ts-check
/**
 * Invoice store and lifecycle (docs/chorus-pro-api.md §4.2): creation, status changes with history, visibility
 * per side (supplier / recipient), the recipient routing checks shared by deposer/flux, soumettre and recycler,
 * the JSON views of the factures services, generated PDF / ZIP / pivot downloads, and the invoice admin hooks.
 *
 * Invoices live in `state.invoices` (an array, reset with the state); an index by id and by supplier + number
 * is kept beside it in a WeakMap keyed by that array.
 */
import { createHash } from 'node:crypto';
import {
	formatDate,
	formatDateMinutes,
	formatIso,
	parseParisLocal,
	nextSeq,
	structureById,
	structureBySiret,
	serviceByCode,
	SUPPLIER_ID,
	RECIPIENT_ID,
} from './seed.mjs';
import { makePdf, makeZip } from './fixtures.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').Structure} Structure */
/** @typedef {import('./seed.mjs').Service} Service */
/** @typedef {import('./seed.mjs').TechnicalAccount} TechnicalAccount */
/** @typedef {import('./server.mjs').Ctx} Ctx */
/** @typedef {import('./server.mjs').Reply} Reply */

/**
 * @typedef {object} HistoEntry
 * @property {number} histoStatutId
 * @property {string} histoStatutCode
 * @property {number} at epoch ms
 * @property {string} histoStatutDatePassage `YYYY-MM-DD HH:mm` (Paris)
 * @property {string|null} histoStatutCommentaire
 */
/**
 * @typedef {{ pieceJointeId: number, designation: string, type: string|null, nom: string, extension: string }} PieceJointeRef
 */
/**
 * Internal invoice record (not an API shape; the views below build those).
 * @typedef {object} Invoice
 * @property {number} idFacture = identifiantFactureCPP
 * @property {string} numeroFacture
 * @property {'FACTURE'|'AVOIR'} typeFacture
 * @property {string} typeDemandePaiement
 * @property {string} modeDepot
 * @property {string|null} numeroFluxDepot
 * @property {string} cadreFacturation
 * @property {string|null} codeStructureValideur
 * @property {string|null} codeServiceValideur
 * @property {{ id: number, siret: string, typeIdentifiant: string, designation: string, idService: number|null, codeService: string|null, nomService: string|null, idCoordonneeBancaire: number|null }} fournisseur
 * @property {{ id: number, siret: string, designation: string, idService: number|null, codeService: string|null, nomService: string|null }} destinataire
 * @property {string} dateFacture `YYYY-MM-DD`
 * @property {string} dateDepot `YYYY-MM-DD`
 * @property {number} depositAt epoch ms
 * @property {string|null} dateEcheancePaiement
 * @property {string} devise
 * @property {string|null} typeTva
 * @property {string|null} modePaiement
 * @property {string|null} motifExonerationTva
 * @property {string|null} numeroBonCommande
 * @property {string|null} numeroMarche
 * @property {string|null} numeroFactureOrigine
 * @property {number} montantHT
 * @property {number} montantTVA
 * @property {number} montantTTC
 * @property {number} montantAPayer
 * @property {number|null} montantRemiseGlobaleTTC
 * @property {string|null} motifRemiseGlobaleTTC
 * @property {Record<string, any>[]} lignes lignePoste items (API key names)
 * @property {Record<string, any>[]} lignesTva ligneTva items (API key names)
 * @property {PieceJointeRef[]} piecesJointesPrincipales
 * @property {PieceJointeRef[]} piecesJointesComplementaires
 * @property {string|null} commentaire
 * @property {string} statut
 * @property {number} etatAt epoch ms of the current status
 * @property {string} dateHeureEtatCourant ISO with millis and Paris offset
 * @property {string|null} commentaireEtatCourant
 * @property {HistoEntry[]} histo oldest first
 * @property {boolean} factureTelechargeeParDestinataire
 * @property {boolean} rejetTraite
 * @property {string|null} numeroDPMandat
 * @property {{ nomFichier: string, kind: 'xml'|'pdf', data: Buffer }|null} source original deposited document
 * @property {number|null} idUtilisateurCreateur
 */

/** Every invoice status of docs/chorus-pro-api.md §4.2. */
export const STATUTS = [
	'BROUILLON',
	'A_VALIDER_1',
	'ERREUR_FOURNISSEUR_SUR_VALIDEUR',
	'REFUSEE_1',
	'VALIDEE_1',
	'ABSENCE_VALIDATION_1_HORS_DELAI',
	'A_VALIDER_2',
	'ERREUR_COTRAITANT_SUR_VALIDEUR',
	'REFUSEE_2',
	'VALIDEE_2',
	'ABSENCE_VALIDATION_2_HORS_DELAI',
	'DEPOSEE',
	'ERREUR_FOURNISSEUR_SUR_MOE',
	'EN_COURS_ACHEMINEMENT',
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'SUSPENDUE',
	'REJETEE',
	'MANDATEE',
	'MISE_EN_PAIEMENT',
	'COMPTABILISEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'ABANDONNEE',
	'SUPPRIMEE',
	'ASSOCIEE',
	'EN_COURS_TRAITEMENT_PIVOT_S',
	'A_VALIDER_MOE',
	'REFUSEE_MOE',
	'EN_ATTENTE_RECYCLAGE_FOURNISSEUR',
	'ERREUR_MOE_SUR_FOURNISSEUR',
	'ERREUR_MOA_SUR_FOURNISSEUR',
	'INTERPRETEE_OCR',
	'COMPLETEE',
	'ERREUR_FOURNISSEUR_SUR_MOA',
	'ERREUR_MOE_SUR_MOA',
	'ERREUR_DESTINATAIRE_PD',
	'ERREUR_DESTINATAIRE_EA',
	'SERVICE_FAIT',
	'NON_CONFORME',
	'A_ASSOCIER_MOE',
	'ERREUR_DE_MOE',
	'MISE_A_DISPOSITION_MOE',
	'PRISE_EN_COMPTE_MOE',
	'A_ASSOCIER_MOA',
	'ERREUR_DE_MOA',
	'REFUSEE_MOA',
	'A_ASSOCIER_FOURNISSEUR',
	'REFUSEE_FOURNISSEUR',
	'A_COMPLETER',
	'TRANSMISE_MOA',
	'PRISE_EN_COMPTE_DESTINATAIRE',
	'REMPLACEE_PAR_A22',
	'DUPLIQUE_APRES_REFUS',
	'MISE_A_DISPOSITION_MOA',
	'PRISE_EN_COMPTE_MOA',
	'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE',
	'TECHNIQUE_INCONNU',
];

/** Normal supplier-side path of a plain invoice (admin "advance"). */
export const NORMAL_PATH = [
	'DEPOSEE',
	'EN_COURS_ACHEMINEMENT',
	'MISE_A_DISPOSITION',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_EN_PAIEMENT',
];
/** @type {Record<string, string>} */
const NEXT_STATUS = {
	DEPOSEE: 'EN_COURS_ACHEMINEMENT',
	EN_COURS_ACHEMINEMENT: 'MISE_A_DISPOSITION',
	MISE_A_DISPOSITION: 'SERVICE_FAIT',
	COMPLETEE: 'MISE_A_DISPOSITION',
	SERVICE_FAIT: 'MANDATEE',
	MANDATEE: 'MISE_EN_PAIEMENT',
	MISE_A_DISPOSITION_COMPTABLE: 'COMPTABILISEE',
	COMPTABILISEE: 'MISE_EN_PAIEMENT',
};

/** Statuses in which the recipient sees an invoice (from MISE_A_DISPOSITION on). */
export const RECIPIENT_VISIBLE = new Set([
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'SUSPENDUE',
	'COMPLETEE',
	'REJETEE',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'COMPTABILISEE',
	'MISE_EN_PAIEMENT',
	'PRISE_EN_COMPTE_DESTINATAIRE',
]);

// ---------------------------------------------------------------------------------------------------------------
// Store

/** @type {WeakMap<any[], { byId: Map<number, Invoice>, byNumero: Map<string, Invoice> }>} */
const indexes = new WeakMap();

/** @param {State} state */
function index(state) {
	let idx = indexes.get(state.invoices);
	if (!idx) {
		idx = { byId: new Map(), byNumero: new Map() };
		for (const inv of state.invoices) {
			idx.byId.set(inv.idFacture, inv);
			idx.byNumero.set(numeroKey(inv.fournisseur.id, inv.numeroFacture), inv);
		}
		indexes.set(state.invoices, idx);
	}
	return idx;
}

/** @param {number} idFournisseur @param {string} numero */
const numeroKey = (idFournisseur, numero) =>
	`${idFournisseur}|${String(numero).trim().toUpperCase()}`;

/** @param {State} state @param {any} id @returns {Invoice|undefined} */
export function findInvoice(state, id) {
	const n = typeof id === 'string' && /^\d+$/.test(id.trim()) ? Number(id) : id;
	return typeof n === 'number' ? index(state).byId.get(n) : undefined;
}

/** Is this invoice number already used by this supplier? @param {State} state @param {number} idFournisseur @param {string} numero */
export function isDuplicate(state, idFournisseur, numero) {
	return index(state).byNumero.has(numeroKey(idFournisseur, numero));
}

/** @param {TechnicalAccount} account @param {Invoice} inv */
export const isSupplierOf = (account, inv) => account.structureIds.includes(inv.fournisseur.id);
/** @param {TechnicalAccount} account @param {Invoice} inv */
export const isRecipientOf = (account, inv) =>
	account.structureIds.includes(inv.destinataire.id) && RECIPIENT_VISIBLE.has(inv.statut);

/**
 * Data needed to create an invoice; missing optional fields default to null / sensible values.
 * @typedef {Partial<Omit<Invoice, 'fournisseur'|'destinataire'>> & {
 *   numeroFacture: string, fournisseur: Invoice['fournisseur'], destinataire: Invoice['destinataire'] }} NewInvoice
 */

/**
 * Creates an invoice `DEPOSEE` (or `statut`) at `now`, with its first history entry.
 * @param {State} state @param {NewInvoice} data @param {Date} now
 * @param {{ commentaire?: string|null }} [options]
 * @returns {Invoice}
 */
export function createInvoice(state, data, now, options = {}) {
	const at = data.depositAt ?? now.getTime();
	const when = new Date(at);
	/** @type {Invoice} */
	const inv = {
		idFacture: nextSeq(state, 'idFacture', 8420000),
		typeFacture: 'FACTURE',
		typeDemandePaiement: 'FACTURE',
		modeDepot: 'SAISIE_API',
		numeroFluxDepot: null,
		cadreFacturation: 'A1_FACTURE_FOURNISSEUR',
		codeStructureValideur: null,
		codeServiceValideur: null,
		dateFacture: formatDate(when),
		dateDepot: formatDate(when),
		dateEcheancePaiement: null,
		devise: 'EUR',
		typeTva: null,
		modePaiement: null,
		motifExonerationTva: null,
		numeroBonCommande: null,
		numeroMarche: null,
		numeroFactureOrigine: null,
		montantHT: 0,
		montantTVA: 0,
		montantTTC: 0,
		montantAPayer: 0,
		montantRemiseGlobaleTTC: null,
		motifRemiseGlobaleTTC: null,
		lignes: [],
		lignesTva: [],
		piecesJointesPrincipales: [],
		piecesJointesComplementaires: [],
		commentaire: null,
		factureTelechargeeParDestinataire: false,
		rejetTraite: false,
		numeroDPMandat: null,
		source: null,
		idUtilisateurCreateur: null,
		...data,
		depositAt: at,
		statut: 'DEPOSEE',
		etatAt: at,
		dateHeureEtatCourant: '',
		commentaireEtatCourant: null,
		histo: [],
	};
	addHisto(state, inv, data.statut ?? 'DEPOSEE', when, options.commentaire ?? null);
	state.invoices.push(inv);
	const idx = index(state);
	idx.byId.set(inv.idFacture, inv);
	idx.byNumero.set(numeroKey(inv.fournisseur.id, inv.numeroFacture), inv);
	return inv;
}

/**
 * @param {State} state @param {Invoice} inv @param {string} statut @param {Date} when @param {string|null} commentaire
 * @param {string} [iso] preformatted dateHeureEtatCourant @param {string} [minutes] preformatted date passage
 */
function addHisto(state, inv, statut, when, commentaire, iso, minutes) {
	inv.statut = statut;
	inv.etatAt = when.getTime();
	inv.dateHeureEtatCourant = iso ?? formatIso(when);
	inv.commentaireEtatCourant = commentaire;
	inv.histo.push({
		histoStatutId: nextSeq(state, 'histoStatutId', 8548000),
		histoStatutCode: statut,
		at: inv.etatAt,
		histoStatutDatePassage: minutes ?? formatDateMinutes(when),
		histoStatutCommentaire: commentaire,
	});
}

/**
 * Changes the status of an invoice (no transition check: callers check what they must), recording history.
 * @param {State} state @param {Invoice} inv @param {string} statut @param {Date} now @param {string|null} [commentaire]
 */
export function setStatus(state, inv, statut, now, commentaire = null) {
	addHisto(state, inv, statut, now, commentaire);
}

// ---------------------------------------------------------------------------------------------------------------
// Recipient routing checks (shared by deposer/flux, soumettre, recycler)

/**
 * @typedef {{ ok: true, destinataire: Structure, service: Service|null }
 *   | { ok: false, kind: 'destinataire'|'service'|'ej', message: string }} RoutingCheck
 */

/**
 * Checks a recipient SIRET, service code and EJ number against the recipient's parameters
 * (docs/chorus-pro-api.md §3.3: codeServiceDoitEtreRenseigne, numeroEJDoitEtreRenseigne,
 * gestionNumeroEJOuCodeService, and the service's own numeroEngagementObligatoire).
 * @param {State} state
 * @param {{ siret: string|null|undefined, codeService: string|null|undefined, numeroEJ: string|null|undefined }} r
 * @param {{ destinataire?: string, service?: string, engagement?: string }} [balises] element paths for the messages
 * @returns {RoutingCheck}
 */
export function checkRouting(state, r, balises = {}) {
	const b = (/** @type {string|undefined} */ x) => (x ? ` (balise : ${x})` : '');
	const siret = r.siret == null ? '' : String(r.siret).trim();
	const dest = siret ? structureBySiret(state, siret) : undefined;
	if (!siret) {
		return {
			ok: false,
			kind: 'destinataire',
			message: `L'identifiant destinataire de la demande de paiement${b(balises.destinataire)} est obligatoire.`,
		};
	}
	if (!dest || dest.typeStructure !== 'PUBLIQUE') {
		return {
			ok: false,
			kind: 'destinataire',
			message: `L'identifiant destinataire de la demande de paiement${b(balises.destinataire)} n'est pas reference dans notre systeme. `,
		};
	}
	if (dest.statut !== 'ACTIVE') {
		return {
			ok: false,
			kind: 'destinataire',
			message: `Le destinataire ${siret} de la demande de paiement n'est pas actif.`,
		};
	}
	const code =
		r.codeService == null || String(r.codeService).trim() === ''
			? null
			: String(r.codeService).trim();
	const ej =
		r.numeroEJ == null || String(r.numeroEJ).trim() === '' ? null : String(r.numeroEJ).trim();
	const p = dest.parametres;
	/** @type {Service|null} */
	let service = null;
	if (code) {
		const s = serviceByCode(dest, code);
		if (!s)
			return {
				ok: false,
				kind: 'service',
				message: `Le code service ${code}${b(balises.service)} n'existe pas pour le destinataire ${siret}.`,
			};
		if (!s.estActif)
			return {
				ok: false,
				kind: 'service',
				message: `Le service ${code} du destinataire ${siret} n'est pas actif.`,
			};
		service = s;
	}
	if (p.gestionNumeroEJOuCodeService && !code && !ej) {
		return {
			ok: false,
			kind: 'service',
			message: `Le code service ou le numéro d'engagement juridique doit être renseigné pour le destinataire ${siret}.`,
		};
	}
	if (p.codeServiceDoitEtreRenseigne && !code) {
		return {
			ok: false,
			kind: 'service',
			message: `Le code service${b(balises.service)} est obligatoire pour le destinataire ${siret}.`,
		};
	}
	if (p.numeroEJDoitEtreRenseigne && !ej) {
		return {
			ok: false,
			kind: 'ej',
			message: `Le numéro d'engagement juridique${b(balises.engagement)} est obligatoire pour le destinataire ${siret}.`,
		};
	}
	if (service && service.numeroEngagementObligatoire && !ej) {
		return {
			ok: false,
			kind: 'ej',
			message: `Le numéro d'engagement juridique${b(balises.engagement)} est obligatoire pour le service ${code} du destinataire ${siret}.`,
		};
	}
	return { ok: true, destinataire: dest, service };
}

/**
 * The `destinataire` part of an invoice record.
 * @param {Structure} dest @param {Service|null} service @returns {Invoice['destinataire']}
 */
export function destinataireOf(dest, service) {
	return {
		id: dest.idStructureCPP,
		siret: dest.identifiantStructure,
		designation: dest.designationStructure,
		idService: service ? service.idService : null,
		codeService: service ? service.codeService : null,
		nomService: service ? service.libelleService : null,
	};
}

/**
 * The `fournisseur` part of an invoice record.
 * @param {Structure} s @param {Service|null|undefined} [service] @param {number|null} [idCoordonneeBancaire]
 * @returns {Invoice['fournisseur']}
 */
export function fournisseurOf(s, service, idCoordonneeBancaire = null) {
	return {
		id: s.idStructureCPP,
		siret: s.identifiantStructure,
		typeIdentifiant: s.typeIdentifiantStructure,
		designation: s.designationStructure,
		idService: service ? service.idService : null,
		codeService: service ? service.codeService : null,
		nomService: service ? service.libelleService : null,
		idCoordonneeBancaire,
	};
}

/** Base64 SHA-256 "deposit certificate" digest of an invoice. @param {Invoice} inv */
export function empreinte(inv) {
	return createHash('sha256')
		.update(
			`${inv.idFacture}|${inv.numeroFacture}|${inv.fournisseur.siret}|${inv.destinataire.siret}|${inv.dateDepot}|${inv.montantTTC}`,
		)
		.digest('base64');
}

// ---------------------------------------------------------------------------------------------------------------
// Views (API shapes)

/**
 * Keys shared by the items of rechercher/fournisseur and rechercher/recipiendaire, in the order both answers
 * give them (spread in the middle of each item, so the key order of the answers is unchanged).
 * @param {Invoice} inv
 */
function searchItemCommon(inv) {
	return {
		dateDepot: inv.dateDepot,
		dateFacture: inv.dateFacture,
		dateHeureEtatCourant: inv.dateHeureEtatCourant,
		codeDestinataire: inv.destinataire.siret,
		designationDestinataire: inv.destinataire.designation,
		idDestinataire: inv.destinataire.id,
		codeServiceExecutant: inv.destinataire.codeService,
		idServiceExecutant: inv.destinataire.idService,
		nomServiceExecutant: inv.destinataire.nomService,
		codeFournisseur: inv.fournisseur.siret,
		designationFournisseur: inv.fournisseur.designation,
		typeIdentifiantFournisseur: inv.fournisseur.typeIdentifiant,
		codeServiceFournisseur: inv.fournisseur.codeService,
		nomServiceFournisseur: inv.fournisseur.nomService,
		montantHT: inv.montantHT,
		montantTTC: inv.montantTTC,
		montantAPayer: inv.montantAPayer,
		devise: inv.devise,
	};
}

/**
 * Item of rechercher/fournisseur `listeFactures` (keys of test/samples/factures-rechercher-fournisseur.response.json
 * + docs/chorus-pro-api.md §3.1).
 * @param {Invoice} inv
 */
export function supplierItem(inv) {
	return {
		identifiantFactureCPP: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		numeroFluxDepot: inv.numeroFluxDepot,
		statut: inv.statut,
		typeFacture: inv.typeFacture,
		typeDemandePaiement: inv.typeDemandePaiement,
		...searchItemCommon(inv),
		modeDepot: inv.modeDepot,
		numeroBonCommande: inv.numeroBonCommande,
		numeroMarche: inv.numeroMarche,
		numeroFactureOrigine: inv.numeroFactureOrigine,
		commentaireEtatCourant: inv.commentaireEtatCourant,
		rejetTraite: inv.rejetTraite,
	};
}

/** Item of rechercher/recipiendaire `listeFactures` (keyed `idFacture`). @param {Invoice} inv */
export function recipientItem(inv) {
	return {
		idFacture: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		statut: inv.statut,
		typeDemandePaiement: inv.typeDemandePaiement,
		typeFacture: inv.typeFacture,
		typeFactureTravaux: null,
		...searchItemCommon(inv),
		numeroBonCommande: inv.numeroBonCommande,
		numeroMarche: inv.numeroMarche,
		factureTelechargeeParDestinataire: inv.factureTelechargeeParDestinataire,
	};
}

/** @param {PieceJointeRef} p @param {'PRINCIPALE'|'COMPLEMENTAIRE'} nature */
const pieceJointeView = (p, nature) => ({
	pieceJointeId: p.pieceJointeId,
	pieceJointeDesignation: p.designation,
	pieceJointeNom: p.nom,
	pieceJointeExtension: p.extension,
	pieceJointeType: p.type,
	pieceJointeNature: nature,
});

/**
 * `facture` object of consulter/fournisseur and consulter/recipiendaire
 * (test/samples/factures-consulter-fournisseur.response.minimal.json + the sub-objects docs/chorus-pro-api.md
 * §3.1 lists).
 * @param {Invoice} inv
 */
export function factureDetail(inv) {
	return {
		identifiantFactureCPP: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		statutFacture: inv.statut,
		modeDepot: inv.modeDepot,
		numeroFluxDepot: inv.numeroFluxDepot,
		commentaire: inv.commentaire,
		destinataire: {
			codeDestinataire: inv.destinataire.siret,
			codeServiceExecutant: inv.destinataire.codeService,
			idDestinataire: inv.destinataire.id,
			libelleDestinataire: inv.destinataire.designation,
			idServiceExecutant: inv.destinataire.idService,
			libelleServiceExecutant: inv.destinataire.nomService,
		},
		fournisseur: {
			idFournisseur: inv.fournisseur.id,
			codeFournisseur: inv.fournisseur.siret,
			typeIdentifiantFournisseur: inv.fournisseur.typeIdentifiant,
			raisonSocialeFournisseur: inv.fournisseur.designation,
			idServiceFournisseur: inv.fournisseur.idService,
			codeServiceFournisseur: inv.fournisseur.codeService,
			codeCoordonneesBancairesFournisseur: inv.fournisseur.idCoordonneeBancaire,
		},
		cadreDeFacturation: {
			codeCadreFacturation: inv.cadreFacturation,
			codeStructureValideur: inv.codeStructureValideur,
			codeServiceValideur: inv.codeServiceValideur,
		},
		references: {
			codeDeviseFacture: inv.devise,
			dateFacture: inv.dateFacture,
			dateDepot: inv.dateDepot,
			dateEcheancePaiement: inv.dateEcheancePaiement,
			typeFacture: inv.typeFacture,
			typeTva: inv.typeTva,
			modePaiement: inv.modePaiement,
			motifExonerationTva: inv.motifExonerationTva,
			numeroBonCommande: inv.numeroBonCommande,
			numeroMarche: inv.numeroMarche,
			numeroFactureOrigine: inv.numeroFactureOrigine,
			numeroDpMandat: inv.numeroDPMandat,
		},
		montantTotal: {
			montantHtTotal: inv.montantHT,
			montantTVA: inv.montantTVA,
			montantTtcTotal: inv.montantTTC,
			montantRemiseGlobaleTTC: inv.montantRemiseGlobaleTTC,
			motifRemiseGlobaleTTC: inv.motifRemiseGlobaleTTC,
			montantAPayer: inv.montantAPayer,
		},
		lignesDePoste: { lignePoste: inv.lignes },
		recapitulatifDeTva: { ligneTva: inv.lignesTva },
		listeDesPiecesJointes: {
			pieceJointe: [
				...inv.piecesJointesPrincipales.map((p) => pieceJointeView(p, 'PRINCIPALE')),
				...inv.piecesJointesComplementaires.map((p) => pieceJointeView(p, 'COMPLEMENTAIRE')),
			],
		},
	};
}

/**
 * Body of consulter/historique (test/samples/factures-consulter-historique.response.json): newest status first.
 * @param {Invoice} inv @param {number} [max] nbResultatsMaximum
 */
export function historiqueBody(inv, max) {
	const list = [...inv.histo]
		.reverse()
		.slice(0, max && max > 0 ? max : undefined)
		.map((h) => ({
			histoStatutCode: h.histoStatutCode,
			histoStatutDatePassage: h.histoStatutDatePassage,
			histoStatutId: h.histoStatutId,
			...(h.histoStatutCommentaire ? { histoStatutCommentaire: h.histoStatutCommentaire } : {}),
		}));
	return {
		historiquesDesStatuts: { histoStatut: list },
		idFacture: inv.idFacture,
		modeDepot: inv.modeDepot,
		numeroFacture: inv.numeroFacture,
		statutCourantCode: inv.statut,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Downloads

/** @param {number} n */
const money = (n) => (Math.round(n * 100) / 100).toFixed(2);

/** File-system friendly version of an invoice number. @param {string} s */
const safeName = (s) => String(s).replace(/[^\w.+-]+/g, '_');

/**
 * The PDF of an invoice: the deposited PDF when there is one (Factur-X flux, DEPOT_PDF_API main attachment),
 * otherwise a generated one-page rendering.
 * @param {State} state @param {Invoice} inv @returns {Buffer}
 */
export function invoicePdf(state, inv) {
	if (inv.source && inv.source.kind === 'pdf') return inv.source.data;
	for (const ref of inv.piecesJointesPrincipales) {
		const pj = state.piecesJointes.find((p) => p.pieceJointeId === ref.pieceJointeId);
		if (pj && pj.data && pj.data.subarray(0, 5).toString('latin1') === '%PDF-') return pj.data;
	}
	return makePdf(
		[
			`${inv.typeFacture === 'AVOIR' ? 'Avoir' : 'Facture'} N\xb0 ${inv.numeroFacture}`,
			`Date : ${inv.dateFacture}`,
			`Fournisseur : ${inv.fournisseur.designation} - SIRET fournisseur : ${inv.fournisseur.siret}`,
			`Destinataire : ${inv.destinataire.designation} - SIRET destinataire : ${inv.destinataire.siret}`,
			...(inv.destinataire.codeService ? [`Code service : ${inv.destinataire.codeService}`] : []),
			...(inv.numeroBonCommande ? [`Engagement juridique : ${inv.numeroBonCommande}`] : []),
			'',
			...inv.lignes.map(
				(l) =>
					`${l.lignePosteNumero}. ${l.lignePosteDenomination ?? ''} - ${l.lignePosteQuantite ?? 1} x ${money(l.lignePosteMontantUnitaireHT ?? 0)}`,
			),
			'',
			`Total HT : ${money(inv.montantHT)}`,
			`Total TVA : ${money(inv.montantTVA)}`,
			`Total TTC : ${money(inv.montantTTC)}`,
			`Net a payer : ${money(inv.montantAPayer)}`,
			`Devise : ${inv.devise}`,
			'',
			`Identifiant Chorus Pro : ${inv.idFacture} - Statut : ${inv.statut}`,
		].join('\n'),
	);
}

/** @param {any} v */
const x = (v) =>
	String(v ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');

/**
 * A "flux pivot" XML holding the invoices and their attachments (base64). The real pivot schema was not found
 * (docs/chorus-pro-api.md §7): element names here are illustrative.
 * @param {State} state @param {Invoice[]} list @returns {string}
 */
export function pivotXml(state, list) {
	const units = list.map((inv) => {
		const pjs = [...inv.piecesJointesPrincipales, ...inv.piecesJointesComplementaires]
			.map((ref) => state.piecesJointes.find((p) => p.pieceJointeId === ref.pieceJointeId))
			.filter(Boolean);
		const attachments = [
			...(inv.source ? [{ nom: inv.source.nomFichier, data: inv.source.data }] : []),
			...pjs.map((p) => ({ nom: `${p.nom}.${p.extension}`, data: p.data })),
		];
		return `  <CPPFacturePivotUnitaire>
    <Fournisseur><TypeIdentifiant>${x(inv.fournisseur.typeIdentifiant)}</TypeIdentifiant><Identifiant>${x(inv.fournisseur.siret)}</Identifiant><RaisonSociale>${x(inv.fournisseur.designation)}</RaisonSociale><IdStructure>${inv.fournisseur.id}</IdStructure></Fournisseur>
    <Destinataire><Identifiant>${x(inv.destinataire.siret)}</Identifiant><RaisonSociale>${x(inv.destinataire.designation)}</RaisonSociale><CodeService>${x(inv.destinataire.codeService)}</CodeService></Destinataire>
    <Facture><IdFacture>${inv.idFacture}</IdFacture><NumeroFacture>${x(inv.numeroFacture)}</NumeroFacture><TypeFacture>${inv.typeFacture}</TypeFacture><CadreFacturation>${inv.cadreFacturation}</CadreFacturation><ModeDepot>${inv.modeDepot}</ModeDepot><DateFacture>${inv.dateFacture}</DateFacture><DateDepot>${inv.dateDepot}</DateDepot><Devise>${x(inv.devise)}</Devise><NumeroEngagement>${x(inv.numeroBonCommande)}</NumeroEngagement><NumeroMarche>${x(inv.numeroMarche)}</NumeroMarche><NumeroFactureOrigine>${x(inv.numeroFactureOrigine)}</NumeroFactureOrigine><Statut>${inv.statut}</Statut></Facture>
    <Montants><MontantHT>${money(inv.montantHT)}</MontantHT><MontantTVA>${money(inv.montantTVA)}</MontantTVA><MontantTTC>${money(inv.montantTTC)}</MontantTTC><MontantAPayer>${money(inv.montantAPayer)}</MontantAPayer></Montants>
    <LignesPoste>${inv.lignes.map((l) => `<LignePoste><Numero>${x(l.lignePosteNumero)}</Numero><Denomination>${x(l.lignePosteDenomination)}</Denomination><Quantite>${x(l.lignePosteQuantite)}</Quantite><MontantUnitaireHT>${x(l.lignePosteMontantUnitaireHT)}</MontantUnitaireHT></LignePoste>`).join('')}</LignesPoste>
    <PiecesJointes>${attachments.map((a) => `<PieceJointe><Nom>${x(a.nom)}</Nom><Contenu>${a.data.toString('base64')}</Contenu></PieceJointe>`).join('')}</PiecesJointes>
  </CPPFacturePivotUnitaire>`;
	});
	return `<?xml version="1.0" encoding="UTF-8"?>\n<CPPFacturePivot>\n${units.join('\n')}\n</CPPFacturePivot>\n`;
}

/**
 * telecharger/groupe result: PDF → one PDF, or a ZIP with one folder per invoice (with the complementary
 * attachments when asked); PIVOT → one XML.
 * @param {State} state @param {Invoice[]} list @param {'PDF'|'PIVOT'} format @param {boolean} withAttachments
 * @returns {Buffer}
 */
export function downloadFile(state, list, format, withAttachments) {
	if (format === 'PIVOT') return Buffer.from(pivotXml(state, list), 'utf8');
	if (list.length === 1 && !withAttachments) return invoicePdf(state, list[0]);
	/** @type {{ name: string, data: Buffer }[]} */
	const files = [];
	for (const inv of list) {
		const dir = `${safeName(inv.numeroFacture)}_${inv.idFacture}`;
		files.push({ name: `${dir}/${safeName(inv.numeroFacture)}.pdf`, data: invoicePdf(state, inv) });
		if (withAttachments) {
			for (const ref of inv.piecesJointesComplementaires) {
				const pj = state.piecesJointes.find((p) => p.pieceJointeId === ref.pieceJointeId);
				if (pj) files.push({ name: `${dir}/${safeName(pj.nom)}.${pj.extension}`, data: pj.data });
			}
		}
	}
	return makeZip(files);
}

// ---------------------------------------------------------------------------------------------------------------
// Admin hooks

/** @param {number} status @param {string} error @returns {Reply} */
const adminError = (status, error) => ({ status, body: { error } });

/** Admin JSON of an invoice (binary content left out). @param {Invoice} inv */
export function adminInvoice(inv) {
	const { source, ...rest } = inv;
	return {
		...rest,
		source: source
			? { nomFichier: source.nomFichier, kind: source.kind, bytes: source.data.length }
			: null,
	};
}

/** @param {Ctx} ctx */
function invoiceParam(ctx) {
	const inv = findInvoice(ctx.state, ctx.params.id);
	return inv ?? null;
}

/**
 * Creates `count` invoices at once (pagination tests, benchmarks). Dates are formatted once for the batch.
 * @param {State} state @param {any} body @param {Date} now
 */
export function bulkCreate(state, body, now) {
	const count = body.count;
	const statut = body.statut ?? 'DEPOSEE';
	if (!STATUTS.includes(statut)) throw new Error(`unknown statut ${statut}`);
	const fournisseur = structureById(state, body.fournisseurId ?? SUPPLIER_ID);
	if (!fournisseur) throw new Error(`unknown fournisseurId ${body.fournisseurId}`);
	const dest = body.destinataireSiret
		? structureBySiret(state, body.destinataireSiret)
		: structureById(state, RECIPIENT_ID);
	if (!dest) throw new Error(`unknown destinataireSiret ${body.destinataireSiret}`);
	const service = body.codeService ? (serviceByCode(dest, body.codeService) ?? null) : null;
	let when = now;
	if (body.dateDepot != null) {
		const d = parseParisLocal(`${body.dateDepot} 12:00`);
		if (!d) throw new Error('dateDepot must be YYYY-MM-DD');
		when = d;
	}
	const at = when.getTime();
	const iso = formatIso(when);
	const minutes = formatDateMinutes(when);
	const day = formatDate(when);
	const batch = nextSeq(state, 'bulk', 0);
	const prefix = body.prefix ?? `BULK${batch}-`;
	const path = NORMAL_PATH.includes(statut)
		? NORMAL_PATH.slice(0, NORMAL_PATH.indexOf(statut) + 1)
		: ['DEPOSEE', statut];
	const ht = typeof body.montantHT === 'number' ? body.montantHT : null;
	const fournisseurPart = fournisseurOf(fournisseur, fournisseur.services[0] ?? null);
	const destPart = destinataireOf(dest, service);
	const idx = index(state);
	let firstId = 0;
	let lastId = 0;
	for (let i = 1; i <= count; i++) {
		const montantHT = ht ?? 100 + (i % 50) * 10;
		const montantTVA = Math.round(montantHT * 20) / 100;
		/** @type {Invoice} */
		const inv = {
			idFacture: nextSeq(state, 'idFacture', 8420000),
			numeroFacture: `${prefix}${String(i).padStart(6, '0')}`,
			typeFacture: 'FACTURE',
			typeDemandePaiement: 'FACTURE',
			modeDepot: body.numeroFluxDepot ? 'UPLOAD_API' : 'SAISIE_API',
			numeroFluxDepot: body.numeroFluxDepot ?? null,
			cadreFacturation: 'A1_FACTURE_FOURNISSEUR',
			codeStructureValideur: null,
			codeServiceValideur: null,
			fournisseur: fournisseurPart,
			destinataire: destPart,
			dateFacture: body.dateFacture ?? day,
			dateDepot: day,
			depositAt: at,
			dateEcheancePaiement: null,
			devise: 'EUR',
			typeTva: 'TVA_SUR_DEBIT',
			modePaiement: 'VIREMENT',
			motifExonerationTva: null,
			numeroBonCommande: body.numeroBonCommande ?? null,
			numeroMarche: null,
			numeroFactureOrigine: null,
			montantHT,
			montantTVA,
			montantTTC: montantHT + montantTVA,
			montantAPayer: montantHT + montantTVA,
			montantRemiseGlobaleTTC: null,
			motifRemiseGlobaleTTC: null,
			lignes: [
				{
					lignePosteNumero: 1,
					lignePosteReference: 'BULK',
					lignePosteDenomination: 'Prestation',
					lignePosteQuantite: 1,
					lignePosteUnite: 'lot',
					lignePosteMontantUnitaireHT: montantHT,
					lignePosteMontantRemiseHT: 0,
					lignePosteTauxTva: null,
					lignePosteTauxTvaManuel: 20,
				},
			],
			lignesTva: [
				{
					ligneTvaMontantBaseHtParTaux: montantHT,
					ligneTvaMontantTvaParTaux: montantTVA,
					ligneTvaTaux: null,
					ligneTvaTauxManuel: 20,
				},
			],
			piecesJointesPrincipales: [],
			piecesJointesComplementaires: [],
			commentaire: null,
			statut: 'DEPOSEE',
			etatAt: at,
			dateHeureEtatCourant: iso,
			commentaireEtatCourant: null,
			histo: [],
			factureTelechargeeParDestinataire: false,
			rejetTraite: false,
			numeroDPMandat: null,
			source: null,
			idUtilisateurCreateur: null,
		};
		for (const s of path) addHisto(state, inv, s, when, null, iso, minutes);
		state.invoices.push(inv);
		idx.byId.set(inv.idFacture, inv);
		idx.byNumero.set(numeroKey(inv.fournisseur.id, inv.numeroFacture), inv);
		if (i === 1) firstId = inv.idFacture;
		lastId = inv.idFacture;
	}
	return { count, firstId, lastId, prefix };
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const adminRoutes = {
	'GET /__admin/invoices': ({ state, query }) => {
		const flux = query.get('numeroFluxDepot');
		const list = state.invoices.filter((inv) => !flux || inv.numeroFluxDepot === flux);
		return {
			body: {
				total: list.length,
				invoices: list.slice(-200).map((inv) => ({
					idFacture: inv.idFacture,
					numeroFacture: inv.numeroFacture,
					statut: inv.statut,
					numeroFluxDepot: inv.numeroFluxDepot,
					fournisseur: inv.fournisseur.siret,
					destinataire: inv.destinataire.siret,
					montantTTC: inv.montantTTC,
				})),
			},
		};
	},

	'GET /__admin/invoices/:id': (ctx) => {
		const inv = invoiceParam(ctx);
		return inv ? { body: adminInvoice(inv) } : adminError(404, `Unknown invoice ${ctx.params.id}`);
	},

	'POST /__admin/invoices/bulk': ({ state, body, now }) => {
		if (!Number.isInteger(body?.count) || body.count < 1 || body.count > 200000)
			return adminError(400, 'count must be an integer between 1 and 200000');
		try {
			return { body: bulkCreate(state, body, now()) };
		} catch (err) {
			return adminError(400, err instanceof Error ? err.message : String(err));
		}
	},

	// Any status of docs/chorus-pro-api.md §4.2, no transition check.
	'POST /__admin/invoices/:id/status': (ctx) => {
		const inv = invoiceParam(ctx);
		if (!inv) return adminError(404, `Unknown invoice ${ctx.params.id}`);
		const statut = ctx.body?.statut;
		if (!STATUTS.includes(statut))
			return adminError(
				400,
				`statut must be one of the invoice statuses (docs/chorus-pro-api.md §4.2), got ${JSON.stringify(statut)}`,
			);
		setStatus(ctx.state, inv, statut, ctx.now(), ctx.body.commentaire ?? null);
		return { body: adminInvoice(inv) };
	},

	// Next status of the normal path DEPOSEE → … → MISE_EN_PAIEMENT; {until} walks up to that status.
	'POST /__admin/invoices/:id/advance': (ctx) => {
		const inv = invoiceParam(ctx);
		if (!inv) return adminError(404, `Unknown invoice ${ctx.params.id}`);
		const until = ctx.body?.until;
		if (until != null && !NORMAL_PATH.includes(until))
			return adminError(400, `until must be one of ${NORMAL_PATH.join(', ')}`);
		if (until != null && NORMAL_PATH.indexOf(until) <= NORMAL_PATH.indexOf(inv.statut)) {
			return adminError(409, `Invoice is already at ${inv.statut}, not before ${until}`);
		}
		let steps = 0;
		do {
			const next = NEXT_STATUS[inv.statut];
			if (!next) {
				if (steps === 0) return adminError(409, `No next status after ${inv.statut}`);
				break;
			}
			setStatus(ctx.state, inv, next, ctx.now(), null);
			steps++;
		} while (until != null && inv.statut !== until);
		return { body: adminInvoice(inv) };
	},
};
