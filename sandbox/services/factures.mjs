// @ts-check
/**
 * Factures services (`/cpro/factures/v1`, docs/chorus-pro-api.md §3.1) other than deposer/flux (flux.mjs), plus
 * `transverses/v1/ajouter/fichier` (an upload like deposer/pdf):
 * deposer/pdf, soumettre, rechercher/fournisseur, rechercher/recipiendaire, consulter/fournisseur,
 * consulter/recipiendaire, consulter/historique, telecharger/groupe, completer, recycler, traiter/recue.
 *
 * Error codes (see README.md): 20000 GDP_MSG_11.008 unknown invoice, 20001 GDP_MSG_11.005 invoice not
 * accessible to the account / supplier not the account's, 20002 wrong status for the action, 20003 file > 10 MB
 * (ajouter/fichier), soumettre: 20013 duplicate number, 20303 recipient, 20304 service, 20305 EJ
 * (also used by recycler); 20097 / 20099 (server.mjs) invalid / missing field.
 */
import {
	ok,
	fail,
	noResult,
	missingField,
	invalidValue,
	paginate,
	ReplyError,
	CODES,
	LIBELLE_OK,
	LIBELLE_OK_FACTURES,
} from '../server.mjs';
import {
	formatDate,
	formatDateMinutes,
	parseParisLocal,
	nextSeq,
	structureById,
	serviceById,
	TAUX_TVA,
	MODES_PAIEMENT,
	TRANSITIONS_TRAITEMENT,
} from '../seed.mjs';
import { decodeBase64, ocrInvoice, extractFacturXml, readInvoiceXml } from '../files.mjs';
import {
	STATUTS,
	RECIPIENT_VISIBLE,
	findInvoice,
	isDuplicate,
	isSupplierOf,
	isRecipientOf,
	createInvoice,
	setStatus,
	checkRouting,
	destinataireOf,
	fournisseurOf,
	empreinte,
	supplierItem,
	recipientItem,
	factureDetail,
	historiqueBody,
	downloadFile,
} from '../invoices.mjs';

/** @typedef {import('../server.mjs').Ctx} Ctx */
/** @typedef {import('../server.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').State} State */
/** @typedef {import('../invoices.mjs').Invoice} Invoice */

const BASE = '/cpro/factures/v1';
const MB = 1024 * 1024;
const MAX_FILE = 10 * MB;

const LIB_INCONNUE = "GDP_MSG_11.008 La demande de paiement n'existe pas.";
const LIB_DROITS =
	"GDP_MSG_11.005 L'utilisateur n'a pas les droits nécessaires pour effectuer cette action sur la demande de paiement.";
const LIB_ETAT = "GDP_MSG_11.001 Action impossible dans l'état courant de la demande de paiement.";

/** Allowed extensions of attachments (docs/chorus-pro-api.md §6). */
export const EXTENSIONS_PJ = [
	'BMP',
	'GIF',
	'FAX',
	'ODT',
	'PPT',
	'TIFF',
	'XLS',
	'BZ2',
	'GZ',
	'JPEG',
	'P7S',
	'RTF',
	'TXT',
	'XML',
	'CSV',
	'GZIP',
	'JPG',
	'PDF',
	'SVG',
	'XHTML',
	'XLSX',
	'DOC',
	'HTM',
	'ODP',
	'PNG',
	'TGZ',
	'XLC',
	'ZIP',
	'DOCX',
	'HTML',
	'ODS',
	'PPS',
	'TIF',
	'XLM',
	'PPTX',
];
const FORMATS_DEPOT = ['PDF_NON_SIGNE', 'PDF_SIGNE_PADES', 'PDF_SIGNE_XADES'];
const MODES_DEPOT_SOUMETTRE = ['SAISIE_API', 'DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API'];
const CADRES_SOUMETTRE = [
	'A1_FACTURE_FOURNISSEUR',
	'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'A9_FACTURE_SOUSTRAITANT',
	'A12_FACTURE_COTRAITANT',
];
const TYPES_TVA = ['TVA_SUR_DEBIT', 'TVA_SUR_ENCAISSEMENT', 'EXONERATION', 'SANS_TVA'];
/** Statuses a recipient may set with traiter/recue (docs/chorus-pro-api.md §4.2). */
const STATUTS_TRAITEMENT = [
	'MISE_A_DISPOSITION',
	'A_RECYCLER',
	'REJETEE',
	'SUSPENDUE',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'COMPTABILISEE',
	'MISE_EN_PAIEMENT',
];

/** @param {any} v */
const blank = (v) => v == null || v === '';
/** @param {any} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** @param {number} n */
const round2 = (n) => Math.round(n * 100) / 100;

/** A number, or a numeric string. @param {any} v @returns {number|null} */
function toNumber(v) {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
	return null;
}

/** Throws a 400 for a field that must be a number when given. @param {string} name @param {any} v */
function optionalNumber(name, v) {
	if (blank(v)) return null;
	const n = toNumber(v);
	if (n === null) throw new ReplyError(invalidValue(name, v));
	return n;
}

