import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invoiceIdField, readChorusId } from '../../shared/invoices';
import { SERVICES } from '../../transport/services';
import { downloadInvoice, downloadProperties } from '../invoice/download.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['download'] } },
	[invoiceIdField, ...downloadProperties],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	return await downloadInvoice.call(this, itemIndex, idFacture, SERVICES.downloadInvoices);
}
