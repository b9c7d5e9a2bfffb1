import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invoiceIdField, invoiceSummary, readChorusId } from '../../shared/invoices';
import { chorusRequest } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [invoiceIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const identifiantFactureCPP = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const answer = await chorusRequest.call(
		this,
		SERVICES.getSupplierInvoice,
		{ identifiantFactureCPP, codeLangue: 'FR' },
		{ itemIndex },
	);
	const facture = (answer.facture ?? {}) as IDataObject;
	return this.helpers.returnJsonArray({
		...facture,
		summary: invoiceSummary({ identifiantFactureCPP, ...facture }),
	});
}
