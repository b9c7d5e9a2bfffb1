import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { invoiceIdField, readChorusId, withInvoiceSummary } from '../../shared/invoices';
import { textParameter } from '../../shared/parameters';
import { sendAgainOption, sendOnce } from '../../shared/sentOnce';
import { INVOICE_STATUSES } from '../../shared/statuses';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

/** Statuses a recipient may set (docs/chorus-pro-api.md §4.2); the first two need a reason. */
const REASON_REQUIRED = ['REJETEE', 'SUSPENDUE'];
const SETTABLE = [
	'REJETEE',
	'SUSPENDUE',
	'A_RECYCLER',
	'MISE_A_DISPOSITION',
	'SERVICE_FAIT',
	'MANDATEE',
	'MISE_A_DISPOSITION_COMPTABLE',
	'COMPTABILISEE',
	'MISE_EN_PAIEMENT',
];

const properties: INodeProperties[] = [
	invoiceIdField,
	{
		displayName: 'New Status',
		name: 'newStatus',
		type: 'options',
		default: 'SERVICE_FAIT',
		options: SETTABLE.map((value) => ({ name: INVOICE_STATUSES[value].label, value })).sort(
			(a, b) => a.name.localeCompare(b.name),
		),
		description: 'Status to give the invoice',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Why; required to reject or suspend the invoice, shown to the supplier',
	},
	{
		displayName: 'Payment Order Number',
		name: 'paymentOrderNumber',
		type: 'string',
		default: '',
		description: 'Number of the payment order, when the invoice is mandated',
		displayOptions: {
			show: {
				newStatus: [
					'MANDATEE',
					'MISE_A_DISPOSITION_COMPTABLE',
					'COMPTABILISEE',
					'MISE_EN_PAIEMENT',
				],
			},
		},
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [sendAgainOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['receivedInvoice'], operation: ['process'] } },
	properties,
);

/** The status change of one item, checked without sending anything. */
function readChange(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const nouveauStatut = this.getNodeParameter('newStatus', itemIndex) as string;
	const reason = textParameter.call(this, 'reason', itemIndex);
	if (!SETTABLE.includes(nouveauStatut)) {
		throw new NodeOperationError(
			this.getNode(),
			`A recipient cannot set the status "${nouveauStatut}"`,
			{
				itemIndex,
				description: `Possible statuses: ${SETTABLE.join(', ')}.`,
			},
		);
	}
	if (REASON_REQUIRED.includes(nouveauStatut) && !reason) {
		throw new NodeOperationError(
			this.getNode(),
			`A reason is required to set the status ${nouveauStatut}`,
			{
				itemIndex,
				description:
					'Fill in "Reason": Chorus Pro shows it to the supplier so the invoice can be corrected.',
			},
		);
	}
	const body: IDataObject = { idFacture, nouveauStatut };
	if (reason) body.motif = reason;
	const paymentOrderNumber = textParameter.call(this, 'paymentOrderNumber', itemIndex);
	if (paymentOrderNumber) body.numeroDPMandat = paymentOrderNumber;
	return body;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return readChange.call(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_cache: ExecutionCache,
	body: IDataObject,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// One invoice is given one status once: a second try returns the first answer.
	const { result, alreadySent } = await sendOnce.call(
		this,
		`process:${String(body.idFacture)}:${String(body.nouveauStatut)}`,
		options.sendAgain === true,
		itemIndex,
		async () =>
			withoutEnvelope(
				await chorusRequest.call(this, SERVICES.processReceivedInvoice, body, { itemIndex }),
			),
	);
	return this.helpers.returnJsonArray({
		...withInvoiceSummary(result),
		...(alreadySent ? { alreadySent: true, alreadySentAt: alreadySent } : {}),
	});
}