/** A valid `YYYY-MM-DD` calendar date? @param {any} v */
function isDate(v) {
	if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

// ---------------------------------------------------------------------------------------------------------------
// Invoice access

/**
 * The invoice named by `body[key]` if the account may see it from that side.
 * @param {Ctx} ctx @param {string} key @param {'fournisseur'|'recipiendaire'|'any'} side
 * @returns {Invoice}
 */
function invoiceFor(ctx, key, side) {
	const id = ctx.body[key];
	if (blank(id)) throw new ReplyError(missingField(key));
	const n = toNumber(id);
	if (n === null || !Number.isInteger(n)) throw new ReplyError(invalidValue(key, id));
	const inv = findInvoice(ctx.state, n);
	if (!inv) throw new ReplyError(fail(400, 20000, LIB_INCONNUE));
	const supplier = isSupplierOf(ctx.account, inv);
	const recipient = isRecipientOf(ctx.account, inv);
	const allowed =
		side === 'fournisseur'
			? supplier
			: side === 'recipiendaire'
				? recipient
				: supplier || recipient;
	if (!allowed) throw new ReplyError(fail(400, 20001, LIB_DROITS));
	return inv;
}

// ---------------------------------------------------------------------------------------------------------------
// Search criteria

/** @param {any} v @param {string} name @returns {string|null} `YYYY-MM-DD` of a date / date-time criterion */
function dayBound(v, name) {
	if (blank(v)) return null;
	const s = String(v);
	if (!/^\d{4}-\d{2}-\d{2}/.test(s) || !isDate(s.slice(0, 10)))
		throw new ReplyError(invalidValue(name, v, 'Format attendu : AAAA-MM-JJ.'));
	return s.slice(0, 10);
}

/**
 * Instant (epoch ms) of a date-time criterion: `YYYY-MM-DD` (Paris day; end of day for an upper bound),
 * `YYYY-MM-DDTHH:mm[:ss[.SSS]]` (Paris time; an upper bound includes the whole last second or minute), or the
 * same with `Z` / `±hh:mm`.
 * @param {any} v @param {string} name @param {boolean} upper
 * @returns {number|null}
 */
function instantBound(v, name, upper) {
	if (blank(v)) return null;
	const s = String(v).trim();
	const m =
		/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
			s,
		);
	if (!m || !isDate(m[1]))
		throw new ReplyError(
			invalidValue(name, v, 'Format attendu : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM:SS.'),
		);
	if (m[2] === undefined) {
		if (!upper) return /** @type {Date} */ (parseParisLocal(m[1])).getTime();
		const next = new Date(`${m[1]}T00:00:00Z`);
		next.setUTCDate(next.getUTCDate() + 1);
		return /** @type {Date} */ (parseParisLocal(next.toISOString().slice(0, 10))).getTime() - 1;
	}
	let ms;
	if (m[6]) {
		ms = Date.parse(s.replace(' ', 'T'));
		if (Number.isNaN(ms)) throw new ReplyError(invalidValue(name, v));
	} else {
		ms =
			/** @type {Date} */ (
				parseParisLocal(`${m[1]} ${m[2]}:${m[3]}${m[4] ? `:${m[4]}` : ''}`)
			).getTime() + (m[5] ? Number(m[5].padEnd(4, '0').slice(1)) : 0);
	}
	if (upper && !m[5]) ms += m[4] ? 999 : 59999;
	return ms;
}

/** @param {any} v @param {string} name @returns {string[]|null} */
function statusList(v, name) {
	if (blank(v) || (Array.isArray(v) && v.length === 0)) return null;
	const list = Array.isArray(v) ? v : [v];
	for (const s of list) if (!STATUTS.includes(s)) throw new ReplyError(invalidValue(name, s));
	return list;
}

/**
 * Filters shared by both searches (dates, amounts, statuses, references).
 * @param {any} b request body @returns {(inv: Invoice) => boolean}
 */
function commonFilter(b) {
	const depotDu = dayBound(b.periodeDateDepotDu, 'periodeDateDepotDu');
	const depotAu = dayBound(b.periodeDateDepotAu, 'periodeDateDepotAu');
	const factDu = dayBound(b.periodeDateFactureDu, 'periodeDateFactureDu');
	const factAu = dayBound(b.periodeDateFactureAu, 'periodeDateFactureAu');
	const etatDu = instantBound(
		b.periodeDateHeureEtatCourantDu,
		'periodeDateHeureEtatCourantDu',
		false,
	);
	const etatAu = instantBound(
		b.periodeDateHeureEtatCourantAu,
		'periodeDateHeureEtatCourantAu',
		true,
	);
	const htMin = optionalNumber('montantHTMin', b.montantHTMin);
	const htMax = optionalNumber('montantHTMax', b.montantHTMax);
	const ttcMin = optionalNumber('montantTTCMin', b.montantTTCMin);
	const ttcMax = optionalNumber('montantTTCMax', b.montantTTCMax);
	const apMin = optionalNumber('montantApayerMin', b.montantApayerMin ?? b.montantAPayerMin);
	const apMax = optionalNumber('montantApayerMax', b.montantApayerMax ?? b.montantAPayerMax);
	const statuts = statusList(b.statutCourant, 'statutCourant');
	const numero = blank(b.numeroFacture) ? null : String(b.numeroFacture).trim().toUpperCase();
	/** @param {string} key */
	const text = (key) => (blank(b[key]) ? null : String(b[key]).trim());
	const bonCommande = text('numeroBonCommande');
	const marche = text('numeroMarche');
	const cadre = text('cadreFacturation');
	const typeDP = text('typeDemandePaiement');
	return (inv) =>
		(depotDu === null || inv.dateDepot >= depotDu) &&
		(depotAu === null || inv.dateDepot <= depotAu) &&
		(factDu === null || inv.dateFacture >= factDu) &&
		(factAu === null || inv.dateFacture <= factAu) &&
		(etatDu === null || inv.etatAt >= etatDu) &&
		(etatAu === null || inv.etatAt <= etatAu) &&
		(htMin === null || inv.montantHT >= htMin) &&
		(htMax === null || inv.montantHT <= htMax) &&
		(ttcMin === null || inv.montantTTC >= ttcMin) &&
		(ttcMax === null || inv.montantTTC <= ttcMax) &&
		(apMin === null || inv.montantAPayer >= apMin) &&
		(apMax === null || inv.montantAPayer <= apMax) &&
		(statuts === null || statuts.includes(inv.statut)) &&
		(numero === null || inv.numeroFacture.toUpperCase() === numero) &&
		(bonCommande === null || inv.numeroBonCommande === bonCommande) &&
		(marche === null || inv.numeroMarche === marche) &&
		(cadre === null || inv.cadreFacturation === cadre) &&
		(typeDP === null || inv.typeDemandePaiement === typeDP);
}

/** Default order: newest deposit first, then highest id. @param {Invoice[]} list */
const byDepositDesc = (list) =>
	list.sort((a, b) => b.depositAt - a.depositAt || b.idFacture - a.idFacture);

