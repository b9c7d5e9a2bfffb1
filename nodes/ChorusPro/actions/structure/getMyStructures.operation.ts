import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chorusRequestAll } from '../../transport/paginate';
import { chorusRequest } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: [
			{
				name: 'Any',
				value: 'any',
				description: 'Every structure the technical account is attached to, with its services',
			},
			{
				name: 'Supplier',
				value: 'supplier',
				description: 'Active structures the account may invoice from',
			},
			{
				name: 'Recipient',
				value: 'recipient',
				description: 'Active structures the account receives invoices for',
			},
		],
		default: 'any',
		description: 'Which structures of the technical account to list',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['structure'], operation: ['getMyStructures'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const role = this.getNodeParameter('role', itemIndex) as string;
	if (role === 'any') {
		const structures = await chorusRequestAll.call(this, SERVICES.myAttachments, {}, { itemIndex });
		return this.helpers.returnJsonArray(structures);
	}
	const service =
		role === 'supplier' ? SERVICES.activeSupplierStructures : SERVICES.activeRecipientStructures;
	const answer = await chorusRequest.call(this, service, {}, { itemIndex });
	const structures = Array.isArray(answer.listeStructures) ? answer.listeStructures : [];
	return this.helpers.returnJsonArray(structures as IDataObject[]);
}
