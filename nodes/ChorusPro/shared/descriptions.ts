import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { numberParameter } from './parameters';

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
	if (returnAll) return undefined;
	return numberParameter.call(this, 'limit', itemIndex, {
		label: 'Limit',
		min: 1,
		max: 1_000_000,
		integer: true,
	});
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

/** Locator mode: pick from a list search of this node. */
export function listMode(searchListMethod: string, placeholder: string) {
	return {
		displayName: 'From List',
		name: 'list',
		type: 'list' as const,
		placeholder,
		typeOptions: { searchListMethod, searchable: true },
	};
}

/** Locator mode: a SIRET (14 digits). */
export const siretMode = {
	displayName: 'By SIRET',
	name: 'siret',
	type: 'string' as const,
	placeholder: 'e.g. 12345678200028',
	validation: [
		{
			type: 'regex' as const,
			properties: {
				regex: '^[\\s.]*([0-9][\\s.]*){14}$',
				errorMessage: 'A SIRET has 14 digits',
			},
		},
	],
};

/** A required resource locator that starts on its list mode. */
export function locator(
	displayName: string,
	name: string,
	description: string,
	modes: INodeProperties['modes'],
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes,
	};
}

/** Invoice or credit note (typeFacture). */
export const invoiceTypeOptions = [
	{ name: 'Invoice', value: 'FACTURE' },
	{ name: 'Credit Note', value: 'AVOIR' },
];

/** A structure (public buyer or supplier): picked from a search, or given by SIRET or Chorus id. */
export function structureLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return locator(displayName, name, description, [
		listMode('searchStructures', 'Search by name or SIRET...'),
		siretMode,
		idMode('e.g. 25783752', 'The technical id of the structure (idStructureCPP), not its SIRET'),
	]);
}

/** Locator mode: a service code. */
const serviceCodeMode = {
	displayName: 'By Code',
	name: 'code',
	type: 'string' as const,
	placeholder: 'e.g. SERVICE_COMPTABILITE',
};

/** A service of a structure: picked from the structure's services, or given by code or id. */
export function serviceLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return locator(displayName, name, description, [
		listMode('searchServices', 'Select a service...'),
		serviceCodeMode,
		idMode('e.g. 10136558'),
	]);
}
