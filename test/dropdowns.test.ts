import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { clearLog, loggedRequests, resetSandbox, sandboxCredential } from './support/sandbox';

describe('dropdowns and pickers (load options, list search) as the editor calls them', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	const load = async (method: string, parameters = {}) =>
		await n8n.callMethod<INodePropertyOptions[]>('loadOptions', method, {
			resource: 'invoice',
			operation: 'submit',
			...parameters,
		});

	it('supplier structures of the account (Supplier Structure picker, value = Chorus Pro id)', async () => {
		const { results } = await n8n.callMethod<INodeListSearchResult>(
			'listSearch',
			'searchSupplierStructures',
			{},
			'',
		);
		expect(results).toEqual([{ name: 'Fournisseur (73442027438548)', value: '26300989' }]);
	});

	it('bank details of the chosen supplier, from recuperer/coordbanc/valides', async () => {
		const options = await load('getBankAccounts', { supplierStructure: 26300989 });
		expect(options.map((option) => option.value).sort()).toEqual([132, 133]);
		const call = (await loggedRequests()).find((r) =>
			r.path.endsWith('/recuperer/coordbanc/valides'),
		);
		expect(call?.body).toEqual({ idStructure: 26300989 });
	});

	it('services of the chosen recipient (active ones, plus None)', async () => {
		const options = await load('getRecipientServices', {
			recipient: { __rl: true, mode: 'siret', value: '12345678200028' },
		});
		const values = options.map((option) => option.value);
		expect(values[0]).toBe('');
		expect(values).toContain('SERVICE_DEST_SERV_OBL');
		expect(values).not.toContain('SERVICE_INACTIF');
		expect(
			await load('getRecipientServices', { recipient: { __rl: true, mode: 'siret', value: '' } }),
		).toEqual([]);
	});

	it.each([
		['getVatRates', 'TVA6', '/recuperer/tauxtva'],
		['getCurrencies', 'EUR', '/recuperer/devises'],
		['getInvoicingFrames', 'A1_FACTURE_FOURNISSEUR', '/recuperer/cadrefacturation'],
		['getPaymentModes', 'VIREMENT', '/recuperer/modereglements'],
		['getVatExemptionReasons', 'ART_293_B_CGI', '/recuperer/motifs/exonerationtva'],
		['getAttachmentTypes', 'DIVERS', '/recuperer/typespj'],
	])('%s comes from the reference service', async (method, expected, path) => {
		const options = await load(method);
		expect(options.map((option) => option.value)).toContain(expected);
		expect((await loggedRequests()).some((r) => r.path.endsWith(path))).toBe(true);
	});

	it('recipient picker: public buyers by name, value = SIRET', async () => {
		const page1 = await n8n.callMethod<INodeListSearchResult>(
			'listSearch',
			'searchRecipients',
			{},
			'',
			undefined,
		);
		expect(page1.results.length).toBeGreaterThan(10);
		expect(page1.results.every((result) => /^[0-9]{14}$/.test(String(result.value)))).toBe(true);
		const byName = await n8n.callMethod<INodeListSearchResult>(
			'listSearch',
			'searchRecipients',
			{},
			'EJ obligatoire',
		);
		expect(byName.results.map((result) => result.value)).toContain('12345678200036');
		const call = [...(await loggedRequests())]
			.reverse()
			.find((r) => r.path === '/cpro/structures/v1/rechercher');
		expect(call?.body).toMatchObject({
			structure: {
				raisonSocialeStructure: 'EJ obligatoire',
				typeStructure: 'PUBLIQUE',
				statutStructure: 'ACTIF',
			},
		});
	});

	it('structure picker by SIRET gives the Chorus Pro id; service picker lists its services', async () => {
		const found = await n8n.callMethod<INodeListSearchResult>(
			'listSearch',
			'searchStructures',
			{},
			'12345678200028',
		);
		expect(found.results).toEqual([
			{ name: expect.stringContaining('12345678200028'), value: '25784152' },
		]);
		const services = await n8n.callMethod<INodeListSearchResult>(
			'listSearch',
			'searchServices',
			{ structure: { __rl: true, mode: 'list', value: '25784152' } },
			'ej',
		);
		expect(services.results.map((result) => result.value)).toEqual([expect.any(String)]);
	});
});
