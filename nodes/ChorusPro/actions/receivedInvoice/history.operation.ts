import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invoiceIdField, readChorusId } from '../../shared/invoices';
import { readHistory } from '../invoice/history.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['getHistory'] } },
	[invoiceIdField],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	return this.helpers.returnJsonArray(await readHistory.call(this, idFacture, itemIndex));
}
