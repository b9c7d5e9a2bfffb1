import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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

/** Locator mode for a Chorus Pro numeric ID (of a structure or a service). */
export function idMode(placeholder: string, hint?: string) {
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

const STRUCTURE_ID_HINT = 'The Chorus Pro ID of the structure (a number), not its SIRET';

/** A structure (public buyer or supplier): picked from a search, or given by SIRET or Chorus id. */
export function structureLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return locator(displayName, name, description, [
		listMode('searchStructures', 'Search by name or SIRET...'),
		siretMode,
		idMode('e.g. 25783752', STRUCTURE_ID_HINT),
	]);
}

/**
 * One of the technical account's own structures (supplier or recipient side): picked from the
 * account's list, or given by Chorus Pro ID.
 */
export function ownStructureLocator(
	displayName: string,
	name: string,
	description: string,
	searchListMethod: string,
): INodeProperties {
	return locator(displayName, name, description, [
		listMode(searchListMethod, 'Select one of your structures...'),
		idMode('e.g. 26300989', STRUCTURE_ID_HINT),
	]);
}

/** Locator mode: a service code. */
const serviceCodeMode = {
	displayName: 'By Code',
	name: 'code',
	type: 'string' as const,
	placeholder: 'e.g. FINANCE_DEPARTMENT',
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

/**
 * The node's subtitle, n8n's "operation: resource" with the names the editor shows instead of the
 * parameter values ("Get Status History: Received Invoice", not "getHistory: receivedInvoice"):
 * a lookup table built from the Resource and Operation options, so it follows them.
 */
export function operationSubtitle(properties: INodeProperties[]): string {
	const resources = (properties.find((property) => property.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	const labels: Record<string, string> = {};
	for (const resource of resources) {
		for (const property of properties) {
			const shownFor = property.displayOptions?.show?.resource ?? [];
			if (property.name !== 'operation' || !shownFor.includes(resource.value)) continue;
			for (const operation of (property.options ?? []) as INodePropertyOptions[]) {
				labels[`${resource.value}:${operation.value}`] = `${operation.name}: ${resource.name}`;
			}
		}
	}
	return `={{ ${JSON.stringify(labels)}[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] + ": " + $parameter["resource"] }}`;
}

/** A subtitle showing the name of the option chosen in `property` (e.g. a trigger's event). */
export function optionSubtitle(property: INodeProperties): string {
	const labels = Object.fromEntries(
		((property.options ?? []) as INodePropertyOptions[]).map((option) => [
			option.value,
			option.name,
		]),
	);
	return `={{ ${JSON.stringify(labels)}[$parameter["${property.name}"]] || $parameter["${property.name}"] }}`;
}
