// @ts-check
/**
 * Engagements juridiques (`/cpro/engagementsJuridiques/v1/rechercher`, docs/chorus-pro-api.md §3.5): lets a
 * supplier check a purchase-order (EJ) number of a recipient before invoicing. The answer item fields are not
 * documented; the sandbox returns a plausible set (see README.md).
 */
import { ok, fail, noResult, missingField, paginate, SUCCESS_LABEL, CODES } from '../replies.mjs';
import { structureById, structureBySiret } from '../seed.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */

const BASE = '/cpro/engagementsJuridiques/v1';

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	[`POST ${BASE}/rechercher`]: ({ body, state }) => {
		const recipient = body.structureReceptriceEngagementJuridique;
		if (recipient == null || recipient === '')
			return missingField('structureReceptriceEngagementJuridique');
		// Real clients send the recipient idStructureCPP as a string; a SIRET is accepted too.
		const s = structureById(state, recipient) ?? structureBySiret(state, String(recipient));
		if (!s) return fail(400, CODES.NOT_FOUND, `La structure ${recipient} n'existe pas.`);
		const number =
			body.numeroEngagementJuridique == null ? '' : String(body.numeroEngagementJuridique).trim();
		const status = body.etatCourantEngagementJuridique;
		const found = state.engagements.filter(
			(e) =>
				e.idStructureCPP === s.idStructureCPP &&
				(!number || e.numeroEngagementJuridique === number) &&
				(status == null || status === '' || e.etatCourantEngagementJuridique === status),
		);
		if (found.length === 0) return noResult();
		const { items, parametresRetour } = paginate(found, body.parametresRecherche);
		return {
			body: ok(SUCCESS_LABEL, {
				listeEngagementJuridique: items.map((e) => ({
					idEngagementJuridique: e.idEngagementJuridique,
					numeroEngagementJuridique: e.numeroEngagementJuridique,
					libelleEngagementJuridique: e.libelleEngagementJuridique,
					etatCourantEngagementJuridique: e.etatCourantEngagementJuridique,
					structureReceptriceEngagementJuridique: String(s.idStructureCPP),
					identifiantStructureReceptrice: s.identifiantStructure,
					designationStructureReceptrice: s.designationStructure,
					codeServiceExecutant: e.codeService ?? null,
					identifiantFournisseur: e.identifiantFournisseur ?? null,
					montantEngagementJuridique: e.montantEngagementJuridique,
					codeDevise: e.codeDevise,
					dateCreation: e.dateCreation,
				})),
				parametresRetour,
			}),
		};
	},
};
