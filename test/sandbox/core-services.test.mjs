// @ts-check
/**
 * Tests of the transverses, structures, utilisateurs and engagementsJuridiques services of the sandbox:
 * shapes compared with the sample bodies, filters, pagination and errors. Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../sandbox/server.mjs';
import { sample, sameShape, apiClient } from './testing-helpers.mjs';

const NO_RESULT = { codeRetour: 20000, libelle: 'TRA_MSG_00.015' };

/** @type {import('../../sandbox/server.mjs').Sandbox} */
let sb;
/** @type {(path: string, body?: any) => Promise<{ status: number, body: any }>} */
let supplier;
/** @type {(path: string, body?: any) => Promise<{ status: number, body: any }>} */
let recipient;

before(async () => {
	sb = await createSandbox();
	supplier = await apiClient(sb, sb.credentials);
	recipient = await apiClient(sb, sb.recipientCredentials);
});
after(() => sb.close());

const T = '/cpro/transverses/v1';
const S = '/cpro/structures/v1';

describe('transverses', () => {
	it('recuperer/structures/actives/fournisseur lists the supplier structure of the account', async () => {
		const r = await supplier(
			`${T}/recuperer/structures/actives/fournisseur`,
			sample('transverses-recuperer-structures-actives-fournisseur.request.json'),
		);
		assert.equal(r.status, 200);
		sameShape(
			r.body,
			sample('transverses-recuperer-structures-actives-fournisseur.response.json'),
			{ exact: true },
		);
		assert.deepEqual(
			r.body,
			sample('transverses-recuperer-structures-actives-fournisseur.response.json'),
		);
		// The recipient account has no private structure.
		assert.deepEqual(
			(await recipient(`${T}/recuperer/structures/actives/fournisseur`)).body,
			NO_RESULT,
		);
	});

	it('recuperer/structures/actives/destinataire lists the active public structures of the account', async () => {
		const r = await recipient(`${T}/recuperer/structures/actives/destinataire`);
		sameShape(
			r.body,
			sample('transverses-recuperer-structures-actives-fournisseur.response.json'),
			{ exact: true },
		);
		const ids = r.body.listeStructures.map((/** @type {any} */ s) => s.idStructureCPP);
		assert.ok(ids.includes(25783752));
		assert.ok(!ids.includes(25784157), 'inactive structure listed');
		assert.deepEqual(
			(await supplier(`${T}/recuperer/structures/actives/destinataire`)).body,
			NO_RESULT,
		);
	});

	it('recuperer/tauxtva starts with the live TVA1 entry and has the usual French rates', async () => {
		const r = await supplier(
			`${T}/recuperer/tauxtva`,
			sample('transverses-recuperer-tauxtva.request.json'),
		);
		const expected = sample('transverses-recuperer-tauxtva.response.json');
		sameShape(r.body, expected, { exact: true });
		assert.deepEqual(r.body.listeTauxTva[0], expected.listeTauxTva[0]);
		assert.deepEqual(
			r.body.listeTauxTva
				.map((/** @type {any} */ t) => t.valeurTauxTva)
				.sort((/** @type {number} */ a, /** @type {number} */ b) => a - b),
			[0, 0, 2.1, 5.5, 10, 20],
		);
		const en = await supplier(`${T}/recuperer/tauxtva`, { codeLangue: 'EN' });
		assert.equal(en.body.listeTauxTva.length, 6);
	});

	it('recuperer/devises has the sample shape and EUR', async () => {
		const r = await supplier(`${T}/recuperer/devises`, { codeLangue: 'FR' });
		sameShape(r.body, sample('transverses-recuperer-devises.response.json'), { exact: true });
		assert.deepEqual(r.body.listeDevises[0], { codeDevise: 'EUR', libelleDevise: 'Euro européen' });
	});

	it('serves the other reference lists with their documented keys', async () => {
		/** @type {[string, any, string, string[]][]} */
		const cases = [
			['/recuperer/pays', { codeLangue: 'FR' }, 'listePays', ['codePays', 'libellePays']],
			['/recuperer/modereglements', {}, 'listeModePaiement', ['modePaiement']],
			['/recuperer/modedepot', {}, 'listeModeDepot', ['modeDepot']],
			['/recuperer/formatflux', {}, 'listeFormatFlux', ['formatFlux']],
			['/recuperer/typedp', {}, 'listeTypeDemandePaiement', ['typeDemandePaiement']],
			['/recuperer/cadrefacturation', {}, 'listeCadreFacturation', ['codeCadreFacturation']],
			[
				'/recuperer/motifs/exonerationtva',
				{ codeLangue: 'FR' },
				'listeMotifsExonerationTva',
				['codeMotifExonerationTva', 'libelleMotifExonerationTva'],
			],
			[
				'/recuperer/typespj',
				{ codeLangue: 'FR', typeObjet: 'FACTURE' },
				'listeTypePieceJointe',
				['codeTypePieceJointe', 'libelleTypePieceJointe', 'idTypePieceJointe', 'typeObjet'],
			],
		];
		for (const [path, body, key, fields] of cases) {
			const r = await supplier(T + path, body);
			assert.equal(r.status, 200, path);
			assert.equal(r.body.codeRetour, 0, path);
			assert.equal(r.body.libelle, 'TRA_MSG_00.000', path);
			assert.ok(r.body[key].length > 0, path);
			for (const item of r.body[key])
				assert.deepEqual(Object.keys(item).sort(), [...fields].sort(), path);
		}
		const all = (await supplier(`${T}/recuperer/cadrefacturation`)).body.listeCadreFacturation;
		assert.equal(all.length, 25);
		const factures = (
			await supplier(`${T}/recuperer/cadrefacturation`, { typeDemandePaiement: 'FACTURE' })
		).body.listeCadreFacturation;
		assert.ok(
			factures.some((/** @type {any} */ c) => c.codeCadreFacturation === 'A1_FACTURE_FOURNISSEUR'),
		);
		assert.equal(
			(await supplier(`${T}/recuperer/cadrefacturation`, { typeDemandePaiement: 'X' })).body
				.codeRetour,
			20097,
		);
		const modes = (await supplier(`${T}/recuperer/modereglements`)).body.listeModePaiement.map(
			(/** @type {any} */ m) => m.modePaiement,
		);
		assert.deepEqual(modes, ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT']);
		const pj = (await supplier(`${T}/recuperer/typespj`, { typeObjet: 'FACTURE' })).body
			.listeTypePieceJointe;
		assert.deepEqual(pj[0], {
			codeTypePieceJointe: 'DIVERS',
			libelleTypePieceJointe: 'Pièce jointe standard',
			idTypePieceJointe: 104,
			typeObjet: 'FACTURE',
		});
	});

	it('recuperer/etats/traitement gives the statuses a recipient may set', async () => {
		const r = await recipient(`${T}/recuperer/etats/traitement`, {
			statutCourant: 'MISE_A_DISPOSITION',
		});
		assert.equal(r.status, 200);
		const list = r.body.listeStatutsPossiblesPourTraitement.map(
			(/** @type {any} */ s) => s.statutPossiblePourTraitement,
		);
		for (const s of [
			'REJETEE',
			'SUSPENDUE',
			'SERVICE_FAIT',
			'MANDATEE',
			'MISE_EN_PAIEMENT',
			'A_RECYCLER',
		])
			assert.ok(list.includes(s), s);
		assert.deepEqual(
			(await recipient(`${T}/recuperer/etats/traitement`, { statutCourant: 'MISE_EN_PAIEMENT' }))
				.body,
			NO_RESULT,
		);
		const missing = await recipient(`${T}/recuperer/etats/traitement`, {});
		assert.equal(missing.status, 400);
		assert.equal(missing.body.codeRetour, 20099);
		assert.equal(
			(await recipient(`${T}/recuperer/etats/traitement`, { statutCourant: 'NIMPORTE' })).body
				.codeRetour,
			20097,
		);
	});

	it('recuperer/coordbanc/valides lists the bank accounts of a structure of the caller', async () => {
		const r = await supplier(`${T}/recuperer/coordbanc/valides`, { idStructure: 26300989 });
		assert.equal(r.status, 200);
		assert.deepEqual(
			r.body.listeCoordonneeBancaire.map((/** @type {any} */ c) => c.idCoordonneeBancaire),
			[132, 133],
		);
		for (const c of r.body.listeCoordonneeBancaire)
			assert.deepEqual(Object.keys(c), ['idCoordonneeBancaire', 'nomCoordonneeBancaire']);
		const other = await supplier(`${T}/recuperer/coordbanc/valides`, { idStructure: 25783752 });
		assert.equal(other.status, 400);
		assert.equal(other.body.codeRetour, 20001);
		assert.equal((await supplier(`${T}/recuperer/coordbanc/valides`, {})).body.codeRetour, 20099);
	});

	it('rechercher/destinataire searches the active public recipients, paginated', async () => {
		const one = await supplier(`${T}/rechercher/destinataire`, { identifiant: '12345678200028' });
		assert.equal(one.status, 200);
		assert.deepEqual(one.body.listeDestinataires, [
			{
				idStructureCPP: 25784152,
				siret: '12345678200028',
				nomDestinataire: 'Destinataire avec service obligatoire',
				adresseCodePostal: '75002',
				adresseVille: 'Paris',
			},
		]);
		assert.deepEqual(one.body.parametresRetour, {
			pageCourante: 1,
			pages: 1,
			nbResultatsParPage: 10,
			total: 1,
		});
		const lyon = await supplier(`${T}/rechercher/destinataire`, { nomVilleCodePostal: 'lyon' });
		assert.equal(lyon.body.listeDestinataires[0].adresseVille, 'Lyon');
		const paged = await supplier(`${T}/rechercher/destinataire`, {
			parametresRecherche: { nbResultatsParPage: 5, pageResultatDemandee: 2 },
		});
		assert.equal(paged.body.listeDestinataires.length, 5);
		assert.equal(paged.body.parametresRetour.pageCourante, 2);
		assert.ok(paged.body.parametresRetour.total >= 30);
		assert.deepEqual(
			(await supplier(`${T}/rechercher/destinataire`, { identifiant: '12345678200077' })).body,
			NO_RESULT,
		); // inactive
	});
});

describe('structures', () => {
	it('rechercher answers the sample shape, found by SIRET', async () => {
		const request = sample('structures-rechercher.request.json');
		request.structure.identifiantStructure = '00000000012887';
		const r = await supplier(`${S}/rechercher`, request);
		assert.equal(r.status, 200);
		const expected = sample('structures-rechercher.response.json');
		sameShape(r.body, expected, { exact: true });
		assert.deepEqual(r.body.listeStructures, expected.listeStructures);
		assert.deepEqual(r.body.parametresRetour, expected.parametresRetour);
	});

	it('rechercher paginates over 3+ pages with the `parametres` block', async () => {
		/** @type {number[]} */
		const seen = [];
		const first = await supplier(`${S}/rechercher`, {
			structure: { typeStructure: 'PUBLIQUE' },
			parametres: { nbResultatsParPage: 10, pageResultatDemandee: 1 },
		});
		const { pages, total } = first.body.parametresRetour;
		assert.ok(pages >= 3, `pages=${pages}`);
		assert.equal(pages, Math.ceil(total / 10));
		for (let page = 1; page <= pages; page++) {
			const r = await supplier(`${S}/rechercher`, {
				structure: { typeStructure: 'PUBLIQUE' },
				parametres: { nbResultatsParPage: 10, pageResultatDemandee: page },
			});
			assert.deepEqual(r.body.parametresRetour, {
				pageCourante: page,
				pages,
				nbResultatsParPage: 10,
				total,
			});
			assert.equal(r.body.listeStructures.length, page < pages ? 10 : total - 10 * (pages - 1));
			seen.push(...r.body.listeStructures.map((/** @type {any} */ s) => s.idStructureCPP));
		}
		assert.equal(new Set(seen).size, total);
		// A wrong block name is ignored: defaults (page 1, 10 per page).
		const wrong = await supplier(`${S}/rechercher`, {
			structure: { typeStructure: 'PUBLIQUE' },
			parametresRecherche: { nbResultatsParPage: 50 },
		});
		assert.equal(wrong.body.parametresRetour.nbResultatsParPage, 10);
		assert.equal(wrong.body.listeStructures.length, 10);
		// Page size cap.
		const tooBig = await supplier(`${S}/rechercher`, { parametres: { nbResultatsParPage: 10001 } });
		assert.equal(tooBig.status, 400);
		assert.equal(tooBig.body.codeRetour, 20097);
		assert.equal(
			(await supplier(`${S}/rechercher`, { parametres: { nbResultatsParPage: 10000 } })).body
				.listeStructures.length,
			total + 1,
		);
	});

	it('rechercher filters and sorts', async () => {
		const communes = await supplier(`${S}/rechercher`, {
			structure: { raisonSocialeStructure: 'COMMUNE d' },
			parametres: { nbResultatsParPage: 100 },
		});
		assert.ok(communes.body.listeStructures.length > 10);
		assert.ok(
			communes.body.listeStructures.every((/** @type {any} */ s) =>
				s.designationStructure.startsWith('Commune d'),
			),
		);
		const accents = await supplier(`${S}/rechercher`, {
			structure: { raisonSocialeStructure: 'parametre' },
		});
		assert.equal(
			accents.body.listeStructures[0].designationStructure,
			'Destinataire sans paramètre',
		);
		const inactive = await supplier(`${S}/rechercher`, {
			structure: { statutStructure: 'INACTIF' },
		});
		assert.deepEqual(
			inactive.body.listeStructures.map((/** @type {any} */ s) => s.statut),
			['INACTIVE'],
		);
		const paris = await supplier(`${S}/rechercher`, {
			structure: { adresseCodePostal: '7500', adresseVille: 'paris', typeStructure: 'PUBLIQUE' },
		});
		assert.ok(paris.body.listeStructures.length >= 5);
		const sorted = await supplier(`${S}/rechercher`, {
			parametres: {
				triColonne: 'DesignationStructure',
				triSens: 'Ascendant',
				nbResultatsParPage: 3,
			},
		});
		const names = sorted.body.listeStructures.map((/** @type {any} */ s) => s.designationStructure);
		assert.deepEqual(
			names,
			[...names].sort((a, b) => a.localeCompare(b, 'fr')),
		);
		assert.ok(names[0].startsWith('Centre hospitalier'));
		assert.equal(
			(await supplier(`${S}/rechercher`, { parametres: { triColonne: 'Ville' } })).body.codeRetour,
			20097,
		);
		assert.equal(
			(await supplier(`${S}/rechercher`, { structure: { typeStructure: 'MIXTE' } })).status,
			400,
		);
		assert.deepEqual(
			(await supplier(`${S}/rechercher`, { structure: { identifiantStructure: '99999999999999' } }))
				.body,
			NO_RESULT,
		);
	});

	it('rechercher hides private structures the user is not attached to unless restreindreStructuresPrivees is false', async () => {
		const req = { structure: { typeStructure: 'PRIVEE' } };
		assert.deepEqual((await recipient(`${S}/rechercher`, req)).body, NO_RESULT);
		assert.deepEqual(
			(await recipient(`${S}/rechercher`, { ...req, restreindreStructuresPrivees: true })).body,
			NO_RESULT,
		);
		const all = await recipient(`${S}/rechercher`, { ...req, restreindreStructuresPrivees: false });
		assert.deepEqual(
			all.body.listeStructures.map((/** @type {any} */ s) => s.idStructureCPP),
			[26300989],
		);
		const own = await supplier(`${S}/rechercher`, req);
		assert.deepEqual(
			own.body.listeStructures.map((/** @type {any} */ s) => s.idStructureCPP),
			[26300989],
		);
	});

	it('consulter answers the Swagger shape with idStructureCPP, and refuses `idStructure`', async () => {
		const r = await supplier(`${S}/consulter`, sample('structures-consulter.request.json'));
		assert.equal(r.status, 200);
		sameShape(r.body, sample('structures-consulter.response.schema-derived.json'), { exact: true });
		assert.equal(r.body.informationGenerales.identifiantStructure, '00000000012887');
		assert.equal(r.body.parametres.codeServiceDoitEtreRenseigne, false);
		const go = await supplier(`${S}/consulter`, { idStructure: 25783752, codeLangue: 'FR' });
		assert.equal(go.status, 400);
		assert.equal(go.body.codeRetour, 20099);
		assert.match(go.body.libelle, /idStructureCPP/);
		const unknown = await supplier(`${S}/consulter`, { idStructureCPP: 1 });
		assert.equal(unknown.status, 400);
		assert.equal(unknown.body.codeRetour, 20001);
		assert.equal(
			(await supplier(`${S}/consulter`, { idStructureCPP: 'abc' })).body.codeRetour,
			20097,
		);
		// Lower-case language and a numeric string work as with the real API.
		assert.equal(
			(await supplier(`${S}/consulter`, { idStructureCPP: '25784152', codeLangue: 'fr' })).body
				.parametres.codeServiceDoitEtreRenseigne,
			true,
		);
	});

	it("consulter tells the technical password expiry of the caller's own structure only", async () => {
		const own = await supplier(`${S}/consulter`, { idStructureCPP: 26300989, codeLangue: 'FR' });
		const expiry = Date.parse(own.body.informationGenerales.dateExpirationMotPasseCompteTech);
		const days = (expiry - sb.state.createdAt.getTime()) / 86400_000;
		assert.ok(days > 299.9 && days < 300.1, `days=${days}`);
		assert.equal(own.body.informationGenerales.structurePriveePublique, 'PRIVEE');
		const other = await recipient(`${S}/consulter`, { idStructureCPP: 26300989 });
		assert.ok(!('dateExpirationMotPasseCompteTech' in other.body.informationGenerales));
	});

	it('rechercher/services answers the sample (order by CodeService descending) with its own block name', async () => {
		const r = await supplier(
			`${S}/rechercher/services`,
			sample('structures-rechercher-services.request.json'),
		);
		assert.equal(r.status, 200);
		const expected = sample('structures-rechercher-services.response.json');
		sameShape(r.body, expected, { exact: true });
		assert.deepEqual(r.body, expected);
		// `parametres` is not this service's block: defaults apply.
		const wrong = await supplier(`${S}/rechercher/services`, {
			idStructure: 25784152,
			parametres: { nbResultatsParPage: 1 },
		});
		assert.equal(wrong.body.parametresRetour.nbResultatsParPage, 10);
		assert.equal(wrong.body.listeServices.length, 4);
		const inactive = wrong.body.listeServices.find(
			(/** @type {any} */ s) => s.codeService === 'SERVICE_INACTIF',
		);
		assert.equal(inactive.estActif, false);
		assert.equal((await supplier(`${S}/rechercher/services`, {})).body.codeRetour, 20099);
		assert.equal(
			(await supplier(`${S}/rechercher/services`, { idStructure: 2 })).body.codeRetour,
			20001,
		);
	});

	it('consulter/service answers the sample shape plus the top-level paging keys', async () => {
		const r = await supplier(`${S}/consulter/service`, {
			...sample('structures-consulter-service.request.json'),
			codeLangue: 'FR',
		});
		assert.equal(r.status, 200);
		sameShape(r.body, sample('structures-consulter-service.response.json'));
		for (const key of ['pageCourante', 'pages', 'nbResultatsParPage', 'total'])
			assert.ok(key in r.body, key);
		assert.equal(r.body.informationsGenerales.codeService, 'FACTURES_PUBLIQUES');
		assert.match(r.body.parametres.dateCreation, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
		const ej = await supplier(`${S}/consulter/service`, {
			idStructure: 25784152,
			idService: 10136603,
		});
		assert.equal(ej.body.parametres.numeroEngagement, true);
		const wrongPair = await supplier(`${S}/consulter/service`, {
			idStructure: 25784152,
			idService: 10136557,
		});
		assert.equal(wrongPair.status, 400);
		assert.equal(wrongPair.body.codeRetour, 20001);
		assert.equal(
			(await supplier(`${S}/consulter/service`, { idStructure: 25784152 })).body.codeRetour,
			20099,
		);
	});
});

describe('utilisateurs', () => {
	it('monCompte/recuperer/rattachements lists the structures of the account in the sample shape', async () => {
		const r = await supplier(
			'/cpro/utilisateurs/v1/monCompte/recuperer/rattachements',
			sample('utilisateurs-moncompte-recuperer-rattachements.request.json'),
		);
		assert.equal(r.status, 200);
		const expected = sample(
			'utilisateurs-moncompte-recuperer-rattachements.response.schema-derived.json',
		);
		sameShape(r.body, expected, { exact: true });
		assert.deepEqual(r.body, expected);
	});

	it('paginates the recipient account attachments with `parametresRecherche`', async () => {
		const path = '/cpro/utilisateurs/v1/monCompte/recuperer/rattachements';
		const r = await recipient(path, {
			parametresRecherche: {
				nbResultatsParPage: 10,
				pageResultatDemandee: 2,
				triColonne: 'IdStructure',
				triSens: 'Ascendant',
			},
		});
		assert.equal(r.body.listeStructureRattachement.length, 10);
		assert.ok(r.body.parametresRetour.pages >= 3);
		const ids = r.body.listeStructureRattachement.map((/** @type {any} */ x) => x.idStructure);
		assert.deepEqual(
			ids,
			[...ids].sort((a, b) => a - b),
		);
		const defaults = await recipient(path, {});
		assert.equal(defaults.body.parametresRetour.nbResultatsParPage, 10);
	});
});

describe('engagementsJuridiques', () => {
	it('rechercher finds a seeded EJ of a recipient (as sent by real clients)', async () => {
		const r = await supplier(
			'/cpro/engagementsJuridiques/v1/rechercher',
			sample('engagements-juridiques-rechercher.request.json'),
		);
		assert.equal(r.status, 200);
		assert.equal(r.body.codeRetour, 0);
		assert.equal(r.body.listeEngagementJuridique.length, 1);
		assert.equal(r.body.listeEngagementJuridique[0].numeroEngagementJuridique, 'EJ-0001');
		const ejRequired = await supplier('/cpro/engagementsJuridiques/v1/rechercher', {
			structureReceptriceEngagementJuridique: '25784153',
		});
		assert.ok(ejRequired.body.listeEngagementJuridique.length >= 1);
		const bySiret = await supplier('/cpro/engagementsJuridiques/v1/rechercher', {
			structureReceptriceEngagementJuridique: '12345678200069',
			numeroEngagementJuridique: 'EJ-ETAT-0001',
		});
		assert.equal(bySiret.body.listeEngagementJuridique[0].codeServiceExecutant, 'SERVICE_ETAT');
		assert.deepEqual(
			(
				await supplier('/cpro/engagementsJuridiques/v1/rechercher', {
					structureReceptriceEngagementJuridique: '25783752',
					numeroEngagementJuridique: 'NOPE',
				})
			).body,
			NO_RESULT,
		);
		assert.equal(
			(
				await supplier('/cpro/engagementsJuridiques/v1/rechercher', {
					numeroEngagementJuridique: 'EJ-0001',
				})
			).body.codeRetour,
			20099,
		);
	});
});
