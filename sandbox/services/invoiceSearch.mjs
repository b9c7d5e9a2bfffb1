// @ts-check
/**
 * The two invoice searches (docs/chorus-pro-api.md §3.1): `rechercher/fournisseur` (the account's invoices as
 * supplier, paging block `rechercheFactureParFournisseur`) and `rechercher/recipiendaire` (the invoices its
 * structures received and may see, block `paramRecherche`, paging keys at the top level of the answer). Both
 * share the period, amount, status and reference criteria; a criterion of the wrong type or format is 20097,
 * no match is 20000 (TRA_MSG_00.015). Default order: newest deposit first.
 */
import { ok, noResult, invalidValue, paginate, ReplyError, SUCCESS_LABEL } from '../replies.mjs';
import { blank, isObject, optionalNumber, isDate } from '../fields.mjs';
import { parseParisLocal } from '../dates.mjs';
import { INVOICE_STATUSES, RECIPIENT_VISIBLE_STATUSES } from '../invoices.mjs';
import { supplierItem, recipientItem } from '../invoiceViews.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../invoices.mjs').Invoice} Invoice */
/** @typedef {(inv: Invoice) => boolean} Test */

/** `triColonne` values of both searches. @type {Record<string, (inv: Invoice) => any>} */
const COMMON_SORT_KEYS = {
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
/** @type {Record<string, (inv: Invoice) => any>} */
const SUPPLIER_SORT_KEYS = {
	...COMMON_SORT_KEYS,
	IdentifiantFactureCPP: (i) => i.idFacture,
	NumeroFluxDepot: (i) => i.numeroFluxDepot,
	ModeDepot: (i) => i.modeDepot,
};
/** @type {Record<string, (inv: Invoice) => any>} */
const RECIPIENT_SORT_KEYS = {
	...COMMON_SORT_KEYS,
	IdFacture: (i) => i.idFacture,
	FactureTelechargeeParDestinataire: (i) => i.factureTelechargeeParDestinataire,
};

// ---------------------------------------------------------------------------------------------------------------
// The searches

/**
 * `POST factures/v1/rechercher/fournisseur` (samples/factures-rechercher-fournisseur.*.json).
 * @param {Ctx} ctx @returns {Reply}
 */
export function searchAsSupplier({ body, state, account }) {
	const matchesCommon = commonTest(body);
	const matchesSupplier = supplierTest(body);
	const found = state.invoices.filter(
		(inv) =>
			account.structureIds.includes(inv.fournisseur.id) &&
			matchesSupplier(inv) &&
			matchesCommon(inv),
	);
	const page = resultPage(found, body.rechercheFactureParFournisseur, SUPPLIER_SORT_KEYS);
	if (!page) return noResult();
	const { items, parametresRetour } = page;
	return { body: ok(SUCCESS_LABEL, { listeFactures: items.map(supplierItem), parametresRetour }) };
}

/**
 * `POST factures/v1/rechercher/recipiendaire` (samples/factures-rechercher-recipiendaire.*.json): only the
 * invoices the recipient may see (from MISE_A_DISPOSITION on).
 * @param {Ctx} ctx @returns {Reply}
 */
export function searchAsRecipient({ body, state, account }) {
	const matchesCommon = commonTest(body);
	const matchesRecipient = recipientTest(body);
	const found = state.invoices.filter(
		(inv) =>
			account.structureIds.includes(inv.destinataire.id) &&
			RECIPIENT_VISIBLE_STATUSES.has(inv.statut) &&
			matchesRecipient(inv) &&
			matchesCommon(inv),
	);
	const page = resultPage(found, body.paramRecherche, RECIPIENT_SORT_KEYS);
	if (!page) return noResult();
	const { items, parametresRetour } = page;
	return {
		body: ok(SUCCESS_LABEL, { ...parametresRetour, listeFactures: items.map(recipientItem) }),
	};
}

/**
 * The requested page of the matches (newest deposit first unless a `triColonne` says otherwise), or null when
 * there is nothing to show. Nothing found answers "no result" before the paging block is even checked.
 * @param {Invoice[]} found @param {any} block @param {Record<string, (inv: Invoice) => any>} sort
 */
function resultPage(found, block, sort) {
	if (found.length === 0) return null;
	const byDepositDesc = found.sort(
		(a, b) => b.depositAt - a.depositAt || b.idFacture - a.idFacture,
	);
	const page = paginate(byDepositDesc, block, { sort });
	return page.items.length === 0 ? null : page;
}

// ---------------------------------------------------------------------------------------------------------------
// Criteria of one side

/**
 * Criteria of rechercher/fournisseur: `idFournisseur`, `idServiceFournisseur`, `coordonneeBancaire`,
 * `numeroFluxDepot`, `numeroFactureOrigine`, `modeDepot`, `typeFacture`, `listeDestinataire[]`, `rejetTraite`.
 * @param {any} body @returns {Test}
 */
function supplierTest(body) {
	const supplierId = optionalNumber('idFournisseur', body.idFournisseur);
	const serviceId = optionalNumber('idServiceFournisseur', body.idServiceFournisseur);
	const bankAccountId = optionalNumber('coordonneeBancaire', body.coordonneeBancaire);
	const fluxNumber = text(body, 'numeroFluxDepot');
	const precedingInvoice = text(body, 'numeroFactureOrigine');
	const depositMode = text(body, 'modeDepot');
	const type = text(body, 'typeFacture');
	if (type !== null && type !== 'FACTURE' && type !== 'AVOIR')
		throw new ReplyError(invalidValue('typeFacture', type));
	const recipients = partiesWithServices(
		body.listeDestinataire,
		'idDestinataire',
		'listeIdServiceExecutant',
	);
	const rejectionHandled = typeof body.rejetTraite === 'boolean' ? body.rejetTraite : null;
	return (inv) =>
		(supplierId === null || inv.fournisseur.id === supplierId) &&
		(serviceId === null || inv.fournisseur.idService === serviceId) &&
		(bankAccountId === null || inv.fournisseur.idCoordonneeBancaire === bankAccountId) &&
		(fluxNumber === null || inv.numeroFluxDepot === fluxNumber) &&
		(precedingInvoice === null || inv.numeroFactureOrigine === precedingInvoice) &&
		(depositMode === null || inv.modeDepot === depositMode) &&
		(type === null || inv.typeFacture === type) &&
		(rejectionHandled === null || inv.rejetTraite === rejectionHandled) &&
		amongParties(recipients, inv.destinataire.id, inv.destinataire.idService);
}

/**
 * Criteria of rechercher/recipiendaire: `idDestinataire`, `idServiceExecutant`, `listeTypeFacture[]`,
 * `factureTelechargeeParDestinataire`, `listeFournisseurs[]`.
 * @param {any} body @returns {Test}
 */
function recipientTest(body) {
	const recipientId = optionalNumber('idDestinataire', body.idDestinataire);
	const serviceId = optionalNumber('idServiceExecutant', body.idServiceExecutant);
	const types =
		Array.isArray(body.listeTypeFacture) && body.listeTypeFacture.length
			? body.listeTypeFacture
			: null;
	const downloaded =
		typeof body.factureTelechargeeParDestinataire === 'boolean'
			? body.factureTelechargeeParDestinataire
			: null;
	const suppliers = partiesWithServices(body.listeFournisseurs, 'idFournisseur', 'listeIdService');
	return (inv) =>
		(recipientId === null || inv.destinataire.id === recipientId) &&
		(serviceId === null || inv.destinataire.idService === serviceId) &&
		(types === null || types.includes(inv.typeFacture)) &&
		(downloaded === null || inv.factureTelechargeeParDestinataire === downloaded) &&
		amongParties(suppliers, inv.fournisseur.id, inv.fournisseur.idService);
}

/**
 * A list of parties (`listeDestinataire`, `listeFournisseurs`) as structure id → its listed service ids (empty:
 * any service); null when the list is absent or empty.
 * @param {any} list @param {string} idKey @param {string} servicesKey
 * @returns {Map<number, number[]>|null}
 */
function partiesWithServices(list, idKey, servicesKey) {
	if (!Array.isArray(list) || !list.length) return null;
	/** @type {Map<number, number[]>} */
	const parties = new Map();
	for (const item of list) {
		if (!isObject(item) || blank(item[idKey])) continue;
		parties.set(
			Number(item[idKey]),
			Array.isArray(item[servicesKey]) ? item[servicesKey].map(Number) : [],
		);
	}
	return parties;
}

/**
 * Is the party (and its service) among the listed ones? Always, without a list.
 * @param {Map<number, number[]>|null} parties @param {number} id @param {number|null} serviceId
 */
function amongParties(parties, id, serviceId) {
	if (!parties) return true;
	const services = parties.get(id);
	if (!services) return false;
	return !services.length || services.includes(/** @type {number} */ (serviceId));
}

// ---------------------------------------------------------------------------------------------------------------
// Criteria of both sides

/**
 * Criteria shared by both searches, checked in this order: periods, amounts, statuses and references.
 * @param {any} body @returns {Test}
 */
function commonTest(body) {
	const tests = [...periodTests(body), ...amountTests(body), ...referenceTests(body)];
	return (inv) => tests.every((test) => test(inv));
}

/**
 * `periodeDateDepotDu/Au`, `periodeDateFactureDu/Au` (days) and `periodeDateHeureEtatCourantDu/Au` (instants);
 * bounds included.
 * @param {any} body @returns {Test[]}
 */
function periodTests(body) {
	const depositFrom = dayBound(body.periodeDateDepotDu, 'periodeDateDepotDu');
	const depositTo = dayBound(body.periodeDateDepotAu, 'periodeDateDepotAu');
	const invoiceFrom = dayBound(body.periodeDateFactureDu, 'periodeDateFactureDu');
	const invoiceTo = dayBound(body.periodeDateFactureAu, 'periodeDateFactureAu');
	const statusFrom = instantBound(
		body.periodeDateHeureEtatCourantDu,
		'periodeDateHeureEtatCourantDu',
		false,
	);
	const statusTo = instantBound(
		body.periodeDateHeureEtatCourantAu,
		'periodeDateHeureEtatCourantAu',
		true,
	);
	return [
		between(depositFrom, depositTo, (inv) => inv.dateDepot),
		between(invoiceFrom, invoiceTo, (inv) => inv.dateFacture),
		between(statusFrom, statusTo, (inv) => inv.etatAt),
	];
}

/**
 * `montantHTMin/Max`, `montantTTCMin/Max`, `montantApayerMin/Max` (also spelt `montantAPayer…`); bounds included.
 * @param {any} body @returns {Test[]}
 */
function amountTests(body) {
	const htMin = optionalNumber('montantHTMin', body.montantHTMin);
	const htMax = optionalNumber('montantHTMax', body.montantHTMax);
	const ttcMin = optionalNumber('montantTTCMin', body.montantTTCMin);
	const ttcMax = optionalNumber('montantTTCMax', body.montantTTCMax);
	const dueMin = optionalNumber('montantApayerMin', body.montantApayerMin ?? body.montantAPayerMin);
	const dueMax = optionalNumber('montantApayerMax', body.montantApayerMax ?? body.montantAPayerMax);
	return [
		between(htMin, htMax, (inv) => inv.montantHT),
		between(ttcMin, ttcMax, (inv) => inv.montantTTC),
		between(dueMin, dueMax, (inv) => inv.montantAPayer),
	];
}

/**
 * `statutCourant` (one status or a list), `numeroFacture` (any case), `numeroBonCommande`, `numeroMarche`,
 * `cadreFacturation`, `typeDemandePaiement`.
 * @param {any} body @returns {Test[]}
 */
function referenceTests(body) {
	const statuses = statusList(body.statutCourant, 'statutCourant');
	const number = blank(body.numeroFacture) ? null : String(body.numeroFacture).trim().toUpperCase();
	const purchaseOrder = text(body, 'numeroBonCommande');
	const contract = text(body, 'numeroMarche');
	const frame = text(body, 'cadreFacturation');
	const requestType = text(body, 'typeDemandePaiement');
	return [
		(inv) => statuses === null || statuses.includes(inv.statut),
		(inv) => number === null || inv.numeroFacture.toUpperCase() === number,
		(inv) => purchaseOrder === null || inv.numeroBonCommande === purchaseOrder,
		(inv) => contract === null || inv.numeroMarche === contract,
		(inv) => frame === null || inv.cadreFacturation === frame,
		(inv) => requestType === null || inv.typeDemandePaiement === requestType,
	];
}

/**
 * @template T
 * @param {T|null} min @param {T|null} max @param {(inv: Invoice) => T} value @returns {Test}
 */
const between = (min, max, value) => (inv) =>
	(min === null || value(inv) >= min) && (max === null || value(inv) <= max);

/** A text criterion, trimmed; null when blank. @param {any} body @param {string} key */
const text = (body, key) => (blank(body[key]) ? null : String(body[key]).trim());

/** @param {any} value @param {string} name @returns {string|null} `YYYY-MM-DD` of a date / date-time criterion */
function dayBound(value, name) {
	if (blank(value)) return null;
	const s = String(value);
	if (!/^\d{4}-\d{2}-\d{2}/.test(s) || !isDate(s.slice(0, 10)))
		throw new ReplyError(invalidValue(name, value, 'Format attendu : AAAA-MM-JJ.'));
	return s.slice(0, 10);
}

/**
 * Instant (epoch ms) of a date-time criterion: `YYYY-MM-DD` (Paris day; end of day for an upper bound),
 * `YYYY-MM-DDTHH:mm[:ss[.SSS]]` (Paris time; an upper bound includes the whole last second or minute), or the
 * same with `Z` / `±hh:mm`.
 * @param {any} value @param {string} name @param {boolean} upper
 * @returns {number|null}
 */
function instantBound(value, name, upper) {
	if (blank(value)) return null;
	const s = String(value).trim();
	const m =
		/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
			s,
		);
	if (!m || !isDate(m[1]))
		throw new ReplyError(
			invalidValue(name, value, 'Format attendu : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM:SS.'),
		);
	const [, day, hours, minutes, seconds, fraction, zone] = m;
	if (hours === undefined) return upper ? parisDayStart(nextDay(day)) - 1 : parisDayStart(day);
	let ms;
	if (zone) {
		ms = Date.parse(s.replace(' ', 'T'));
		if (Number.isNaN(ms)) throw new ReplyError(invalidValue(name, value));
	} else {
		const local = `${day} ${hours}:${minutes}${seconds ? `:${seconds}` : ''}`;
		ms =
			/** @type {Date} */ (parseParisLocal(local)).getTime() +
			(fraction ? Number(fraction.padEnd(4, '0').slice(1)) : 0);
	}
	if (upper && !fraction) ms += seconds ? 999 : 59999;
	return ms;
}

/** Epoch ms of 00:00 Paris time on that day. @param {string} day `YYYY-MM-DD` */
const parisDayStart = (day) => /** @type {Date} */ (parseParisLocal(day)).getTime();

/** The calendar day after. @param {string} day `YYYY-MM-DD` */
function nextDay(day) {
	const next = new Date(`${day}T00:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	return next.toISOString().slice(0, 10);
}

/** `statutCourant`: one status or a list of them, each of §4.2. @param {any} value @param {string} name @returns {string[]|null} */
function statusList(value, name) {
	if (blank(value) || (Array.isArray(value) && value.length === 0)) return null;
	const list = Array.isArray(value) ? value : [value];
	for (const status of list)
		if (!INVOICE_STATUSES.includes(status)) throw new ReplyError(invalidValue(name, status));
	return list;
}
