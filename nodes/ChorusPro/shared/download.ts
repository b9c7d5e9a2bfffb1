import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { chorusRequest } from '../transport/request';
import { SERVICES } from '../transport/services';
import { outputBinaryField } from './binary';
import { fileKind } from './files';
import { invoiceIdField, readChorusId } from './invoices';

/** Download of an invoice, sent or received: telecharger groupe serves both. */

const downloadProperties: INodeProperties[] = [
	invoiceIdField,
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		default: 'PDF',
		options: [
			{
				name: 'PDF',
				value: 'PDF',
				description: 'The invoice as a PDF (a zip when attachments are included)',
			},
			{
				name: 'Pivot (XML)',
				value: 'PIVOT',
				description: 'The Chorus Pro pivot XML, with the attachments embedded',
			},
		],
	},
	{
		displayName: 'Include Attachments',
		name: 'withAttachments',
		type: 'boolean',
		default: false,
		description: 'Whether to add the supplementary attachments',
		displayOptions: { show: { format: ['PDF'] } },
	},
	outputBinaryField,
];

const EXTENSIONS: Record<string, [string, string]> = {
	pdf: ['pdf', 'application/pdf'],
	zip: ['zip', 'application/zip'],
	xml: ['xml', 'application/xml'],
};

/** Downloads the invoice of an item (telecharger groupe) into a binary field of a new item. */
async function downloadInvoice(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const idFacture = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const format = this.getNodeParameter('format', itemIndex) as string;
	const withAttachments =
		format === 'PDF' && (this.getNodeParameter('withAttachments', itemIndex, false) as boolean);
	const outputProperty = this.getNodeParameter('outputBinaryPropertyName', itemIndex) as string;
	const answer = await chorusRequest.call(
		this,
		SERVICES.downloadInvoices,
		{
			listeFacture: [{ idFacture }],
			format,
			...(format === 'PDF'
				? { avecPiecesJointesComplementaires: withAttachments ? 'OUI' : 'NON' }
				: {}),
		},
		{ itemIndex, timeout: 300_000 },
	);
	if (typeof answer.fichierResultat !== 'string' || !answer.fichierResultat) {
		throw new NodeOperationError(
			this.getNode(),
			`Chorus Pro returned no file for invoice ${idFacture}`,
			{
				itemIndex,
			},
		);
	}
	const data = Buffer.from(answer.fichierResultat, 'base64');
	const kind = fileKind(data);
	const [extension, mimeType] = EXTENSIONS[kind] ?? ['bin', 'application/octet-stream'];
	const fileName = `chorus-pro-invoice-${idFacture}${format === 'PIVOT' ? '-pivot' : ''}.${extension}`;
	const input = this.getInputData()[itemIndex];
	return [
		{
			json: { invoiceId: idFacture, format, fileName, fileSize: data.length },
			binary: {
				...(input?.binary ?? {}),
				[outputProperty]: await this.helpers.prepareBinaryData(data, fileName, mimeType),
			},
		},
	];
}

/** The Download operation of a resource (sent and received invoices alike). */
export function downloadOperation(resource: string) {
	return {
		description: updateDisplayOptions(
			{ show: { resource: [resource], operation: ['download'] } },
			downloadProperties,
		),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			return await downloadInvoice.call(this, itemIndex);
		},
	};
}
