import type { INodeProperties } from 'n8n-workflow';

import * as flux from './flux/Flux.resource';
import * as invoice from './invoice/Invoice.resource';
import * as receivedInvoice from './receivedInvoice/ReceivedInvoice.resource';
import * as structure from './structure/Structure.resource';
import type { ChorusResource } from './types';
import { dropdown } from './types';

/** The resources by the values of the Resource dropdown (saved workflows hold these values). */
const byValue = { flux, invoice, receivedInvoice, structure } satisfies Record<
	string,
	ChorusResource
>;

/** Looked up by the router with the values of a workflow's parameters. */
export const resources: Record<string, ChorusResource> = byValue;

const resourceProperty = dropdown<keyof typeof byValue>({
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			// `flux` (Chorus Pro's word for a deposited file) is kept as the value: workflows hold it.
			name: 'Deposit',
			value: 'flux',
			description: 'The processing report of a file sent with Invoice > Deposit File',
		},
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Received Invoice', value: 'receivedInvoice' },
		{ name: 'Structure', value: 'structure' },
	],
	default: 'invoice',
});

/** How many items are worked on at once (read by the router). */
const concurrencyProperty: INodeProperties = {
	displayName: 'Items in Parallel',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 20 },
	default: 5,
	description:
		'How many input items are sent to Chorus Pro at the same time. 1 sends them one after the other. Results keep the order of the items; when Chorus Pro asks to slow down (HTTP 429), every item waits.',
};

export const properties: INodeProperties[] = [
	resourceProperty,
	...invoice.description,
	...flux.description,
	...receivedInvoice.description,
	...structure.description,
	concurrencyProperty,
];
