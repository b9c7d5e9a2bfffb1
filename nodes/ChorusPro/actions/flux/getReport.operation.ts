import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { textParameter } from '../../shared/parameters';

import { outputBinaryField } from '../../shared/binary';
import { getFluxReport, invoicesOfFlux, invoiceSummary } from '../../shared/invoices';
import { chorusRequest } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	{
		displayName: 'Flux Number',
		name: 'fluxNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. CPP0011117000000000000042',
		description:
			'Number Chorus Pro gave to the deposited file, as returned by Invoice > Deposit File (summary.fluxNumber)',
	},
	{
		displayName: 'Find Invoices',
		name: 'findInvoices',
		type: 'boolean',
		default: true,
		description: 'Whether to look up the invoices created from the file once it is integrated',
	},
	{
		displayName: 'Include PDF Report',
		name: 'includePdf',
		type: 'boolean',
		default: false,
		description: 'Whether to add the processing report as a PDF in a binary field',
	},
	{ ...outputBinaryField, displayOptions: { show: { includePdf: [true] } } },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['flux'], operation: ['getReport'] } },
	properties,
);

const FLUX_NUMBER = /^[A-Z0-9]{10,40}$/;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const fluxNumber = textParameter.call(this, 'fluxNumber', itemIndex);
	if (!FLUX_NUMBER.test(fluxNumber)) {
		throw new NodeOperationError(
			this.getNode(),
			`"${fluxNumber}" is not a Chorus Pro flux number`,
			{
				itemIndex,
				description:
					'A flux number looks like CPP0011117000000000000042 (returned by Invoice > Deposit File).',
			},
		);
	}
	const { report, summary } = await getFluxReport.call(this, fluxNumber, itemIndex);
	const json: IDataObject = { numeroFluxDepot: fluxNumber, ...report, summary };
	if (this.getNodeParameter('findInvoices', itemIndex) as boolean) {
		const invoices =
			summary.isSuccess === true ? await invoicesOfFlux.call(this, fluxNumber, itemIndex) : [];
		json.invoices = invoices;
		summary.invoiceIds = invoices.map((invoice) => invoice.identifiantFactureCPP);
		summary.invoices = invoices.map(invoiceSummary);
	}
	const item: INodeExecutionData = { json };
	if (this.getNodeParameter('includePdf', itemIndex) as boolean) {
		const property = this.getNodeParameter('outputBinaryPropertyName', itemIndex) as string;
		const answer = await chorusRequest.call(
			this,
			SERVICES.fluxReportPdf,
			{ numeroFluxDepot: fluxNumber },
			{ itemIndex },
		);
		if (typeof answer.fichierCR === 'string' && answer.fichierCR) {
			item.binary = {
				...(this.getInputData()[itemIndex]?.binary ?? {}),
				[property]: await this.helpers.prepareBinaryData(
					Buffer.from(answer.fichierCR, 'base64'),
					`chorus-pro-report-${fluxNumber}.pdf`,
					'application/pdf',
				),
			};
		}
	}
	return [item];
}
