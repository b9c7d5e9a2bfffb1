import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { textParameter } from '../../shared/parameters';

import { attachmentFields, checkAttachments, uploadAttachments } from '../../shared/attachments';
import type { ExecutionCache } from '../../shared/cache';
import { invoiceIdField, readChorusId, withInvoiceSummary } from '../../shared/invoices';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	invoiceIdField,
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Answer to the buyer who suspended the invoice (at most 2000 characters)',
	},
	...attachmentFields,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['complete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const identifiantFactureCPP = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const comment = textParameter.call(this, 'comment', itemIndex);
	const checked = await checkAttachments.call(
		this,
		itemIndex,
		cache,
		this.getNodeParameter('attachmentProperties', itemIndex, '') as string,
		this.getNodeParameter('attachmentType', itemIndex, '') as string,
	);
	const attachments = await uploadAttachments.call(this, itemIndex, checked);
	const body: IDataObject = { identifiantFactureCPP };
	if (comment) body.commentaire = comment.slice(0, 2000);
	if (attachments.length) body.pieceJointeComplementaire = attachments;
	const answer = withoutEnvelope(
		await chorusRequest.call(this, SERVICES.completeInvoice, body, { itemIndex }),
	);
	return this.helpers.returnJsonArray(
		withInvoiceSummary({ statutFacture: 'COMPLETEE', ...answer }),
	);
}
