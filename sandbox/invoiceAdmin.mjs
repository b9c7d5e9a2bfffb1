// @ts-check
/**
 * Invoice admin hooks (`/__admin/invoices…`, see README.md): list and show invoices, create many at once, and
 * move an invoice to any status or along the normal path, without the API's transition checks.
 */
import { formatDate, formatDateMinutes, formatIso, parseParisLocal } from './dates.mjs';
import {
	nextSeq,
	structureById,
	structureBySiret,
	serviceByCode,
	SUPPLIER_ID,
	RECIPIENT_ID,
} from './seed.mjs';
import {
	INVOICE_STATUSES,
	findInvoice,
	setStatus,
	recordStatus,
	storeInvoice,
	recipientPart,
	supplierPart,
} from './invoices.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./routing.mjs').Ctx} Ctx */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./invoices.mjs').Invoice} Invoice */

/** Normal supplier-side path of a plain invoice (admin "advance"). */
const NORMAL_PATH = [
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

/**
 * What the invoices of one bulk request share, worked out once for the batch (dates formatted once).
 * @typedef {{ count: number, path: string[], when: Date, at: number, iso: string, minutes: string,
 *   day: string, prefix: string, amountHT: number|null, supplier: Invoice['fournisseur'],
 *   recipient: Invoice['destinataire'], body: any }} Batch
 */

/**
 * Creates `count` invoices at once (pagination tests, benchmarks), each with the history of the normal path up to
 * the requested status. Throws an Error naming a wrong field.
 * @param {State} state @param {any} body @param {Date} now
 */
export function bulkCreate(state, body, now) {
	const batch = prepareBatch(state, body, now);
	let firstId = 0;
	let lastId = 0;
	for (let i = 1; i <= batch.count; i++) {
		const inv = bulkInvoice(state, batch, i);
		for (const status of batch.path)
			recordStatus(state, inv, status, batch.when, null, batch.iso, batch.minutes);
		storeInvoice(state, inv);
		if (i === 1) firstId = inv.idFacture;
		lastId = inv.idFacture;
	}
	return { count: batch.count, firstId, lastId, prefix: batch.prefix };
}

/**
 * Checks a bulk request and works out what its invoices share.
 * @param {State} state @param {any} body @param {Date} now @returns {Batch}
 */
function prepareBatch(state, body, now) {
	const status = body.statut ?? 'DEPOSEE';
	if (!INVOICE_STATUSES.includes(status)) throw new Error(`unknown statut ${status}`);
	const supplier = structureById(state, body.fournisseurId ?? SUPPLIER_ID);
	if (!supplier) throw new Error(`unknown fournisseurId ${body.fournisseurId}`);
	const recipient = body.destinataireSiret
		? structureBySiret(state, body.destinataireSiret)
		: structureById(state, RECIPIENT_ID);
	if (!recipient) throw new Error(`unknown destinataireSiret ${body.destinataireSiret}`);
	const service = body.codeService ? (serviceByCode(recipient, body.codeService) ?? null) : null;
	let when = now;
	if (body.dateDepot != null) {
		const d = parseParisLocal(`${body.dateDepot} 12:00`);
		if (!d) throw new Error('dateDepot must be YYYY-MM-DD');
		when = d;
	}
	const batchNumber = nextSeq(state, 'bulk', 0);
	return {
		count: body.count,
		path: NORMAL_PATH.includes(status)
			? NORMAL_PATH.slice(0, NORMAL_PATH.indexOf(status) + 1)
			: ['DEPOSEE', status],
		when,
		at: when.getTime(),
		iso: formatIso(when),
		minutes: formatDateMinutes(when),
		day: formatDate(when),
		prefix: body.prefix ?? `BULK${batchNumber}-`,
		amountHT: typeof body.montantHT === 'number' ? body.montantHT : null,
		supplier: supplierPart(supplier, supplier.services[0] ?? null),
		recipient: recipientPart(recipient, service),
		body,
	};
}

/**
 * Invoice number `i` of a batch, `DEPOSEE` with no history yet; one line, one VAT line at 20 %.
 * @param {State} state @param {Batch} batch @param {number} i @returns {Invoice}
 */
function bulkInvoice(state, batch, i) {
	const { body, day, at } = batch;
	const amountHT = batch.amountHT ?? 100 + (i % 50) * 10;
	const amountVAT = Math.round(amountHT * 20) / 100;
	// Keys in the order the admin JSON of a bulk invoice shows them.
	return {
		idFacture: nextSeq(state, 'idFacture', 8420000),
		numeroFacture: `${batch.prefix}${String(i).padStart(6, '0')}`,
		typeFacture: 'FACTURE',
		typeDemandePaiement: 'FACTURE',
		modeDepot: body.numeroFluxDepot ? 'UPLOAD_API' : 'SAISIE_API',
		numeroFluxDepot: body.numeroFluxDepot ?? null,
		cadreFacturation: 'A1_FACTURE_FOURNISSEUR',
		codeStructureValideur: null,
		codeServiceValideur: null,
		fournisseur: batch.supplier,
		destinataire: batch.recipient,
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
		montantHT: amountHT,
		montantTVA: amountVAT,
		montantTTC: amountHT + amountVAT,
		montantAPayer: amountHT + amountVAT,
		montantRemiseGlobaleTTC: null,
		motifRemiseGlobaleTTC: null,
		lignes: [bulkLine(amountHT)],
		lignesTva: [bulkVatLine(amountHT, amountVAT)],
		piecesJointesPrincipales: [],
		piecesJointesComplementaires: [],
		commentaire: null,
		statut: 'DEPOSEE',
		etatAt: at,
		dateHeureEtatCourant: batch.iso,
		commentaireEtatCourant: null,
		histo: [],
		factureTelechargeeParDestinataire: false,
		rejetTraite: false,
		numeroDPMandat: null,
		source: null,
		idUtilisateurCreateur: null,
	};
}

/** The one line of a bulk invoice. @param {number} amountHT */
const bulkLine = (amountHT) => ({
	lignePosteNumero: 1,
	lignePosteReference: 'BULK',
	lignePosteDenomination: 'Prestation',
	lignePosteQuantite: 1,
	lignePosteUnite: 'lot',
	lignePosteMontantUnitaireHT: amountHT,
	lignePosteMontantRemiseHT: 0,
	lignePosteTauxTva: null,
	lignePosteTauxTvaManuel: 20,
});

/** The one VAT line of a bulk invoice. @param {number} amountHT @param {number} amountVAT */
const bulkVatLine = (amountHT, amountVAT) => ({
	ligneTvaMontantBaseHtParTaux: amountHT,
	ligneTvaMontantTvaParTaux: amountVAT,
	ligneTvaTaux: null,
	ligneTvaTauxManuel: 20,
});

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const adminRoutes = {
	'GET /__admin/invoices': ({ state, query }) => {
		const fluxNumber = query.get('numeroFluxDepot');
		const list = state.invoices.filter((inv) => !fluxNumber || inv.numeroFluxDepot === fluxNumber);
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
		const inv = findInvoice(ctx.state, ctx.params.id);
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
		const inv = findInvoice(ctx.state, ctx.params.id);
		if (!inv) return adminError(404, `Unknown invoice ${ctx.params.id}`);
		const status = ctx.body?.statut;
		if (!INVOICE_STATUSES.includes(status))
			return adminError(
				400,
				`statut must be one of the invoice statuses (docs/chorus-pro-api.md §4.2), got ${JSON.stringify(status)}`,
			);
		setStatus(ctx.state, inv, status, ctx.now(), ctx.body.commentaire ?? null);
		return { body: adminInvoice(inv) };
	},

	// Next status of the normal path DEPOSEE → … → MISE_EN_PAIEMENT; {until} walks up to that status.
	'POST /__admin/invoices/:id/advance': (ctx) => {
		const inv = findInvoice(ctx.state, ctx.params.id);
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
