import type { INodeProperties } from 'n8n-workflow';

import type { ChorusOperation } from '../types';
import * as getReport from './getReport.operation';

export const operations: Record<string, ChorusOperation> = { getReport };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['flux'] } },
		options: [
			{
				name: 'Get Report',
				value: 'getReport',
				description: 'Processing state and errors of a deposited file, and the invoices it created',
				action: 'Get the report of a deposit',
			},
		],
		default: 'getReport',
	},
	...getReport.description,
];
