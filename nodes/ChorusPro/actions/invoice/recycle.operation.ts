import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { textParameter } from '../../shared/parameters';

import type { ExecutionCache } from '../../shared/cache';
import { locatorChoice } from '../../shared/locators';
import { invoiceIdField, readChorusId, withInvoiceSummary } from '../../shared/invoices';
import { checkRecipient, recipientLocator, serviceCodeField } from '../../shared/recipients';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	invoiceIdField,
	{ ...recipientLocator, description: 'The public buyer the invoice should go to' },
	serviceCodeField,
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['recycle'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const identifiantFactureCPP = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const recipient = locatorChoice(this.getNodeParameter('recipient', itemIndex), 'siret');
	const serviceCode = textParameter.call(this, 'serviceCode', itemIndex);
	const comment = textParameter.call(this, 'comment', itemIndex);
	// The invoice keeps its commitment number (EJ): check the new buyer's requirements against it.
	const current = await chorusRequest.call(
		this,
		SERVICES.getSupplierInvoice,
		{ identifiantFactureCPP, codeLangue: 'FR' },
		{ itemIndex },
	);
	const references = ((current.facture as IDataObject | undefined)?.references ??
		{}) as IDataObject;
	const commitmentNumber = String(references.numeroBonCommande ?? '').trim();
	const { siret } = await checkRecipient.call(
		this,
		cache,
		itemIndex,
		recipient,
		serviceCode,
		commitmentNumber,
	);

	const body: IDataObject = {
		identifiantFactureCPP,
		destinataire: {
			codeDestinataire: siret,
			...(serviceCode ? { codeServiceExecutant: serviceCode } : {}),
		},
	};
	if (comment) body.commentaire = comment;
	const answer = withoutEnvelope(
		await chorusRequest.call(this, SERVICES.recycleInvoice, body, { itemIndex }),
	);
	return this.helpers.returnJsonArray(withInvoiceSummary(answer));
}
