import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { serviceLocator, structureLocator } from '../../shared/descriptions';
import { resolveServiceId, resolveStructureId } from '../../shared/structures';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	structureLocator('Structure', 'structure', 'The structure the service belongs to'),
	serviceLocator('Service', 'service', 'The service to read'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['structure'], operation: ['getService'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const idStructure = await resolveStructureId.call(this, cache, 'structure', itemIndex);
	const idService = await resolveServiceId.call(this, 'service', idStructure, itemIndex);
	const service = withoutEnvelope(
		await chorusRequest.call(
			this,
			SERVICES.getService,
			{ idStructure, idService, codeLangue: 'FR' },
			{ itemIndex },
		),
	);
	const parametres = (service.parametres ?? {}) as { numeroEngagement?: unknown };
	return this.helpers.returnJsonArray({
		...service,
		idStructure,
		idService,
		requirements: { commitmentNumberRequired: parametres.numeroEngagement === true },
	});
}
