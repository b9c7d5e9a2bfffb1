import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chorusDateToIso } from '../../shared/dates';
import { invoiceIdField, invoiceSummary, readChorusId } from '../../shared/invoices';
import { invoiceStatusSummary } from '../../shared/statuses';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [invoiceIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['getHistory'] } },
	properties,
);

/** Status history of an invoice (consulter historique), newest first, with readable dates. */
export async function readHistory(
	this: IExecuteFunctions,
	idFacture: number,
	itemIndex: number,
): Promise<IDataObject> {
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

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	return this.helpers.returnJsonArray(await readHistory.call(this, idFacture, itemIndex));
}
