import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

const structure = (mode: string, value: string) => ({ __rl: true, mode, value });

describe('Structure resource through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	it('Search: one item per structure, filters sent in the `structure` block', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'search',
			returnAll: true,
			filters: { identifiantStructure: '12345678200028' },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				idStructureCPP: 25784152,
				identifiantStructure: '12345678200028',
				typeIdentifiantStructure: 'SIRET',
			}),
		]);
		const [call] = (await loggedRequests()).filter(
			(r) => r.path === '/cpro/structures/v1/rechercher',
		);
		expect(call.body).toEqual({
			structure: { identifiantStructure: '12345678200028' },
			parametres: { pageResultatDemandee: 1, nbResultatsParPage: 1000 },
		});
	});

	it('Search: "no result" (codeRetour 20000) gives no item and no error', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'search',
			returnAll: true,
			filters: { raisonSocialeStructure: 'No such structure anywhere' },
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	it('Search: Return All follows the pages when the server pages below the asked size', async () => {
		await admin('/config', { pageSizeCap: 10 });
		try {
			const { items, error } = await n8n.runChorusPro({
				resource: 'structure',
				operation: 'search',
				returnAll: true,
				filters: { typeStructure: 'PUBLIQUE' },
			});
			expect(error).toBeUndefined();
			const calls = (await loggedRequests()).filter(
				(r) => r.path === '/cpro/structures/v1/rechercher',
			);
			expect(calls.length).toBeGreaterThanOrEqual(3);
			expect(
				calls.map(
					(c) =>
						(c.body as { parametres: { pageResultatDemandee: number } }).parametres
							.pageResultatDemandee,
				),
			).toEqual(calls.map((_, index) => index + 1));
			const ids = items.map((item) => item.json.idStructureCPP);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids.length).toBeGreaterThan(20);
		} finally {
			await admin('/config', { pageSizeCap: null });
		}
	});

	it('Search: Limit stops early and asks for pages of that size', async () => {
		const { items } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'search',
			returnAll: false,
			limit: 7,
			filters: { typeStructure: 'PUBLIQUE' },
		});
		expect(items).toHaveLength(7);
		const calls = (await loggedRequests()).filter(
			(r) => r.path === '/cpro/structures/v1/rechercher',
		);
		expect(calls).toHaveLength(1);
		expect((calls[0].body as { parametres: object }).parametres).toEqual({
			pageResultatDemandee: 1,
			nbResultatsParPage: 7,
		});
	});

	it('Get by SIRET: resolves the id, sends idStructureCPP and gives the requirements as booleans', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'get',
			structure: structure('siret', '12345678200036'),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			informationGenerales: { idStructureCPP: 25784153, identifiantStructure: '12345678200036' },
			requirements: {
				serviceCodeRequired: false,
				commitmentNumberRequired: true,
				serviceCodeOrCommitmentNumberRequired: false,
			},
		});
		expect(items[0].json).not.toHaveProperty('codeRetour');
		const call = (await loggedRequests()).find((r) => r.path === '/cpro/structures/v1/consulter');
		expect(call?.body).toEqual({ idStructureCPP: 25784153, codeLangue: 'FR' });
	});

	it('Get: an unknown SIRET is a clear input error, naming the SIRET', async () => {
		const { error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'get',
			structure: structure('siret', '99999999999999'),
		});
		expect(error?.message).toBe('No Chorus Pro structure has the SIRET 99999999999999');
	});

	it('Get: a malformed id is flagged by n8n in the editor, and refused at run time when it comes from data', async () => {
		await expect(
			n8n.runChorusPro({
				resource: 'structure',
				operation: 'get',
				structure: structure('id', 'abc'),
			}),
		).rejects.toThrow(/The Chorus Pro ID is a number/);
		const { error } = await n8n.runChorusPro(
			{ resource: 'structure', operation: 'get', structure: structure('id', '={{ $json.id }}') },
			{ items: [{ json: { id: 'abc' } }] },
		);
		expect(error?.message).toBe('"abc" is not a Chorus Pro structure ID');
		expect((await loggedRequests()).filter((r) => r.path.startsWith('/cpro/'))).toHaveLength(0);
	});

	it('Get Services: active services only by default, block parametresRechercherServicesStructure', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'getServices',
			structure: structure('id', '25784152'),
			returnAll: true,
			activeOnly: true,
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((item) => item.json.estActif === true)).toBe(true);
		const call = (await loggedRequests()).find(
			(r) => r.path === '/cpro/structures/v1/rechercher/services',
		);
		expect(call?.body).toEqual({
			idStructure: 25784152,
			parametresRechercherServicesStructure: { pageResultatDemandee: 1, nbResultatsParPage: 1000 },
		});
		const all = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'getServices',
			structure: structure('id', '25784152'),
			returnAll: true,
			activeOnly: false,
		});
		expect(all.items.length).toBeGreaterThan(items.length);
	});

	it('Get Service by code: resolves the idService and reads it', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'getService',
			structure: structure('id', '25784152'),
			service: { __rl: true, mode: 'code', value: 'SERVICE_EJ_OBL' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			informationsGenerales: { codeService: 'SERVICE_EJ_OBL' },
			requirements: { commitmentNumberRequired: true },
		});
		const call = (await loggedRequests()).find(
			(r) => r.path === '/cpro/structures/v1/consulter/service',
		);
		expect(call?.body).toMatchObject({ idStructure: 25784152, codeLangue: 'FR' });
	});

	it('Get My Structures, role Supplier: sends `{}` to a service without parameters', async () => {
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'getMyStructures',
			role: 'supplier',
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.idStructureCPP)).toEqual([26300989]);
		const call = (await loggedRequests()).find((r) =>
			r.path.endsWith('/recuperer/structures/actives/fournisseur'),
		);
		expect(call?.body).toEqual({});
	});

	it('retries a read after a reset connection and a malformed answer, without the user noticing', async () => {
		await injectFault({ path: '/cpro/structures/v1/rechercher', count: 1, reset: true });
		await injectFault({
			path: '/cpro/structures/v1/rechercher',
			count: 1,
			status: 200,
			rawBody: '<html>oops',
		});
		const { items, error } = await n8n.runChorusPro({
			resource: 'structure',
			operation: 'search',
			returnAll: true,
			filters: { identifiantStructure: '12345678200028' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const calls = (await loggedRequests()).filter(
			(r) => r.path === '/cpro/structures/v1/rechercher',
		);
		expect(calls).toHaveLength(3);
	}, 20_000);

	it('continueOnFail: a bad item gives an error item, the others go on, pairing kept', async () => {
		const { items, error } = await n8n.runChorusPro(
			{
				resource: 'structure',
				operation: 'get',
				structure: structure('siret', '={{ $json.siret }}'),
			},
			{
				continueOnFail: true,
				items: [
					{ json: { siret: '12345678200028' } },
					{ json: { siret: '00000000000000' } },
					{ json: { siret: '12345678200036' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json).toHaveProperty('informationGenerales');
		expect(items[1].json).toEqual({
			error: 'No Chorus Pro structure has the SIRET 00000000000000',
			description: expect.stringContaining('Check the SIRET'),
		});
		expect(items[2].json).toHaveProperty('informationGenerales');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('continueOnFail: a Chorus business error keeps codeRetour and libelle', async () => {
		const { items } = await n8n.runChorusPro(
			{ resource: 'structure', operation: 'get', structure: structure('id', '999') },
			{ continueOnFail: true },
		);
		expect(items[0].json).toMatchObject({
			error: expect.stringMatching(/^Chorus Pro refused the request: /),
			codeRetour: expect.any(Number),
			libelle: expect.any(String),
			httpStatus: 400,
		});
	});
});
