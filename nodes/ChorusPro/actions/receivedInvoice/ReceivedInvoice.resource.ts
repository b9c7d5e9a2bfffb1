import type { INodeProperties } from 'n8n-workflow';

import type { ChorusOperation } from '../types';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getHistory from './history.operation';
import * as processInvoice from './process.operation';
import * as search from './search.operation';

export const operations: Record<string, ChorusOperation> = {
	download,
	get,
	getHistory,
	process: processInvoice,
	search,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['receivedInvoice'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Get a received invoice as a PDF or pivot XML file (télécharger)',
				action: 'Download a received invoice',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read a received invoice (consulter facture destinataire)',
				action: 'Get a received invoice',
			},
			{
				name: 'Get Status History',
				value: 'getHistory',
				description: 'Every status of a received invoice (historique)',
				action: 'Get the status history of a received invoice',
			},
			{
				name: 'Process',
				value: 'process',
				description:
					'Set a new status: service done, rejected, suspended, paid… (traiter facture reçue)',
				action: 'Process a received invoice',
			},
			{
				name: 'Search',
				value: 'search',
				description:
					'Find the invoices received by your structures (rechercher facture destinataire)',
				action: 'Search received invoices',
			},
		],
		default: 'search',
	},
	...search.description,
	...get.description,
	...processInvoice.description,
	...download.description,
	...getHistory.description,
];
