import type {
	IDataObject,
	INode,
	INodeListSearchResult,
	INodeParameterResourceLocator,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ChorusPro } from '../nodes/ChorusPro/ChorusPro.node';
import { ChorusProTrigger } from '../nodes/ChorusProTrigger/ChorusProTrigger.node';
import { CHORUS_PRO_TRIGGER_TYPE, CHORUS_PRO_TYPE, NodeTypes, TestInstance } from './engine/run';
import { clearLog, lastRequest, resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * The editor as n8n's own nodes present it: a readable subtitle, and resource locators (list + ID)
 * for every structure; workflows saved before these changes keep working.
 */

const chorusPro = new ChorusPro();
const trigger = new ChorusProTrigger();
const SUPPLIER_ID = 26300989;
const RECIPIENT_SIRET = '00000000012887';

/** The subtitle the editor shows for a node with these parameters (n8n evaluates it this way). */
function subtitleOf(type: string, description: INodeTypeDescription, parameters: INodeParameters) {
	const node: INode = {
		id: 'node',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	return workflow.expression.getSimpleParameterValue(
		node,
		description.subtitle ?? '',
		'internal',
		{},
	);
}

/** Every parameter of the node, collections included. */
function allParameters(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...allParameters(
			(property.options ?? []).filter((option): option is INodeProperties => 'type' in option),
		),
	]);
}

function parameter(name: string, operation: string): INodeProperties {
	const found = allParameters(chorusPro.description.properties).find(
		(property) =>
			property.name === name &&
			(!property.displayOptions?.show?.operation ||
				property.displayOptions.show.operation.includes(operation)),
	);
	if (!found) throw new Error(`no parameter ${name} for ${operation}`);
	return found;
}

