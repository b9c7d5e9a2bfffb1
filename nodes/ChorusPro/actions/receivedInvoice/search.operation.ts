import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ownStructureLocator, returnAllOrLimit } from '../../shared/descriptions';
import { chorusIdOf, locatorChoice } from '../../shared/locators';
import { invoiceFilters, invoiceSort, readInvoiceSearch } from '../../shared/invoiceSearch';
import { withInvoiceSummary } from '../../shared/invoices';
import { chorusRequestAll } from '../../transport/paginate';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	invoiceFilters([
		{
			displayName: 'Downloaded',
			name: 'downloaded',
			type: 'boolean',
			default: false,
			description: 'Whether the invoice was already downloaded by your structure',
		},
		{
			...ownStructureLocator(
				'Recipient Structure',
				'recipientId',
				'Only the invoices received by this structure of yours',
				'searchRecipientStructures',
			),
			required: false,
		},
	]),
	invoiceSort,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['search'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { limit, filters, body } = readInvoiceSearch.call(
		this,
		itemIndex,
		SERVICES.searchRecipientInvoices,
	);
	body.typeDemandePaiement = 'FACTURE';
	// A resource locator; earlier versions had a number field whose 0 meant "any structure".
	const recipient = locatorChoice(filters.recipientId, 'id');
	const recipientId = chorusIdOf.call(
		this,
		recipient.value === '0' ? '' : recipient.value,
		'The recipient structure',
		itemIndex,
	);
	if (recipientId !== undefined) body.idDestinataire = recipientId;
	if (typeof filters.downloaded === 'boolean')
		body.factureTelechargeeParDestinataire = filters.downloaded;
	const invoices = await chorusRequestAll.call(this, SERVICES.searchRecipientInvoices, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(invoices.map(withInvoiceSummary));
}
