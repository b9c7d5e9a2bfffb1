import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../shared/descriptions';
import {
	invoiceSearchCriteria,
	sortColumnOptions,
	statusOptions,
} from '../../shared/invoiceSearch';
import { withInvoiceSummary } from '../../shared/invoices';
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
			{ displayName: 'Amount Incl. Tax Max', name: 'amountMax', type: 'number', default: 0 },
			{ displayName: 'Amount Incl. Tax Min', name: 'amountMin', type: 'number', default: 0 },
			{ displayName: 'Deposited From', name: 'depositedFrom', type: 'dateTime', default: '' },
			{ displayName: 'Deposited To', name: 'depositedTo', type: 'dateTime', default: '' },
			{
				displayName: 'Downloaded',
				name: 'downloaded',
				type: 'boolean',
				default: false,
				description:
					'Whether the invoice was already downloaded by your structure (factureTelechargeeParDestinataire)',
			},
			{ displayName: 'Invoice Date From', name: 'invoiceDateFrom', type: 'dateTime', default: '' },
			{ displayName: 'Invoice Date To', name: 'invoiceDateTo', type: 'dateTime', default: '' },
			{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '' },
			{ displayName: 'Market Number', name: 'marketNumber', type: 'string', default: '' },
			{
				displayName: 'Purchase Order Number',
				name: 'purchaseOrderNumber',
				type: 'string',
				default: '',
				description: 'Commitment number (EJ) or purchase order',
			},
			{
				displayName: 'Recipient Structure ID',
				name: 'recipientId',
				type: 'number',
				default: 0,
				description: 'Only invoices received by this structure of yours (idDestinataire)',
			},
			{
				displayName: 'Status Changed From',
				name: 'statusChangedFrom',
				type: 'dateTime',
				default: '',
			},
			{ displayName: 'Status Changed To', name: 'statusChangedTo', type: 'dateTime', default: '' },
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: statusOptions,
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'column',
				type: 'options',
				default: 'DateDepot',
				options: sortColumnOptions,
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				default: 'Descendant',
				options: [
					{ name: 'Ascending', value: 'Ascendant' },
					{ name: 'Descending', value: 'Descendant' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['search'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = this.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const body = invoiceSearchCriteria.call(this, filters, itemIndex);
	body.typeDemandePaiement = 'FACTURE';
	if (Number(filters.recipientId) > 0) body.idDestinataire = Number(filters.recipientId);
	if (typeof filters.downloaded === 'boolean')
		body.factureTelechargeeParDestinataire = filters.downloaded;
	if (sort.column)
		body.paramRecherche = { triColonne: sort.column, triSens: sort.direction ?? 'Descendant' };
	const invoices = await chorusRequestAll.call(this, SERVICES.searchRecipientInvoices, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(invoices.map(withInvoiceSummary));
}