describe('editor consistency with n8n nodes (n8n verification)', () => {
	describe('subtitle', () => {
		const resources = chorusPro.description.properties.find(
			(property) => property.name === 'resource',
		)?.options as INodePropertyOptions[];
		const pairs = resources.flatMap((resource) =>
			chorusPro.description.properties
				.filter(
					(property) =>
						property.name === 'operation' &&
						property.displayOptions?.show?.resource?.includes(resource.value),
				)
				.flatMap((property) =>
					(property.options as INodePropertyOptions[]).map((operation) => ({
						resource,
						operation,
					})),
				),
		);

		it('shows the names of the operation and the resource, never their values', () => {
			expect(pairs.length).toBeGreaterThan(15);
			for (const { resource, operation } of pairs) {
				expect(
					subtitleOf(CHORUS_PRO_TYPE, chorusPro.description, {
						resource: resource.value,
						operation: operation.value,
					}),
				).toBe(`${operation.name}: ${resource.name}`);
			}
			expect(
				subtitleOf(CHORUS_PRO_TYPE, chorusPro.description, {
					resource: 'receivedInvoice',
					operation: 'getHistory',
				}),
			).toBe('Get Status History: Received Invoice');
		});

		it('falls back to the raw values for an operation it does not know', () => {
			expect(
				subtitleOf(CHORUS_PRO_TYPE, chorusPro.description, {
					resource: 'invoice',
					operation: 'later',
				}),
			).toBe('later: invoice');
		});

		it('trigger: the name of the event', () => {
			expect(
				subtitleOf(CHORUS_PRO_TRIGGER_TYPE, trigger.description, { event: 'newReceivedInvoice' }),
			).toBe('New Received Invoice');
			expect(
				subtitleOf(CHORUS_PRO_TRIGGER_TYPE, trigger.description, { event: 'depositProcessed' }),
			).toBe('Deposit Processed');
		});
	});

	describe('resource locators', () => {
		const modes = (property: INodeProperties) => (property.modes ?? []).map((mode) => mode.name);

		it('Supplier Structure: list of the account structures or Chorus Pro ID, like the buyers', () => {
			const supplier = parameter('supplierStructure', 'submit');
			expect(supplier.type).toBe('resourceLocator');
			expect(modes(supplier)).toEqual(['list', 'id']);
			expect(parameter('recipient', 'submit').type).toBe('resourceLocator');
		});

		it('Recipient: list, SIRET and Chorus Pro ID', () => {
			expect(modes(parameter('recipient', 'submit'))).toEqual(['list', 'siret', 'id']);
			expect(modes(parameter('recipient', 'recycle'))).toEqual(['list', 'siret', 'id']);
		});

		it('Received Invoice › Search: an optional Recipient Structure locator, no bare number', () => {
			const filter = parameter('recipientId', 'search');
			expect(filter).toMatchObject({
				type: 'resourceLocator',
				displayName: 'Recipient Structure',
				required: false,
			});
			expect(modes(filter)).toEqual(['list', 'id']);
		});

		it('every list and dropdown the description names exists in the node', () => {
			const methods = chorusPro.methods as unknown as Record<string, Record<string, unknown>>;
			for (const property of allParameters(chorusPro.description.properties)) {
				for (const mode of property.modes ?? []) {
					const method = mode.typeOptions?.searchListMethod;
					if (method)
						expect([property.name, typeof methods.listSearch[method]]).toEqual([
							property.name,
							'function',
						]);
				}
				const loader = property.typeOptions?.loadOptionsMethod;
				if (loader)
					expect([property.name, typeof methods.loadOptions[loader]]).toEqual([
						property.name,
						'function',
					]);
			}
		});
	});

	describe('old and new parameter values, through the engine', () => {
		let supplierSide: TestInstance;
		let buyerSide: TestInstance;
		let serial = 0;

		beforeAll(async () => {
			await resetSandbox();
			supplierSide = new TestInstance(sandboxCredential());
			buyerSide = new TestInstance(sandboxCredential({}, 'recipient'));
		});

		beforeEach(clearLog);

		const submit = async (overrides: INodeParameters) =>
			await supplierSide.runChorusPro({
				resource: 'invoice',
				operation: 'submit',
				submitMode: 'fields',
				supplierStructure: SUPPLIER_ID,
				recipient: { __rl: true, mode: 'siret', value: RECIPIENT_SIRET },
				serviceCode: '',
				commitmentNumber: '',
				invoiceNumber: `ED-${Date.now().toString(36).slice(-5)}-${++serial}`,
				invoiceDate: '2026-11-20T00:00:00',
				invoiceType: 'FACTURE',
				lines: {
					line: [{ description: 'Consulting', quantity: 1, unitPrice: 100, vatRate: '20' }],
				},
				totals: {},
				additionalFields: {},
				...overrides,
			});

		const submitted = async () =>
			(await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject | undefined;

		it.each([
			['a plain ID (dropdown of earlier versions)', SUPPLIER_ID],
			['a plain expression (earlier versions)', `={{ ${SUPPLIER_ID} }}`],
			['the list mode', { __rl: true, mode: 'list', value: String(SUPPLIER_ID) }],
			['the ID mode', { __rl: true, mode: 'id', value: String(SUPPLIER_ID) }],
			[
				'the ID mode with an expression',
				{ __rl: true, mode: 'id', value: `={{ "${SUPPLIER_ID}" }}` },
			],
		])('Submit takes the supplier structure as %s', async (_label, supplierStructure) => {
			const { error } = await submit({ supplierStructure });
			expect(error).toBeUndefined();
			expect((await submitted())?.fournisseur).toMatchObject({ idFournisseur: SUPPLIER_ID });
		});

		it('Submit refuses a supplier structure that is not a Chorus Pro ID, before sending', async () => {
			// A literal is checked by the editor's regex (n8n refuses to run the node); an expression is not.
			const { error } = await submit({
				supplierStructure: { __rl: true, mode: 'id', value: '={{ "7344 2027" }}' },
			});
			expect(error?.message).toBe(
				'The supplier structure must be a Chorus Pro ID (a number), not "7344 2027"',
			);
			expect(await submitted()).toBeUndefined();
			// An empty literal is n8n's own "required" issue; an expression may still resolve to nothing.
			const empty = await submit({
				supplierStructure: { __rl: true, mode: 'list', value: '={{ "" }}' },
			});
			expect(empty.error?.message).toBe('Choose the supplier structure');
		});

		it('Submit and Recycle take the recipient by Chorus Pro ID (sent by its SIRET)', async () => {
			const [buyer] = (
				await supplierSide.callMethod<INodeListSearchResult>(
					'listSearch',
					'searchStructures',
					{},
					RECIPIENT_SIRET,
				)
			).results;
			const { error } = await submit({
				recipient: { __rl: true, mode: 'id', value: String(buyer.value) },
			});
			expect(error).toBeUndefined();
			expect((await submitted())?.destinataire).toEqual({ codeDestinataire: RECIPIENT_SIRET });

			const services = async (recipient: INodeParameterResourceLocator) =>
				(
					await supplierSide.callMethod<INodePropertyOptions[]>(
						'loadOptions',
						'getRecipientServices',
						{ resource: 'invoice', operation: 'submit', recipient },
					)
				).map((option) => option.value);
			const bySiret = await services({ __rl: true, mode: 'siret', value: RECIPIENT_SIRET });
			expect(bySiret.length).toBeGreaterThan(1);
			expect(await services({ __rl: true, mode: 'id', value: String(buyer.value) })).toEqual(
				bySiret,
			);

			await clearLog();
			const unknown = await submit({ recipient: { __rl: true, mode: 'id', value: '999999999' } });
			expect(unknown.error).toBeDefined();
			expect(await submitted()).toBeUndefined();
		});

		it('Supplier Structure list: the account structures, searchable by name or SIRET', async () => {
			const search = async (filter: string) =>
				(
					await supplierSide.callMethod<INodeListSearchResult>(
						'listSearch',
						'searchSupplierStructures',
						{},
						filter,
					)
				).results;
			const all = await search('');
			expect(all).toEqual([{ name: expect.stringContaining('73442027438548'), value: '26300989' }]);
			expect(await search('7344 2027 438 548')).toEqual(all);
			expect(await search(all[0].name.slice(0, 4).toLowerCase())).toEqual(all);
			expect(await search('no such structure')).toEqual([]);
		});

		it('bank details follow the supplier structure, old plain value or locator', async () => {
			const load = async (supplierStructure: unknown) =>
				(
					await supplierSide.callMethod<INodePropertyOptions[]>('loadOptions', 'getBankAccounts', {
						resource: 'invoice',
						operation: 'submit',
						supplierStructure: supplierStructure as INodeParameters[string],
					})
				).map((option) => option.value);
			const plain = await load(SUPPLIER_ID);
			expect(plain.length).toBeGreaterThan(0);
			expect(await load({ __rl: true, mode: 'list', value: String(SUPPLIER_ID) })).toEqual(plain);
			expect(await load({ __rl: true, mode: 'id', value: String(SUPPLIER_ID) })).toEqual(plain);
			expect(await load({ __rl: true, mode: 'list', value: '' })).toEqual([]);
		});

		describe('Received Invoice › Search, Recipient Structure filter', () => {
			let ownId: string;

			beforeAll(async () => {
				const { results } = await buyerSide.callMethod<INodeListSearchResult>(
					'listSearch',
					'searchRecipientStructures',
					{},
					'',
				);
				expect(results.length).toBeGreaterThan(0);
				ownId = String(results[0].value);
			});

			const search = async (filters: INodeParameters) => {
				const run = await buyerSide.runChorusPro({
					resource: 'receivedInvoice',
					operation: 'search',
					returnAll: true,
					filters,
					sort: {},
				});
				const body = (await lastRequest('/cpro/factures/v1/rechercher/recipiendaire'))?.body as
					| IDataObject
					| undefined;
				return { ...run, body };
			};

			it.each([
				['a plain number (earlier versions)', () => Number(ownId)],
				['the list mode', () => ({ __rl: true, mode: 'list', value: ownId })],
				['the ID mode', () => ({ __rl: true, mode: 'id', value: ownId })],
			])('filters by the structure given as %s', async (_label, value) => {
				const { error, body } = await search({ recipientId: value() });
				expect(error).toBeUndefined();
				expect(body?.idDestinataire).toBe(Number(ownId));
			});

			it.each([
				['the 0 of earlier versions', 0],
				['an empty locator', { __rl: true, mode: 'list', value: '' }],
			])('does not filter for %s', async (_label, recipientId) => {
				const { error, body } = await search({ recipientId });
				expect(error).toBeUndefined();
				expect(body).toBeDefined();
				expect(body).not.toHaveProperty('idDestinataire');
			});

			it('refuses a value that is not a Chorus Pro ID, naming the filter', async () => {
				const { error, body } = await search({
					recipientId: { __rl: true, mode: 'id', value: '={{ "Mairie" }}' },
				});
				expect(error?.message).toBe(
					'The recipient structure must be a Chorus Pro ID (a number), not "Mairie"',
				);
				expect(body).toBeUndefined();
			});

			it('lists the account recipient structures, searchable', async () => {
				const { results } = await buyerSide.callMethod<INodeListSearchResult>(
					'listSearch',
					'searchRecipientStructures',
					{},
					'no such structure',
				);
				expect(results).toEqual([]);
			});
		});
	});
});
