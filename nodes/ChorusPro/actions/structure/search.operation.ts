import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readLimit, returnAllOrLimit } from '../../shared/descriptions';
import { chorusRequestAll } from '../../transport/paginate';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'City',
				name: 'adresseVille',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Identifier',
				name: 'identifiantStructure',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12345678200028',
				description: 'SIRET (or other identifier) of the structure, exact match',
			},
			{
				displayName: 'Identifier Type',
				name: 'typeIdentifiantStructure',
				type: 'options',
				default: 'SIRET',
				options: [
					{ name: 'Other', value: 'AUTRE' },
					{ name: 'Outside EU', value: 'HORS_UE' },
					{ name: 'Private Individual', value: 'PARTICULIER' },
					{ name: 'RIDET (New Caledonia)', value: 'RIDET' },
					{ name: 'SIRET', value: 'SIRET' },
					{ name: 'TAHITI', value: 'TAHITI' },
					{ name: 'VAT Number (EU Outside France)', value: 'UE_HORS_FRANCE' },
				],
			},
			{
				displayName: 'Include All Private Structures',
				name: 'includeAllPrivate',
				type: 'boolean',
				default: false,
				description:
					'Whether to include private structures the technical account is not attached to',
			},
			{
				displayName: 'Name',
				name: 'raisonSocialeStructure',
				type: 'string',
				default: '',
				description: 'Part of the company name',
			},
			{
				displayName: 'Postal Code',
				name: 'adresseCodePostal',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Status',
				name: 'statutStructure',
				type: 'options',
				default: 'ACTIF',
				options: [
					{ name: 'Active', value: 'ACTIF' },
					{ name: 'Inactive', value: 'INACTIF' },
				],
			},
			{
				displayName: 'Type',
				name: 'typeStructure',
				type: 'options',
				default: 'PUBLIQUE',
				options: [
					{ name: 'Public', value: 'PUBLIQUE' },
					{ name: 'Private', value: 'PRIVEE' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['structure'], operation: ['search'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const { includeAllPrivate, ...filters } = this.getNodeParameter(
		'filters',
		itemIndex,
		{},
	) as IDataObject;
	const body: IDataObject = { structure: filters };
	if (includeAllPrivate === true) body.restreindreStructuresPrivees = false;
	const structures = await chorusRequestAll.call(this, SERVICES.searchStructures, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(structures);
}