/** @type {Record<string, (inv: Invoice) => any>} */
const SORT_COMMON = {
	NumeroFacture: (i) => i.numeroFacture,
	Statut: (i) => i.statut,
	TypeFacture: (i) => i.typeFacture,
	DateDepot: (i) => i.depositAt,
	DateFacture: (i) => i.dateFacture,
	DateHeureEtatCourant: (i) => i.etatAt,
	CodeDestinataire: (i) => i.destinataire.siret,
	DesignationDestinataire: (i) => i.destinataire.designation,
	CodeServiceExecutant: (i) => i.destinataire.codeService,
	CodeFournisseur: (i) => i.fournisseur.siret,
	DesignationFournisseur: (i) => i.fournisseur.designation,
	MontantHT: (i) => i.montantHT,
	MontantTTC: (i) => i.montantTTC,
	MontantAPayer: (i) => i.montantAPayer,
	Devise: (i) => i.devise,
	TypeDemandePaiement: (i) => i.typeDemandePaiement,
};

// ---------------------------------------------------------------------------------------------------------------
// soumettre

/**
 * Validates a soumettre body and builds the invoice data; throws ReplyError on the first problem.
 * @param {Ctx} ctx
 */
function soumettreData(ctx) {
	const { body: b, state, account } = ctx;
	if (blank(b.modeDepot)) throw new ReplyError(missingField('modeDepot'));
	if (!MODES_DEPOT_SOUMETTRE.includes(b.modeDepot)) {
		throw new ReplyError(
			invalidValue(
				'modeDepot',
				b.modeDepot,
				`Valeurs possibles : ${MODES_DEPOT_SOUMETTRE.join(', ')}.`,
			),
		);
	}
	const numeroSaisi = blank(b.numeroFactureSaisi) ? null : String(b.numeroFactureSaisi);
	if (numeroSaisi !== null && !/^[A-Za-z0-9\-_/+]{1,20}$/.test(numeroSaisi)) {
		throw new ReplyError(
			invalidValue(
				'numeroFactureSaisi',
				numeroSaisi,
				'20 caractères au plus, lettres, chiffres et - _ / + uniquement.',
			),
		);
	}
	if (!blank(b.dateFacture) && !isDate(b.dateFacture))
		throw new ReplyError(
			invalidValue('dateFacture', b.dateFacture, 'Format attendu : AAAA-MM-JJ.'),
		);

	const fournisseur = isObject(b.fournisseur) ? b.fournisseur : {};
	if (blank(fournisseur.idFournisseur))
		throw new ReplyError(missingField('fournisseur.idFournisseur'));
	const supplier = structureById(state, fournisseur.idFournisseur);
	if (!supplier || !account.structureIds.includes(supplier.idStructureCPP)) {
		throw new ReplyError(
			fail(
				400,
				20001,
				`GDP_MSG_11.005 L'utilisateur n'est pas rattaché à la structure fournisseur ${fournisseur.idFournisseur}.`,
			),
		);
	}
	const serviceFournisseur = blank(fournisseur.idServiceFournisseur)
		? null
		: serviceById(supplier, fournisseur.idServiceFournisseur);
	if (serviceFournisseur === undefined)
		throw new ReplyError(
			invalidValue('fournisseur.idServiceFournisseur', fournisseur.idServiceFournisseur),
		);
	const banque = fournisseur.codeCoordonneesBancairesFournisseur;
	if (
		!blank(banque) &&
		!(supplier.coordonneesBancaires ?? []).some((c) => c.idCoordonneeBancaire === Number(banque))
	) {
		throw new ReplyError(
			invalidValue(
				'fournisseur.codeCoordonneesBancairesFournisseur',
				banque,
				'Utiliser un identifiant renvoyé par transverses/v1/recuperer/coordbanc/valides.',
			),
		);
	}

	const cadre = isObject(b.cadreDeFacturation) ? b.cadreDeFacturation : {};
	if (blank(cadre.codeCadreFacturation))
		throw new ReplyError(missingField('cadreDeFacturation.codeCadreFacturation'));
	if (!CADRES_SOUMETTRE.includes(cadre.codeCadreFacturation)) {
		throw new ReplyError(
			invalidValue(
				'cadreDeFacturation.codeCadreFacturation',
				cadre.codeCadreFacturation,
				`Valeurs possibles : ${CADRES_SOUMETTRE.join(', ')}.`,
			),
		);
	}

	const refs = isObject(b.references) ? b.references : {};
	const devise = blank(refs.deviseFacture) ? 'EUR' : String(refs.deviseFacture);
	if (!/^[A-Z]{3}$/.test(devise))
		throw new ReplyError(invalidValue('references.deviseFacture', refs.deviseFacture));
	const typeFacture = blank(refs.typeFacture) ? 'FACTURE' : refs.typeFacture;
	if (typeFacture !== 'FACTURE' && typeFacture !== 'AVOIR')
		throw new ReplyError(
			invalidValue('references.typeFacture', typeFacture, 'Valeurs possibles : FACTURE, AVOIR.'),
		);
	if (!blank(refs.typeTva) && !TYPES_TVA.includes(refs.typeTva))
		throw new ReplyError(
			invalidValue(
				'references.typeTva',
				refs.typeTva,
				`Valeurs possibles : ${TYPES_TVA.join(', ')}.`,
			),
		);
	if (!blank(refs.modePaiement) && !MODES_PAIEMENT.includes(refs.modePaiement)) {
		throw new ReplyError(
			invalidValue(
				'references.modePaiement',
				refs.modePaiement,
				`Valeurs possibles : ${MODES_PAIEMENT.join(', ')}.`,
			),
		);
	}
	const ej = blank(refs.numeroBonCommande) ? null : String(refs.numeroBonCommande);
	if (ej !== null && ej.length > 50)
		throw new ReplyError(
			invalidValue('references.numeroBonCommande', ej, '50 caractères au plus.'),
		);

	const destinataire = isObject(b.destinataire) ? b.destinataire : {};
	if (blank(destinataire.codeDestinataire))
		throw new ReplyError(missingField('destinataire.codeDestinataire'));
	const routing = checkRouting(state, {
		siret: destinataire.codeDestinataire,
		codeService: destinataire.codeServiceExecutant,
		numeroEJ: ej,
	});
	if ('message' in routing)
		throw new ReplyError(fail(400, routingCode(routing.kind), routing.message));

	// Lines (SAISIE_API) or main attachment (DEPOT_PDF_*)
	/** @type {Record<string, any>[]} */
	const lignes = [];
	let sommeLignes = 0;
	if (b.modeDepot === 'SAISIE_API' || Array.isArray(b.lignePoste)) {
		if (!Array.isArray(b.lignePoste) || b.lignePoste.length === 0) {
			if (b.modeDepot === 'SAISIE_API') throw new ReplyError(missingField('lignePoste'));
		}
		for (const [i, l] of (Array.isArray(b.lignePoste) ? b.lignePoste : []).entries()) {
			if (!isObject(l)) throw new ReplyError(invalidValue(`lignePoste[${i}]`, l));
			const q = optionalNumber(`lignePoste[${i}].lignePosteQuantite`, l.lignePosteQuantite);
			const pu = optionalNumber(
				`lignePoste[${i}].lignePosteMontantUnitaireHT`,
				l.lignePosteMontantUnitaireHT,
			);
			const remise =
				optionalNumber(`lignePoste[${i}].lignePosteMontantRemiseHT`, l.lignePosteMontantRemiseHT) ??
				0;
			if (q === null) throw new ReplyError(missingField(`lignePoste[${i}].lignePosteQuantite`));
			if (pu === null)
				throw new ReplyError(missingField(`lignePoste[${i}].lignePosteMontantUnitaireHT`));
			if (blank(l.lignePosteDenomination))
				throw new ReplyError(missingField(`lignePoste[${i}].lignePosteDenomination`));
			if (
				!blank(l.lignePosteTauxTva) &&
				!TAUX_TVA.some((t) => t.codeTauxTva === l.lignePosteTauxTva)
			) {
				throw new ReplyError(
					invalidValue(
						`lignePoste[${i}].lignePosteTauxTva`,
						l.lignePosteTauxTva,
						'Utiliser un code de transverses/v1/recuperer/tauxtva.',
					),
				);
			}
			const manuel = optionalNumber(
				`lignePoste[${i}].lignePosteTauxTvaManuel`,
				l.lignePosteTauxTvaManuel,
			);
			sommeLignes += round2(q * pu - remise);
			lignes.push({
				lignePosteNumero: l.lignePosteNumero ?? i + 1,
				lignePosteReference: l.lignePosteReference ?? null,
				lignePosteDenomination: l.lignePosteDenomination,
				lignePosteQuantite: q,
				lignePosteUnite: l.lignePosteUnite ?? null,
				lignePosteMontantUnitaireHT: pu,
				lignePosteMontantRemiseHT: blank(l.lignePosteMontantRemiseHT) ? null : remise,
				lignePosteTauxTva: l.lignePosteTauxTva ?? null,
				lignePosteTauxTvaManuel: manuel,
			});
		}
	}
	/** @type {import('../invoices.mjs').PieceJointeRef[]} */
	const principales = [];
	if (b.modeDepot !== 'SAISIE_API') {
		if (!Array.isArray(b.pieceJointePrincipale) || b.pieceJointePrincipale.length === 0)
			throw new ReplyError(missingField('pieceJointePrincipale'));
		for (const [i, p] of b.pieceJointePrincipale.entries()) {
			if (!isObject(p) || blank(p.pieceJointePrincipaleId))
				throw new ReplyError(missingField(`pieceJointePrincipale[${i}].pieceJointePrincipaleId`));
			const pj = state.piecesJointes.find(
				(x) => x.pieceJointeId === Number(p.pieceJointePrincipaleId) && x.login === account.login,
			);
			if (!pj) {
				throw new ReplyError(
					invalidValue(
						`pieceJointePrincipale[${i}].pieceJointePrincipaleId`,
						p.pieceJointePrincipaleId,
						"Pièce jointe inconnue : utiliser l'identifiant renvoyé par deposer/pdf ou ajouter/fichier.",
					),
				);
			}
			principales.push({
				pieceJointeId: pj.pieceJointeId,
				designation: p.pieceJointePrincipaleDesignation ?? pj.nom,
				type: null,
				nom: pj.nom,
				extension: pj.extension,
			});
		}
	}
	const complementaires = attachmentsComplementaires(ctx, b.pieceJointeComplementaire);

	/** @type {Record<string, any>[]} */
	const lignesTva = [];
	let baseTva = 0;
	let montantTva = 0;
	for (const [i, t] of (Array.isArray(b.ligneTva) ? b.ligneTva : []).entries()) {
		if (!isObject(t)) throw new ReplyError(invalidValue(`ligneTva[${i}]`, t));
		const base =
			optionalNumber(
				`ligneTva[${i}].ligneTvaMontantBaseHtParTaux`,
				t.ligneTvaMontantBaseHtParTaux,
			) ?? 0;
		const tva =
			optionalNumber(`ligneTva[${i}].ligneTvaMontantTvaParTaux`, t.ligneTvaMontantTvaParTaux) ?? 0;
		baseTva += base;
		montantTva += tva;
		lignesTva.push({
			ligneTvaMontantBaseHtParTaux: base,
			ligneTvaMontantTvaParTaux: tva,
			ligneTvaTaux: t.ligneTvaTaux ?? null,
			ligneTvaTauxManuel: optionalNumber(`ligneTva[${i}].ligneTvaTauxManuel`, t.ligneTvaTauxManuel),
		});
	}

	const total = isObject(b.montantTotal) ? b.montantTotal : {};
	/** @param {string} k */
	const need = (k) => {
		const v = optionalNumber(`montantTotal.${k}`, total[k]);
		if (v === null) throw new ReplyError(missingField(`montantTotal.${k}`));
		return v;
	};
	const ht = need('montantHtTotal');
	const tva = need('montantTVA');
	const ttc = need('montantTtcTotal');
	const remise = optionalNumber(
		'montantTotal.montantRemiseGlobaleTTC',
		total.montantRemiseGlobaleTTC,
	);
	const aPayer =
		optionalNumber('montantTotal.montantAPayer', total.montantAPayer) ??
		round2(ttc - (remise ?? 0));
	/** @param {string} what */
	const incoherent = (what) =>
		new ReplyError(
			fail(400, CODES.INVALID_VALUE, `Les montants de la facture sont incohérents : ${what}`),
		);
	if (Math.abs(ht + tva - ttc) > 0.011)
		throw incoherent(`montantHtTotal (${ht}) + montantTVA (${tva}) ≠ montantTtcTotal (${ttc}).`);
	if (lignes.length && Math.abs(round2(sommeLignes) - ht) > 0.011)
		throw incoherent(`la somme des lignes (${round2(sommeLignes)}) ≠ montantHtTotal (${ht}).`);
	if (lignesTva.length && Math.abs(round2(baseTva) - ht) > 0.011)
		throw incoherent(`la somme des bases de TVA (${round2(baseTva)}) ≠ montantHtTotal (${ht}).`);
	if (lignesTva.length && Math.abs(round2(montantTva) - tva) > 0.011)
		throw incoherent(`la somme des montants de TVA (${round2(montantTva)}) ≠ montantTVA (${tva}).`);

	const numero =
		numeroSaisi ?? `CPP${String(nextSeq(state, 'numeroFactureAuto', 0)).padStart(8, '0')}`;
	if (isDuplicate(state, supplier.idStructureCPP, numero)) {
		throw new ReplyError(
			fail(
				400,
				20013,
				`La facture ${numero} existe déjà pour ce fournisseur (numéro de facture en doublon).`,
			),
		);
	}
	/** @type {import('../invoices.mjs').NewInvoice} */
	const data = {
		numeroFacture: numero,
		typeFacture,
		modeDepot: b.modeDepot,
		cadreFacturation: cadre.codeCadreFacturation,
		codeStructureValideur: blank(cadre.codeStructureValideur)
			? null
			: String(cadre.codeStructureValideur),
		codeServiceValideur: blank(cadre.codeServiceValideur)
			? null
			: String(cadre.codeServiceValideur),
		fournisseur: fournisseurOf(supplier, serviceFournisseur, blank(banque) ? null : Number(banque)),
		destinataire: destinataireOf(routing.destinataire, routing.service),
		devise,
		typeTva: refs.typeTva ?? null,
		modePaiement: refs.modePaiement ?? null,
		motifExonerationTva: refs.motifExonerationTva ?? null,
		numeroBonCommande: ej,
		numeroMarche: blank(refs.numeroMarche) ? null : String(refs.numeroMarche),
		numeroFactureOrigine: blank(refs.numeroFactureOrigine)
			? null
			: String(refs.numeroFactureOrigine),
		montantHT: ht,
		montantTVA: tva,
		montantTTC: ttc,
		montantAPayer: aPayer,
		montantRemiseGlobaleTTC: remise,
		motifRemiseGlobaleTTC: total.motifRemiseGlobaleTTC ?? null,
		lignes,
		lignesTva,
		piecesJointesPrincipales: principales,
		piecesJointesComplementaires: complementaires,
		commentaire: blank(b.commentaire) ? null : String(b.commentaire).slice(0, 2000),
		idUtilisateurCreateur: account.idUtilisateur,
	};
	if (!blank(b.dateFacture)) data.dateFacture = b.dateFacture;
	return data;
}

