import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invoiceIdField, invoiceSummary, readChorusId } from '../../shared/invoices';
import { chorusRequest } from '../../transport/request';
import { SERVICES } from '../../transport/services';

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['get'] } },
	[invoiceIdField],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const identifiantFactureCPP = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	// Same request shape as consulter/fournisseur (docs/chorus-pro-api.md §3.1), unlike the other
	// recipient services, which take idFacture.
	const answer = await chorusRequest.call(
		this,
		SERVICES.getRecipientInvoice,
		{ identifiantFactureCPP, codeLangue: 'FR' },
		{ itemIndex },
	);
	const facture = (answer.facture ?? {}) as IDataObject;
	return this.helpers.returnJsonArray({
		...facture,
		summary: invoiceSummary({ identifiantFactureCPP, ...facture }),
	});
}
