import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CheckedAttachment } from '../../shared/attachments';
import { checkAttachments, uploadAttachments } from '../../shared/attachments';
import type { ExecutionCache } from '../../shared/cache';
import { invoiceSummary } from '../../shared/invoices';
import { fileToSend } from '../../shared/binary';
import { checkRecipient } from '../../shared/recipients';
import { sendOnce } from '../../shared/sentOnce';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';
import { submitBody, withMainPdf } from './submit/body';
import { properties } from './submit/description';
import type { PdfToUpload } from './submit/read';
import { readInvoice, readPdf } from './submit/read';

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['submit'] } },
	properties,
);

/** An invoice ready to send: every field checked, the buyer's requirements met, nothing sent. */
interface PreparedSubmission {
	body: IDataObject;
	pdf?: PdfToUpload;
	attachments: CheckedAttachment[];
	key: string;
}

/** Reads and checks an item (no upload), so that a bad item stops the run before any is sent. */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<PreparedSubmission> {
	const { invoice, recipient } = await readInvoice.call(this, itemIndex, cache);
	const { siret } = await checkRecipient.call(
		this,
		cache,
		itemIndex,
		recipient,
		invoice.serviceCode,
		invoice.commitmentNumber,
	);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const attachments = await checkAttachments.call(
		this,
		itemIndex,
		cache,
		(extra.attachmentProperties as string) ?? '',
		(extra.attachmentType as string) ?? '',
	);
	return {
		body: submitBody(invoice, siret),
		pdf: await readPdf.call(this, itemIndex, cache),
		attachments,
		// An invoice number is unique per supplier on Chorus Pro: that is the invoice's identity.
		key: `submit:${invoice.supplierId}:${invoice.invoiceNumber}`,
	};
}

/** Uploads the PDF and the attachments, then submits the invoice that references them. */
async function send(
	this: IExecuteFunctions,
	itemIndex: number,
	{ body, pdf, attachments }: PreparedSubmission,
): Promise<IDataObject> {
	let invoice = body;
	let pdfUpload: IDataObject | undefined;
	if (pdf) {
		pdfUpload = withoutEnvelope(
			await chorusRequest.call(
				this,
				SERVICES.depositPdf,
				{
					fichierFacture: await fileToSend.call(this, itemIndex, pdf.file),
					nomFichier: pdf.fileName,
					formatDepot: pdf.format,
				},
				{ itemIndex, timeout: 300_000 },
			),
		);
		invoice = withMainPdf(body, pdf, pdfUpload.pieceJointeId);
	}
	const uploaded = await uploadAttachments.call(this, itemIndex, attachments);
	if (uploaded.length) invoice = { ...invoice, pieceJointeComplementaire: uploaded };
	const answer = withoutEnvelope(
		await chorusRequest.call(this, SERVICES.submitInvoice, invoice, { itemIndex }),
	);
	return pdfUpload ? { ...answer, pdfUpload } : answer;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_cache: ExecutionCache,
	prepared: PreparedSubmission,
): Promise<INodeExecutionData[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const { result, alreadySent } = await sendOnce.call(
		this,
		prepared.key,
		extra.sendAgain === true,
		itemIndex,
		async () => await send.call(this, itemIndex, prepared),
	);
	return this.helpers.returnJsonArray({
		...result,
		...(alreadySent ? { alreadySent: true, alreadySentAt: alreadySent } : {}),
		summary: { ...invoiceSummary(result), amounts: prepared.body.montantTotal },
	});
}