/** @param {'destinataire'|'service'|'ej'} kind */
const routingCode = (kind) =>
	kind === 'destinataire' ? 20303 : kind === 'service' ? 20304 : 20305;

/**
 * Validates a `pieceJointeComplementaire` array (ids from ajouter/fichier or deposer/pdf of this account).
 * @param {Ctx} ctx @param {any} list @returns {import('../invoices.mjs').PieceJointeRef[]}
 */
function attachmentsComplementaires(ctx, list) {
	if (blank(list)) return [];
	if (!Array.isArray(list))
		throw new ReplyError(
			invalidValue('pieceJointeComplementaire', list, 'Un tableau est attendu.'),
		);
	return list.map((p, i) => {
		const key = `pieceJointeComplementaire[${i}]`;
		if (!isObject(p) || blank(p.pieceJointeComplementaireId))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireId`));
		if (blank(p.pieceJointeComplementaireDesignation))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireDesignation`));
		if (blank(p.pieceJointeComplementaireType))
			throw new ReplyError(missingField(`${key}.pieceJointeComplementaireType`));
		const pj = ctx.state.piecesJointes.find(
			(x) =>
				x.pieceJointeId === Number(p.pieceJointeComplementaireId) && x.login === ctx.account.login,
		);
		if (!pj)
			throw new ReplyError(
				invalidValue(
					`${key}.pieceJointeComplementaireId`,
					p.pieceJointeComplementaireId,
					'Pièce jointe inconnue.',
				),
			);
		return {
			pieceJointeId: pj.pieceJointeId,
			designation: String(p.pieceJointeComplementaireDesignation).slice(0, 100),
			type: String(p.pieceJointeComplementaireType),
			nom: pj.nom,
			extension: pj.extension,
		};
	});
}

