import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { readLimit, returnAllOrLimit, structureLocator } from '../../shared/descriptions';
import { resolveStructureId } from '../../shared/structures';
import { chorusRequestAll } from '../../transport/paginate';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	structureLocator('Structure', 'structure', 'The structure whose services to list'),
	...returnAllOrLimit,
	{
		displayName: 'Active Only',
		name: 'activeOnly',
		type: 'boolean',
		default: true,
		description: 'Whether to leave out the services that are not active',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['structure'], operation: ['getServices'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const idStructure = await resolveStructureId.call(this, cache, 'structure', itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const activeOnly = this.getNodeParameter('activeOnly', itemIndex) as boolean;
	// The API has no "active" filter: with Active Only, fetch every page and filter here.
	const services = await chorusRequestAll.call(
		this,
		SERVICES.searchServices,
		{ idStructure },
		{ itemIndex, limit: activeOnly ? undefined : limit },
	);
	const kept = activeOnly ? services.filter((service) => service.estActif !== false) : services;
	return this.helpers.returnJsonArray(limit === undefined ? kept : kept.slice(0, limit));
}
