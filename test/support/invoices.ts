import type { INodeParameters } from 'n8n-workflow';

import type { TestInstance } from '../engine/run';

export const SUPPLIER_ID = 26300989;
export const recipient = (siret: string) => ({ __rl: true, mode: 'siret', value: siret });

let serial = 0;
export const number = () => `OP-${Date.now().toString(36).slice(-5)}-${++serial}`;

/** An invoice submitted by its fields, as the Invoice tests build it; `overrides` change any parameter. */
export const submitByFields = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'invoice',
	operation: 'submit',
	submitMode: 'fields',
	supplierStructure: SUPPLIER_ID,
	recipient: recipient('00000000012887'),
	serviceCode: '',
	commitmentNumber: '',
	invoiceNumber: number(),
	invoiceDate: '2026-11-20T00:00:00',
	invoiceType: 'FACTURE',
	lines: {
		line: [
			{
				reference: 'R1',
				description: 'Consulting',
				quantity: 10,
				unit: 'hour',
				unitPrice: 100,
				discount: 0,
				vatRate: 'TVA6',
			},
			{
				reference: 'R2',
				description: 'Books',
				quantity: 2,
				unit: 'piece',
				unitPrice: 25,
				discount: 0,
				vatRate: '5.5',
			},
		],
	},
	totals: {},
	additionalFields: {},
	...overrides,
});

/** Submits an invoice by its fields and returns its Chorus Pro id. */
export async function submitted(
	n8n: TestInstance,
	overrides: INodeParameters = {},
): Promise<number> {
	const { items, error } = await n8n.runChorusPro(submitByFields(overrides));
	expect(error).toBeUndefined();
	return Number(items[0].json.identifiantFactureCPP);
}

let files = 0;

/** An input item holding a fresh UBL invoice (a number of its own) as binary `data`. */
export function ublItem(prefix: string) {
	const invoiceNumber = `${prefix}-${Date.now().toString(36).slice(-5)}-${++files}`;
	return {
		binary: {
			data: {
				data: Buffer.from(chorusFixtures.makeUblXml({ number: invoiceNumber }), 'utf8'),
				fileName: `${invoiceNumber}.xml`,
				mimeType: 'application/xml',
			},
		},
	};
}

/** Invoice › Deposit File as most tests run it: the file in `data`, its format detected, not followed. */
export const depositFile = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'invoice',
	operation: 'deposit',
	binaryPropertyName: 'data',
	syntax: 'auto',
	waitForProcessing: false,
	options: {},
	...overrides,
});