/**
 * Stores an uploaded file as an attachment of the account (`state.piecesJointes`).
 * @param {Ctx} ctx @param {{ nom: string, extension: string, typeMime: string, data: Buffer, origine: string }} f
 */
function storePieceJointe(ctx, f) {
	const pj = {
		pieceJointeId: nextSeq(ctx.state, 'pieceJointeId', 6921000),
		nom: f.nom,
		extension: f.extension,
		typeMime: f.typeMime,
		taille: f.data.length,
		data: f.data,
		origine: f.origine,
		login: ctx.account.login,
		idUtilisateur: ctx.account.idUtilisateur,
		structureIds: [...ctx.account.structureIds],
		dateCreation: ctx.now().toISOString(),
	};
	ctx.state.piecesJointes.push(pj);
	return pj;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	// OCR of a PDF invoice (samples/factures-deposer-pdf.response.*.json): simple text markers, or the embedded
	// Factur-X XML when there is one; what is not found is null.
	[`POST ${BASE}/deposer/pdf`]: (ctx) => {
		const b = ctx.body;
		if (blank(b.fichierFacture)) return missingField('fichierFacture');
		const data = decodeBase64(b.fichierFacture);
		if (!data)
			return fail(
				400,
				CODES.INVALID_VALUE,
				"Le paramètre fichierFacture n'est pas un contenu encodé en base 64 valide.",
			);
		if (data.length > MAX_FILE) return { status: 413 };
		if (data.subarray(0, 5).toString('latin1') !== '%PDF-')
			return fail(400, CODES.INVALID_VALUE, "Le fichier déposé n'est pas un PDF.");
		if (blank(b.nomFichier)) return missingField('nomFichier');
		if (typeof b.nomFichier !== 'string' || b.nomFichier.length > 200)
			return invalidValue('nomFichier', b.nomFichier, '200 caractères au plus.');
		if (blank(b.formatDepot)) return missingField('formatDepot');
		if (!FORMATS_DEPOT.includes(b.formatDepot))
			return invalidValue(
				'formatDepot',
				b.formatDepot,
				`Valeurs possibles : ${FORMATS_DEPOT.join(', ')}.`,
			);
		const ocr = ocrInvoice(data);
		const xml = extractFacturXml(data);
		if (xml) {
			try {
				const p = readInvoiceXml(xml, 'CII');
				Object.assign(ocr, {
					numeroFacture: p.numero,
					dateFacture: p.dateFacture,
					codeDestinataire: p.destinataire.siret,
					codeServiceExecutant: p.codeService,
					codeFournisseur: p.fournisseur.siret,
					codeDeviseFacture: p.devise,
					typeFacture: p.typeFacture,
					numeroBonCommande: p.numeroEJ,
					montantTtcAvantRemiseGlobalTTC: p.montantTTC,
					montantAPayer: p.montantAPayer,
					montantHtTotal: p.montantHT,
					montantTVA: p.montantTVA,
				});
			} catch {
				/* unreadable XML: keep the text OCR */
			}
		}
		const nom = b.nomFichier.replace(/\.pdf$/i, '');
		const pj = storePieceJointe(ctx, {
			nom,
			extension: 'pdf',
			typeMime: 'application/pdf',
			data,
			origine: 'DEPOT_PDF',
		});
		return { body: ok(LIBELLE_OK_FACTURES, { ...ocr, pieceJointeId: pj.pieceJointeId }) };
	},

	// samples/transverses-ajouter-fichier.*.json
	'POST /cpro/transverses/v1/ajouter/fichier': (ctx) => {
		const b = ctx.body;
		if (blank(b.pieceJointeFichier)) return missingField('pieceJointeFichier');
		const data = decodeBase64(b.pieceJointeFichier);
		if (!data || data.length === 0)
			return fail(
				400,
				CODES.INVALID_VALUE,
				"Le paramètre pieceJointeFichier n'est pas un contenu encodé en base 64 valide.",
			);
		if (data.length > MAX_FILE)
			return fail(400, 20003, 'La taille du fichier dépasse la taille maximale autorisée (10 Mo).');
		if (blank(b.pieceJointeNom)) return missingField('pieceJointeNom');
		if (typeof b.pieceJointeNom !== 'string' || b.pieceJointeNom.length > 50)
			return invalidValue('pieceJointeNom', b.pieceJointeNom, '50 caractères au plus.');
		if (
			!blank(b.pieceJointeTypeMime) &&
			(typeof b.pieceJointeTypeMime !== 'string' || b.pieceJointeTypeMime.length > 255)
		) {
			return invalidValue('pieceJointeTypeMime', b.pieceJointeTypeMime);
		}
		if (blank(b.pieceJointeExtension)) return missingField('pieceJointeExtension');
		const ext = String(b.pieceJointeExtension).replace(/^\./, '');
		if (!EXTENSIONS_PJ.includes(ext.toUpperCase())) {
			return invalidValue(
				'pieceJointeExtension',
				b.pieceJointeExtension,
				`Extensions autorisées : ${EXTENSIONS_PJ.join(', ')}.`,
			);
		}
		const pj = storePieceJointe(ctx, {
			nom: b.pieceJointeNom,
			extension: ext.toLowerCase(),
			typeMime: b.pieceJointeTypeMime ?? 'application/octet-stream',
			data,
			origine: 'AJOUT_FICHIER',
		});
		return { body: ok(LIBELLE_OK, { pieceJointeId: pj.pieceJointeId }) };
	},

	// samples/factures-soumettre.*.json
	[`POST ${BASE}/soumettre`]: (ctx) => {
		const data = soumettreData(ctx);
		const inv = createInvoice(ctx.state, data, ctx.now());
		return {
			body: ok(LIBELLE_OK_FACTURES, {
				dateDepot: inv.dateDepot,
				identifiantFactureCPP: inv.idFacture,
				identifiantStructure: inv.fournisseur.siret,
				numeroFacture: inv.numeroFacture,
				statutFacture: inv.statut,
				empreinteCertificatDepot: empreinte(inv),
			}),
		};
	},

	// samples/factures-rechercher-fournisseur.*.json — pagination block `rechercheFactureParFournisseur`.
	[`POST ${BASE}/rechercher/fournisseur`]: ({ body: b, state, account }) => {
		const match = commonFilter(b);
		const idFournisseur = optionalNumber('idFournisseur', b.idFournisseur);
		const idServiceFournisseur = optionalNumber('idServiceFournisseur', b.idServiceFournisseur);
		const coordonnee = optionalNumber('coordonneeBancaire', b.coordonneeBancaire);
		/** @param {string} key */
		const text = (key) => (blank(b[key]) ? null : String(b[key]).trim());
		const flux = text('numeroFluxDepot');
		const origine = text('numeroFactureOrigine');
		const modeDepot = text('modeDepot');
		const typeFacture = text('typeFacture');
		if (typeFacture !== null && typeFacture !== 'FACTURE' && typeFacture !== 'AVOIR')
			return invalidValue('typeFacture', typeFacture);
		/** @type {Map<number, number[]>|null} */
		let dests = null;
		if (Array.isArray(b.listeDestinataire) && b.listeDestinataire.length) {
			dests = new Map();
			for (const d of b.listeDestinataire) {
				if (!isObject(d) || blank(d.idDestinataire)) continue;
				dests.set(
					Number(d.idDestinataire),
					Array.isArray(d.listeIdServiceExecutant) ? d.listeIdServiceExecutant.map(Number) : [],
				);
			}
		}
		const rejetTraite = typeof b.rejetTraite === 'boolean' ? b.rejetTraite : null;
		const found = state.invoices.filter((inv) => {
			if (!account.structureIds.includes(inv.fournisseur.id)) return false;
			if (idFournisseur !== null && inv.fournisseur.id !== idFournisseur) return false;
			if (idServiceFournisseur !== null && inv.fournisseur.idService !== idServiceFournisseur)
				return false;
			if (coordonnee !== null && inv.fournisseur.idCoordonneeBancaire !== coordonnee) return false;
			if (flux !== null && inv.numeroFluxDepot !== flux) return false;
			if (origine !== null && inv.numeroFactureOrigine !== origine) return false;
			if (modeDepot !== null && inv.modeDepot !== modeDepot) return false;
			if (typeFacture !== null && inv.typeFacture !== typeFacture) return false;
			if (rejetTraite !== null && inv.rejetTraite !== rejetTraite) return false;
			if (dests) {
				const services = dests.get(inv.destinataire.id);
				if (!services) return false;
				if (
					services.length &&
					!services.includes(/** @type {number} */ (inv.destinataire.idService))
				)
					return false;
			}
			return match(inv);
		});
		if (found.length === 0) return noResult();
		const { items, parametresRetour } = paginate(
			byDepositDesc(found),
			b.rechercheFactureParFournisseur,
			{
				sort: {
					...SORT_COMMON,
					IdentifiantFactureCPP: (i) => i.idFacture,
					NumeroFluxDepot: (i) => i.numeroFluxDepot,
					ModeDepot: (i) => i.modeDepot,
				},
			},
		);
		if (items.length === 0) return noResult();
		return { body: ok(LIBELLE_OK, { listeFactures: items.map(supplierItem), parametresRetour }) };
	},

	// samples/factures-rechercher-recipiendaire.*.json — block `paramRecherche`, paging keys at top level.
	[`POST ${BASE}/rechercher/recipiendaire`]: ({ body: b, state, account }) => {
		const match = commonFilter(b);
		const idDestinataire = optionalNumber('idDestinataire', b.idDestinataire);
		const idService = optionalNumber('idServiceExecutant', b.idServiceExecutant);
		const types =
			Array.isArray(b.listeTypeFacture) && b.listeTypeFacture.length ? b.listeTypeFacture : null;
		const telechargee =
			typeof b.factureTelechargeeParDestinataire === 'boolean'
				? b.factureTelechargeeParDestinataire
				: null;
		/** @type {Map<number, number[]>|null} */
		let fournisseurs = null;
		if (Array.isArray(b.listeFournisseurs) && b.listeFournisseurs.length) {
			fournisseurs = new Map();
			for (const f of b.listeFournisseurs) {
				if (!isObject(f) || blank(f.idFournisseur)) continue;
				fournisseurs.set(
					Number(f.idFournisseur),
					Array.isArray(f.listeIdService) ? f.listeIdService.map(Number) : [],
				);
			}
		}
		const found = state.invoices.filter((inv) => {
			if (!account.structureIds.includes(inv.destinataire.id) || !RECIPIENT_VISIBLE.has(inv.statut))
				return false;
			if (idDestinataire !== null && inv.destinataire.id !== idDestinataire) return false;
			if (idService !== null && inv.destinataire.idService !== idService) return false;
			if (types && !types.includes(inv.typeFacture)) return false;
			if (telechargee !== null && inv.factureTelechargeeParDestinataire !== telechargee)
				return false;
			if (fournisseurs) {
				const services = fournisseurs.get(inv.fournisseur.id);
				if (!services) return false;
				if (
					services.length &&
					!services.includes(/** @type {number} */ (inv.fournisseur.idService))
				)
					return false;
			}
			return match(inv);
		});
		if (found.length === 0) return noResult();
		const { items, parametresRetour } = paginate(byDepositDesc(found), b.paramRecherche, {
			sort: {
				...SORT_COMMON,
				IdFacture: (i) => i.idFacture,
				FactureTelechargeeParDestinataire: (i) => i.factureTelechargeeParDestinataire,
			},
		});
		if (items.length === 0) return noResult();
		return {
			body: ok(LIBELLE_OK, { ...parametresRetour, listeFactures: items.map(recipientItem) }),
		};
	},

	// samples/factures-consulter-fournisseur.*.json
	[`POST ${BASE}/consulter/fournisseur`]: (ctx) => {
		const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
		return { body: ok(LIBELLE_OK, { facture: factureDetail(inv) }) };
	},

	// Same request shape as consulter/fournisseur: `identifiantFactureCPP` (antoine2116/go-choruspro
	// factures_consultations.go, ConsulterFactureOptions; CPP-2017/ChorusPro ChorusProAPI/API/Factures/_Facture.cs,
	// ConsulterFacture, marked obligatoire), although the recipient's other services (search results, historique,
	// traiter/recue, telecharger/groupe) say `idFacture`. A missing key is 20099 naming identifiantFactureCPP, as on
	// consulter/fournisseur. README "Invoice id key per service" lists every service.
	[`POST ${BASE}/consulter/recipiendaire`]: (ctx) => {
		const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'recipiendaire');
		return { body: ok(LIBELLE_OK, { facture: factureDetail(inv) }) };
	},

	// samples/factures-consulter-historique.*.json (either side)
	[`POST ${BASE}/consulter/historique`]: (ctx) => {
		const inv = invoiceFor(ctx, 'idFacture', 'any');
		const max = optionalNumber('nbResultatsMaximum', ctx.body.nbResultatsMaximum);
		return { body: ok(LIBELLE_OK_FACTURES, historiqueBody(inv, max ?? undefined)) };
	},

	// samples/factures-telecharger-groupe.*.json
	[`POST ${BASE}/telecharger/groupe`]: (ctx) => {
		const b = ctx.body;
		if (!Array.isArray(b.listeFacture) || b.listeFacture.length === 0)
			return missingField('listeFacture');
		if (blank(b.format)) return missingField('format');
		if (b.format !== 'PDF' && b.format !== 'PIVOT')
			return invalidValue('format', b.format, 'Valeurs possibles : PDF, PIVOT.');
		const pj = b.avecPiecesJointesComplementaires;
		if (
			!blank(pj) &&
			typeof pj !== 'boolean' &&
			!['OUI', 'NON'].includes(String(pj).toUpperCase())
		) {
			return invalidValue('avecPiecesJointesComplementaires', pj, 'Valeurs possibles : OUI, NON.');
		}
		const withPj = b.format === 'PDF' && (pj === true || String(pj).toUpperCase() === 'OUI');
		/** @type {Invoice[]} */
		const list = [];
		for (const item of b.listeFacture) {
			const inv = invoiceFor({ ...ctx, body: isObject(item) ? item : {} }, 'idFacture', 'any');
			if (!list.includes(inv)) list.push(inv);
		}
		const file = downloadFile(ctx.state, list, b.format, withPj);
		if (file.length > 120 * MB) return { status: 413 };
		for (const inv of list)
			if (isRecipientOf(ctx.account, inv)) inv.factureTelechargeeParDestinataire = true;
		return { body: ok(LIBELLE_OK, { fichierResultat: file.toString('base64') }) };
	},

	// Supplier completes a SUSPENDUE invoice (§5.2 codes 20000/20001/20002).
	[`POST ${BASE}/completer`]: (ctx) => {
		const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
		if (inv.statut !== 'SUSPENDUE')
			return fail(
				400,
				20002,
				"GDP_MSG_11.033 La demande de paiement n'est pas au statut Suspendue.",
			);
		const added = attachmentsComplementaires(ctx, ctx.body.pieceJointeComplementaire);
		inv.piecesJointesComplementaires.push(...added);
		const commentaire = blank(ctx.body.commentaire)
			? null
			: String(ctx.body.commentaire).slice(0, 2000);
		const now = ctx.now();
		setStatus(ctx.state, inv, 'COMPLETEE', now, commentaire);
		return {
			body: ok(LIBELLE_OK_FACTURES, {
				identifiantFactureCPP: inv.idFacture,
				numeroFacture: inv.numeroFacture,
				dateTraitement: formatDateMinutes(now),
			}),
		};
	},

	// Supplier re-routes an A_RECYCLER invoice (samples/factures-recycler.*.json).
	[`POST ${BASE}/recycler`]: (ctx) => {
		const inv = invoiceFor(ctx, 'identifiantFactureCPP', 'fournisseur');
		if (inv.statut !== 'A_RECYCLER')
			return fail(
				400,
				20002,
				`${LIB_ETAT} Seule une facture au statut A_RECYCLER peut être recyclée (statut actuel : ${inv.statut}).`,
			);
		const d = isObject(ctx.body.destinataire) ? ctx.body.destinataire : {};
		if (blank(d.codeDestinataire)) return missingField('destinataire.codeDestinataire');
		const ejGiven = ctx.body.references?.numeroBonCommande ?? ctx.body.numeroBonCommande;
		const ej = blank(ejGiven) ? inv.numeroBonCommande : String(ejGiven);
		const routing = checkRouting(ctx.state, {
			siret: d.codeDestinataire,
			codeService: d.codeServiceExecutant,
			numeroEJ: ej,
		});
		if ('message' in routing) return fail(400, routingCode(routing.kind), routing.message);
		const now = ctx.now();
		inv.destinataire = destinataireOf(routing.destinataire, routing.service);
		inv.numeroBonCommande = ej;
		inv.depositAt = now.getTime();
		inv.dateDepot = formatDate(now);
		setStatus(
			ctx.state,
			inv,
			'DEPOSEE',
			now,
			blank(ctx.body.commentaire) ? null : String(ctx.body.commentaire),
		);
		return {
			body: ok(LIBELLE_OK_FACTURES, {
				dateDepot: formatDateMinutes(now),
				identifiantFactureCPP: inv.idFacture,
				numeroFacture: inv.numeroFacture,
				statutFacture: inv.statut,
			}),
		};
	},

	// Recipient sets a new status (samples/factures-traiter-recue.*.json).
	[`POST ${BASE}/traiter/recue`]: (ctx) => {
		const b = ctx.body;
		const inv = invoiceFor(ctx, 'idFacture', 'recipiendaire');
		if (blank(b.nouveauStatut)) return missingField('nouveauStatut');
		if (!STATUTS_TRAITEMENT.includes(b.nouveauStatut)) {
			return invalidValue(
				'nouveauStatut',
				b.nouveauStatut,
				`Valeurs possibles : ${STATUTS_TRAITEMENT.join(', ')}.`,
			);
		}
		if ((b.nouveauStatut === 'REJETEE' || b.nouveauStatut === 'SUSPENDUE') && blank(b.motif))
			return missingField('motif');
		const allowed = TRANSITIONS_TRAITEMENT[inv.statut] ?? [];
		if (!allowed.includes(b.nouveauStatut)) {
			return fail(
				400,
				20002,
				`${LIB_ETAT} Le statut ${b.nouveauStatut} ne peut pas suivre le statut ${inv.statut}.`,
			);
		}
		const now = ctx.now();
		if (!blank(b.numeroDPMandat)) inv.numeroDPMandat = String(b.numeroDPMandat);
		setStatus(ctx.state, inv, b.nouveauStatut, now, blank(b.motif) ? null : String(b.motif));
		return {
			body: ok(LIBELLE_OK_FACTURES, {
				dateTraitement: formatDate(now),
				idFacture: inv.idFacture,
				nouveauStatut: inv.statut,
				numeroFacture: inv.numeroFacture,
			}),
		};
	},
};
