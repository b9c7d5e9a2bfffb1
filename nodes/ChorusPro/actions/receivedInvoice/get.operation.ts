import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getInvoice, invoiceIdField } from '../../shared/invoices';
import { SERVICES } from '../../transport/services';

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['get'] } },
	[invoiceIdField],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return this.helpers.returnJsonArray(
		await getInvoice.call(this, SERVICES.getRecipientInvoice, itemIndex),
	);
}
