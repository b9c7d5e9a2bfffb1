import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../shared/descriptions';
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
			description:
				'Whether the invoice was already downloaded by your structure (factureTelechargeeParDestinataire)',
		},
		{
			displayName: 'Recipient Structure ID',
			name: 'recipientId',
			type: 'number',
			default: 0,
			description: 'Only invoices received by this structure of yours (idDestinataire)',
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
	if (Number(filters.recipientId) > 0) body.idDestinataire = Number(filters.recipientId);
	if (typeof filters.downloaded === 'boolean')
		body.factureTelechargeeParDestinataire = filters.downloaded;
	const invoices = await chorusRequestAll.call(this, SERVICES.searchRecipientInvoices, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(invoices.map(withInvoiceSummary));
}
