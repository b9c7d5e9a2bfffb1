import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { downloadInvoice, downloadProperties } from '../../shared/download';

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['download'] } },
	downloadProperties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await downloadInvoice.call(this, itemIndex);
}
