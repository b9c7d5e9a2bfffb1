import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	clearLog,
	lastRequest,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { depositFile } from './support/invoices';

/**
 * The input part of the fault suite: files and expressions as users really feed them. Each bad
 * input gives an error that names the field and what to do, before anything is sent.
 */
const file = (data: Buffer | string, fileName: string) => ({
	binary: {
		data: {
			data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'),
			fileName,
			mimeType: 'application/octet-stream',
		},
	},
});

const deposit = (options: INodeParameters = {}) =>
	depositFile({ waitForProcessing: true, options: { pollInterval: 1, ...options } });

describe('Input faults', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});
	beforeEach(clearLog);

	it.each([
		[
			'an empty file',
			file(Buffer.alloc(0), 'invoice.xml'),
			/^The file in the binary field "data" is empty$/,
		],
		[
			'a text file',
			file('Dear customer,', 'invoice.txt'),
			/neither a PDF, an XML file, a zip nor a tar\.gz archive/,
		],
		[
			'a PDF named .xml',
			file(chorusFixtures.makeFacturXPdf(), 'invoice.xml'),
			/does not match its content \(expected \.pdf\)/,
		],
		[
			'an XML that is no invoice',
			file('<?xml version="1.0"?><order/>', 'order.xml'),
			/neither a UBL Invoice\/CreditNote nor a CII CrossIndustryInvoice/,
		],
		[
			'a file name of 201 characters',
			file(chorusFixtures.makeUblXml(), `${'a'.repeat(197)}.xml`),
			/longer than 200 characters/,
		],
	])('Deposit File refuses %s before sending', async (_, item, message) => {
		const { error } = await n8n.runChorusPro(deposit(), { items: [item] });
		expect(error?.message).toMatch(message);
		expect(await loggedRequests()).toEqual([]);
	});

	it.each([
		[
			'an object',
			'={{ { "id": 12 } }}',
			'Invoice ID must be a Chorus Pro ID (a number), not "{"id":12}"',
		],
		['an array', '={{ [1, 2] }}', 'Invoice ID must be a Chorus Pro ID (a number), not "[1,2]"'],
		['NaN', '={{ NaN }}', 'Invoice ID must be a Chorus Pro ID (a number), not "NaN"'],
		['an empty string', '={{ "" }}', 'Invoice ID must be a Chorus Pro ID (a number), not ""'],
	])(
		'an invoice id given by an expression resolving to %s is refused, naming the field',
		async (_, invoiceId, message) => {
			const { error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'get',
				invoiceId,
			});
			expect(error?.message).toBe(message);
			expect(await loggedRequests()).toEqual([]);
		},
	);

	it.each([
		['NaN', '={{ NaN }}', 'not NaN'],
		['an object', '={{ { "s": 5 } }}', 'not {"s":5}'],
		['an empty string', '={{ "" }}', 'not ""'],
	])(
		'a poll interval resolving to %s is refused before sending',
		async (_, pollInterval, shown) => {
			const { error } = await n8n.runChorusPro(deposit({ pollInterval }), {
				items: [file(chorusFixtures.makeUblXml(), 'invoice.xml')],
			});
			expect(error?.message).toBe(
				`"Poll Interval (Seconds)" must be a number from 1 to 3600, ${shown}`,
			);
			expect(await loggedRequests()).toEqual([]);
		},
	);

	it('takes a SIRET written with spaces or dots, as on a printed invoice', async () => {
		const { error, items } = await n8n.runChorusPro({
			resource: 'invoice',
			operation: 'submit',
			submitMode: 'fields',
			supplierStructure: 26300989,
			recipient: { __rl: true, mode: 'siret', value: '000 000 000.12887' },
			serviceCode: '',
			commitmentNumber: '',
			invoiceNumber: `SIRET-${Date.now().toString(36).slice(-6)}`,
			invoiceDate: '2026-11-20',
			invoiceType: 'FACTURE',
			lines: {
				line: [{ description: 'Service', quantity: 1, unitPrice: 100, discount: 0, vatRate: '20' }],
			},
			totals: {},
			additionalFields: {},
		});
		expect(error).toBeUndefined();
		expect(items[0].json.statutFacture).toBe('DEPOSEE');
		const sent = (await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject;
		expect(sent.destinataire).toMatchObject({ codeDestinataire: '00000000012887' });

		const search = await n8n.runChorusPro({
			resource: 'invoice',
			operation: 'search',
			returnAll: true,
			filters: { recipientSiret: '000 000 000 12887' },
			sort: {},
		});
		expect(search.error).toBeUndefined();
		expect(search.items.length).toBeGreaterThan(0);

		const bad = await n8n.runChorusPro({
			resource: 'invoice',
			operation: 'search',
			returnAll: true,
			filters: { recipientSiret: '000 000 000' },
			sort: {},
		});
		expect(bad.error?.message).toBe('The recipient SIRET "000 000 000" is not valid');
	});
});

describe('Trigger settings from expressions', () => {
	it.each([
		['overlapMinutes', '={{ 0 }}', '"Overlap (Minutes)" must be a number from 1 to 1440, not 0'],
		[
			'backfillHours',
			'={{ "abc" }}',
			'"Backfill (Hours)" must be a number from 0 to 744, not "abc"',
		],
		['backfillHours', '={{ -2 }}', '"Backfill (Hours)" must be a number from 0 to 744, not -2'],
	])('the poll refuses %s = %s, naming the field', async (option, value, message) => {
		await resetSandbox();
		const n8n = new TestInstance(sandboxCredential());
		const { error, items } = await n8n.poll(
			{ event: 'invoiceStatusChanged', statuses: [], options: { [option]: value } },
			{ staticData: {} },
		);
		expect(items).toEqual([]);
		expect(error?.message).toBe(message);
	});
});
