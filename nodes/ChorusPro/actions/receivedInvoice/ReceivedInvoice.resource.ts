import type { INodeProperties } from 'n8n-workflow';

import { dropdown } from '../types';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getHistory from './getHistory.operation';
import * as process from './process.operation';
import * as search from './search.operation';

export const operations = { download, get, getHistory, process, search };

export const description: INodeProperties[] = [
	dropdown<keyof typeof operations>({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['receivedInvoice'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Get a received invoice as a PDF or pivot XML file',
				action: 'Download a received invoice',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read an invoice received by your structure',
				action: 'Get a received invoice',
			},
			{
				name: 'Get Status History',
				value: 'getHistory',
				description: 'Every status of a received invoice, with dates and comments',
				action: 'Get the status history of a received invoice',
			},
			{
				name: 'Process',
				value: 'process',
				description: 'Set a new status: service done, rejected, suspended, paid…',
				action: 'Process a received invoice',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find the invoices received by your structures',
				action: 'Search received invoices',
			},
		],
		default: 'search',
	}),
	...search.description,
	...get.description,
	...process.description,
	...download.description,
	...getHistory.description,
];
