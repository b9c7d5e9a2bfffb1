import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Return All + Limit, worded as n8n's own nodes do. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The limit chosen with Return All / Limit; undefined for all results. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	return returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
}

/** Locator mode for a Chorus Pro numeric id (idStructureCPP, idService). */
function idMode(placeholder: string, hint?: string) {
	return {
		displayName: 'By Chorus Pro ID',
		name: 'id',
		type: 'string' as const,
		placeholder,
		...(hint ? { hint } : {}),
		validation: [
			{
				type: 'regex' as const,
				properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'The Chorus Pro ID is a number' },
			},
		],
	};
}

const SIRET_REGEX = '^\\s*[0-9]{14}\\s*$';

/** A structure (public buyer or supplier): picked from a search, or given by SIRET or Chorus id. */
export function structureLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search by name or SIRET...',
				typeOptions: { searchListMethod: 'searchStructures', searchable: true },
			},
			{
				displayName: 'By SIRET',
				name: 'siret',
				type: 'string',
				placeholder: 'e.g. 12345678200028',
				validation: [
					{
						type: 'regex',
						properties: { regex: SIRET_REGEX, errorMessage: 'A SIRET has 14 digits' },
					},
				],
			},
			idMode('e.g. 25783752', 'The technical id of the structure (idStructureCPP), not its SIRET'),
		],
	};
}

/** A service of a structure: picked from the structure's services, or given by code or id. */
export function serviceLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a service...',
				typeOptions: { searchListMethod: 'searchServices', searchable: true },
			},
			{
				displayName: 'By Code',
				name: 'code',
				type: 'string',
				placeholder: 'e.g. SERVICE_COMPTABILITE',
			},
			idMode('e.g. 10136558'),
		],
	};
}
