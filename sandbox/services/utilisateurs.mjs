// @ts-check
/**
 * Utilisateurs services (`/cpro/utilisateurs/v1`, docs/chorus-pro-api.md §3.4): the structures and services
 * the calling technical account is attached to.
 */
import { ok, noResult, paginate, SUCCESS_LABEL } from '../replies.mjs';
import { structureById } from '../seed.mjs';

/** @typedef {import('../routing.mjs').Ctx} Ctx */
/** @typedef {import('../replies.mjs').Reply} Reply */
/** @typedef {import('../seed.mjs').Structure} Structure */

const BASE = '/cpro/utilisateurs/v1';

/**
 * The account's links to its structures (rattachements), one per structure, with the services of each; ids are
 * derived from the positions so they are stable.
 * @param {Ctx} ctx
 */
function structureLinks(ctx) {
	let serviceCounter = 0;
	return ctx.account.structureIds
		.map((id) => structureById(ctx.state, id))
		.filter(/** @returns {s is Structure} */ (s) => s !== undefined)
		.map((s, i) => ({
			idStructure: s.idStructureCPP,
			idRattachementStructure: i + 1,
			identifiantStructure: s.identifiantStructure,
			typeIdentifiantStructure: s.typeIdentifiantStructure,
			designationStructure: s.designationStructure,
			roleUtilisateur: ctx.account.roleUtilisateur,
			statutRattachementStructure: 'ACTIF',
			statutUtilisateur: 'ACTIF',
			listeServicesRattache: s.services.map((x) => ({
				idService: x.idService,
				idRattachementService: ++serviceCounter,
				codeService: x.codeService,
				libelleService: x.libelleService,
				estActif: x.estActif,
				statutService: x.estActif ? 'ACTIF' : 'INACTIF',
				statutRattachementService: 'ACTIF',
				dateDbtService: x.dateDbtService,
				dateFinService: x.dateFinService ?? null,
			})),
		}));
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const routes = {
	[`POST ${BASE}/monCompte/recuperer/rattachements`]: (ctx) => {
		const list = structureLinks(ctx);
		if (list.length === 0) return noResult();
		const { items, parametresRetour } = paginate(list, ctx.body.parametresRecherche, {
			sort: {
				IdStructure: (r) => r.idStructure,
				IdentifiantStructure: (r) => r.identifiantStructure,
				DesignationStructure: (r) => r.designationStructure,
				TypeIdentifiantStructure: (r) => r.typeIdentifiantStructure,
				RoleUtilisateur: (r) => r.roleUtilisateur,
				StatutRattachementStructure: (r) => r.statutRattachementStructure,
			},
		});
		return { body: ok(SUCCESS_LABEL, { listeStructureRattachement: items, parametresRetour }) };
	},
};
