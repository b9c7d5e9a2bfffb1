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
		{ name: 'Deposit (Flux)', value: 'flux' },
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Received Invoice', value: 'receivedInvoice' },
		{ name: 'Structure', value: 'structure' },
	],
	default: 'invoice',
};

export const properties: INodeProperties[] = [
	resourceProperty,
	...invoice.description,
	...flux.description,
	...receivedInvoice.description,
	...structure.description,
];
