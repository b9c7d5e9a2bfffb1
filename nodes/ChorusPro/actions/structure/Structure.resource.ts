import type { INodeProperties } from 'n8n-workflow';

import type { ChorusOperation } from '../types';
import * as getMyStructures from './getMyStructures.operation';

export const operations: Record<string, ChorusOperation> = {
	getMyStructures,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['structure'] } },
		options: [
			{
				name: 'Get My Structures',
				value: 'getMyStructures',
				description: 'List the structures of the technical account (mes structures)',
				action: 'Get my structures',
			},
		],
		default: 'getMyStructures',
	},
	...getMyStructures.description,
];
