import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { structureLocator } from '../../shared/descriptions';
import { requirementsOf, resolveStructureId } from '../../shared/structures';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	structureLocator('Structure', 'structure', 'The structure to read'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['structure'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const idStructureCPP = await resolveStructureId.call(this, cache, 'structure', itemIndex);
	const structure = withoutEnvelope(
		await chorusRequest.call(
			this,
			SERVICES.getStructure,
			{ idStructureCPP, codeLangue: 'FR' },
			{ itemIndex },
		),
	);
	return this.helpers.returnJsonArray({
		...structure,
		requirements: requirementsOf(structure.parametres as IDataObject | undefined),
	});
}
