import type { INodeProperties } from 'n8n-workflow';

import { dropdown } from '../types';
import * as get from './get.operation';
import * as getMyStructures from './getMyStructures.operation';
import * as getService from './getService.operation';
import * as getServices from './getServices.operation';
import * as search from './search.operation';

export const operations = { get, getMyStructures, getService, getServices, search };

export const description: INodeProperties[] = [
	dropdown<keyof typeof operations>({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['structure'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Read a structure and what it requires on invoices: service code, commitment number',
				action: 'Get a structure',
			},
			{
				name: 'Get My Structures',
				value: 'getMyStructures',
				description: 'List the structures of the technical account',
				action: 'Get my structures',
			},
			{
				name: 'Get Service',
				value: 'getService',
				description: 'Read one service of a structure',
				action: 'Get a service of a structure',
			},
			{
				name: 'Get Services',
				value: 'getServices',
				description: 'List the services of a structure',
				action: 'Get the services of a structure',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find structures by SIRET, name or place',
				action: 'Search structures',
			},
		],
		default: 'search',
	}),
	...search.description,
	...get.description,
	...getServices.description,
	...getService.description,
	...getMyStructures.description,
];
