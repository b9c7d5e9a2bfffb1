// @ts-check
/**
 * Flux admin hooks (`/__admin/flux…`, see README.md): list and show the flux, finish one now, or force its final
 * outcome (state, listeErreurDP, listeErreurTechnique).
 */
import { isObject } from './fields.mjs';
import { findFlux, finalizeFlux, FLUX_STATES } from './flux.mjs';

/** @typedef {import('./routing.mjs').Ctx} Ctx */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./flux.mjs').Flux} Flux */
/** @typedef {import('./flux.mjs').ForcedOutcome} ForcedOutcome */
/** @typedef {import('./flux.mjs').PaymentRequestError} PaymentRequestError */
/** @typedef {import('./fileErrors.mjs').TechnicalError} TechnicalError */

/** @param {number} status @param {string} error @returns {Reply} */
const adminError = (status, error) => ({ status, body: { error } });

/** Admin JSON of a flux: its documents summed up (binary content left out). @param {Flux} flux */
function adminFlux(flux) {
	const { documents, technicalErrors, ...rest } = flux;
	return {
		...rest,
		technicalErrors,
		documents: documents.map((d) => ({
			fileName: d.fileName,
			kind: d.kind,
			bytes: d.data.length,
			numeroFacture: d.invoice.number,
			fournisseur: d.invoice.supplier.siret,
			destinataire: d.invoice.recipient.siret,
			montantTTC: d.invoice.amountTTC,
		})),
	};
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const adminRoutes = {
	'GET /__admin/flux': ({ state }) => ({
		body: {
			flux: state.flux.map((f) => ({
				numeroFluxDepot: f.numeroFluxDepot,
				syntaxeFlux: f.syntaxeFlux,
				nomFichier: f.nomFichier,
				etat: f.etat,
				polls: f.polls,
				final: f.final,
				invoiceIds: f.invoiceIds,
			})),
		},
	}),

	'GET /__admin/flux/:numero': ({ state, params }) => {
		const flux = findFlux(state, params.numero);
		return flux ? { body: adminFlux(flux) } : adminError(404, `Unknown flux ${params.numero}`);
	},

	// Reach the final state now (as if the last poll happened).
	'POST /__admin/flux/:numero/process': ({ state, params, now }) => {
		const flux = findFlux(state, params.numero);
		if (!flux) return adminError(404, `Unknown flux ${params.numero}`);
		finalizeFlux(state, flux, now());
		return { body: adminFlux(flux) };
	},

	// Force the final outcome: {etat, listeErreurDP?, listeErreurTechnique?, immediate?}.
	'POST /__admin/flux/:numero/outcome': ({ state, params, body, now }) => {
		const flux = findFlux(state, params.numero);
		if (!flux) return adminError(404, `Unknown flux ${params.numero}`);
		if (flux.final)
			return adminError(
				409,
				`Flux ${flux.numeroFluxDepot} is already in its final state ${flux.etat}`,
			);
		const forced = forcedOutcome(flux, body);
		if (typeof forced === 'string') return adminError(400, forced);
		flux.forced = forced;
		if (body.immediate === true) finalizeFlux(state, flux, now());
		return { body: adminFlux(flux) };
	},
};

/**
 * The outcome an admin request forces, or why it is refused. Errors left out of an item are filled in: the
 * parties of the named invoice, a default message.
 * @param {Flux} flux @param {any} body @returns {ForcedOutcome|string}
 */
function forcedOutcome(flux, body) {
	if (!isObject(body) || !FLUX_STATES.includes(body.etat))
		return `etat must be one of ${FLUX_STATES.join(', ')}`;
	/** @type {ForcedOutcome} */
	const forced = { etat: body.etat };
	if (body.listeErreurDP != null) {
		if (!Array.isArray(body.listeErreurDP) || !body.listeErreurDP.every(isObject))
			return 'listeErreurDP must be an array of objects';
		forced.listeErreurDP = body.listeErreurDP.map((/** @type {any} */ e) =>
			forcedPaymentRequestError(flux, e),
		);
	}
	if (body.listeErreurTechnique != null) {
		if (!Array.isArray(body.listeErreurTechnique) || !body.listeErreurTechnique.every(isObject))
			return 'listeErreurTechnique must be an array of objects';
		forced.listeErreurTechnique = body.listeErreurTechnique.map(
			(/** @type {any} */ e) =>
				/** @type {TechnicalError} */ ({
					codeErreur: String(e.codeErreur ?? 'ERR_SBX_002'),
					libelleErreur: String(
						e.libelleErreur ?? 'Erreur technique (résultat imposé par le bac à sable).',
					),
					natureErreur: String(e.natureErreur ?? 'TECHNIQUE'),
				}),
		);
	}
	return forced;
}

/** @param {Flux} flux @param {any} item @returns {PaymentRequestError} */
function forcedPaymentRequestError(flux, item) {
	const doc = flux.documents.find((d) => d.invoice.number === item.numeroDP);
	return {
		numeroDP: String(item.numeroDP ?? ''),
		identifiantFournisseur: String(
			item.identifiantFournisseur ?? doc?.invoice.supplier.siret ?? '',
		),
		identifiantDestinataire: String(
			item.identifiantDestinataire ?? doc?.invoice.recipient.siret ?? '',
		),
		libelleErreurDP: String(
			item.libelleErreurDP ?? 'Demande de paiement rejetée (résultat imposé par le bac à sable).',
		),
	};
}
