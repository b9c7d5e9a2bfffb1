import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readHistory } from '../../shared/history';
import { invoiceIdField } from '../../shared/invoices';

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['getHistory'] } },
	[invoiceIdField],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return this.helpers.returnJsonArray(await readHistory.call(this, itemIndex));
}
