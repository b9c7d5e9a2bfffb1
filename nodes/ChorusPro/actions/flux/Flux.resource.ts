import type { INodeProperties } from 'n8n-workflow';

import { dropdown } from '../types';
import * as getReport from './getReport.operation';

export const operations = { getReport };

export const description: INodeProperties[] = [
	dropdown<keyof typeof operations>({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['flux'] } },
		options: [
			{
				name: 'Get Report',
				value: 'getReport',
				description:
					'Processing state and errors of a file sent with Invoice > Deposit File, and the invoices it created',
				action: 'Get the report of a deposit',
			},
		],
		default: 'getReport',
	}),
	...getReport.description,
];
