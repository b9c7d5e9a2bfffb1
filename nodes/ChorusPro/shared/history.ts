import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chorusRequest, withoutEnvelope } from '../transport/request';
import { SERVICES } from '../transport/services';
import { chorusDateToIso } from './dates';
import type { ChorusValue, InvoiceSummary } from './invoices';
import { invoiceIdField, invoiceSummary, readChorusId } from './invoices';
import type { InvoiceStatusSummary } from './statuses';
import { invoiceStatusSummary } from './statuses';

/** One status an invoice went through, when, and the comment left with it. */
type HistoryEntry = InvoiceStatusSummary & { date: string | null; comment: ChorusValue };

/**
 * Status history of the invoice of an item, sent or received (consulter historique serves both),
 * newest first, with readable dates.
 */
export async function readHistory(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject & { summary: InvoiceSummary & { history: HistoryEntry[] } }> {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const answer = withoutEnvelope(
		await chorusRequest.call(this, SERVICES.invoiceHistory, { idFacture }, { itemIndex }),
	);
	const statuses = ((answer.historiquesDesStatuts as IDataObject | undefined)?.histoStatut ??
		[]) as IDataObject[];
	const history = statuses.map((entry) => ({
		...invoiceStatusSummary(entry.histoStatutCode),
		date: chorusDateToIso(entry.histoStatutDatePassage) ?? null,
		comment: entry.histoStatutCommentaire ?? null,
	}));
	return {
		...answer,
		summary: { ...invoiceSummary({ idFacture, ...answer }), history },
	};
}

/** The Get Status History operation of a resource (sent and received invoices alike). */
export function getHistoryOperation(resource: string) {
	return {
		description: updateDisplayOptions(
			{ show: { resource: [resource], operation: ['getHistory'] } },
			[invoiceIdField],
		),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			return this.helpers.returnJsonArray(await readHistory.call(this, itemIndex));
		},
	};
}
