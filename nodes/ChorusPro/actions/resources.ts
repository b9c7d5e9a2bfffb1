import type { INodeProperties } from 'n8n-workflow';

import * as flux from './flux/Flux.resource';
import * as invoice from './invoice/Invoice.resource';
import * as receivedInvoice from './receivedInvoice/ReceivedInvoice.resource';
import * as structure from './structure/Structure.resource';
import type { ChorusOperation } from './types';

export const resources: Record<string, { operations: Record<string, ChorusOperation> }> = {
	flux,
	invoice,
	receivedInvoice,
	structure,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Deposit', value: 'flux' },
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Received Invoice', value: 'receivedInvoice' },
		{ name: 'Structure', value: 'structure' },
	],
	default: 'invoice',
};

/** How many items are worked on at once (read by the router). */
export const concurrencyProperty: INodeProperties = {
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
