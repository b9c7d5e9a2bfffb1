import type { INodeProperties } from 'n8n-workflow';

import * as structure from './structure/Structure.resource';
import type { ChorusOperation } from './types';

export const resources: Record<string, { operations: Record<string, ChorusOperation> }> = {
	structure,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Structure', value: 'structure' }],
	default: 'structure',
};

export const properties: INodeProperties[] = [resourceProperty, ...structure.description];
