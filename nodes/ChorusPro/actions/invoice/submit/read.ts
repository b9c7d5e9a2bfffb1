import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FileToSend } from '../../../shared/binary';
import { keepToSend, readInputFile } from '../../../shared/binary';
import type { ExecutionCache } from '../../../shared/cache';
import { cached } from '../../../shared/cache';
import { parseUserDate } from '../../../shared/dates';
import { fileKind, MAX_FILE_NAME_LENGTH, MAX_PDF_BYTES } from '../../../shared/files';
import type { LocatorChoice } from '../../../shared/locators';
import { chorusIdOf, locatorChoice } from '../../../shared/locators';
import type { GivenTotals, VatRate } from '../../../shared/money';
import type { NumberRule } from '../../../shared/parameters';
import { checkNumber, textParameter } from '../../../shared/parameters';
import { chorusRequest } from '../../../transport/request';
import { SERVICES } from '../../../transport/services';
import type { InvoiceFields, InvoiceLine } from './body';

/** Chorus Pro's VAT codes and their percentages, fetched once per execution. */
async function vatRateTable(this: IExecuteFunctions, cache: ExecutionCache, itemIndex: number) {
	return await cached(cache, 'vatRates', async () => {
		const answer = await chorusRequest.call(
			this,
			SERVICES.vatRates,
			{ codeLangue: 'FR' },
			{ itemIndex },
		);
		const table = new Map<string, number>();
		for (const rate of (answer.listeTauxTva as IDataObject[] | undefined) ?? []) {
			table.set(String(rate.codeTauxTva), Number(rate.valeurTauxTva));
		}
		return table;
	});
}

/** A line's VAT rate: a percentage such as 20 or 5,5, or a Chorus Pro code looked up. */
async function readVatRate(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<VatRate> {
	const text = String(value ?? '').trim();
	if (/^[0-9]+([.,][0-9]+)?$/.test(text)) return { percent: Number(text.replace(',', '.')) };
	if (!text) {
		throw new NodeOperationError(this.getNode(), `Choose the VAT rate of ${label}`, { itemIndex });
	}
	const table = await vatRateTable.call(this, cache, itemIndex);
	const percent = table.get(text);
	if (percent === undefined) {
		throw new NodeOperationError(this.getNode(), `Unknown VAT rate "${text}" on ${label}`, {
			itemIndex,
			description: `Chorus Pro VAT codes: ${[...table.keys()].join(', ')}; or give a percentage such as 20.`,
		});
	}
	return { code: text, percent };
}

async function readLines(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<InvoiceLine[]> {
	const raw = ((this.getNodeParameter('lines', itemIndex, {}) as IDataObject).line ??
		[]) as IDataObject[];
	const lines: InvoiceLine[] = [];
	for (const [index, line] of raw.entries()) {
		const label = `line ${index + 1}`;
		const number = (name: string, value: unknown) => {
			const parsed = typeof value === 'number' ? value : Number(value);
			if (!Number.isFinite(parsed)) {
				throw new NodeOperationError(this.getNode(), `The ${name} of ${label} is not a number`, {
					itemIndex,
				});
			}
			return parsed;
		};
		const vat = await readVatRate.call(this, line.vatRate, label, cache, itemIndex);
		lines.push({
			number: index + 1,
			reference: String(line.reference ?? ''),
			description: String(line.description ?? '').trim(),
			quantity: number('quantity', line.quantity ?? 1),
			unit: String(line.unit ?? ''),
			unitPrice: number('unit price', line.unitPrice ?? 0),
			discount: number('discount', line.discount ?? 0),
			vat,
		});
		if (!lines[lines.length - 1].description) {
			throw new NodeOperationError(this.getNode(), `The description of ${label} is empty`, {
				itemIndex,
			});
		}
	}
	return lines;
}

const TOTAL_RULES: Record<keyof GivenTotals, NumberRule> = {
	exclTax: { label: 'Total Excl. Tax', min: 0, max: 1e12 },
	vat: { label: 'Total VAT', min: 0, max: 1e12 },
	toPay: { label: 'Amount to Pay', min: 0, max: 1e12 },
	vatPercent: { label: 'VAT Rate (%)', min: 0, max: 100 },
	globalDiscount: { label: 'Global Discount', min: 0, max: 1e12 },
};

/**
 * The Totals collection: the amounts filled in, checked (an empty one is computed). Without lines
 * the total excluding tax is required, and the VAT rate is read (it is not used with lines).
 */
function readTotals(
	this: IExecuteFunctions,
	itemIndex: number,
	withLines: boolean,
): InvoiceFields['totals'] {
	const totals = this.getNodeParameter('totals', itemIndex, {}) as IDataObject;
	const given = (name: string, rule: NumberRule) =>
		totals[name] === undefined || totals[name] === null || totals[name] === ''
			? undefined
			: checkNumber.call(this, totals[name], rule, itemIndex);
	const exclTax = given('totalExclTax', TOTAL_RULES.exclTax);
	if (!withLines && exclTax === undefined) {
		throw new NodeOperationError(this.getNode(), 'Give the invoice lines or the totals', {
			itemIndex,
			description: 'Without lines, "Total Excl. Tax" (and "Total VAT") are required in Totals.',
		});
	}
	const reason = totals.globalDiscountReason;
	return {
		exclTax,
		vatPercent: withLines ? undefined : given('vatRate', TOTAL_RULES.vatPercent),
		vat: given('totalVat', TOTAL_RULES.vat),
		globalDiscount: given('globalDiscount', TOTAL_RULES.globalDiscount),
		toPay: given('amountToPay', TOTAL_RULES.toPay),
		globalDiscountReason: typeof reason === 'string' && reason ? reason : undefined,
	};
}

function readInvoiceNumber(this: IExecuteFunctions, itemIndex: number): string {
	const invoiceNumber = textParameter.call(this, 'invoiceNumber', itemIndex);
	if (!/^[A-Za-z0-9\-_/+]{1,20}$/.test(invoiceNumber)) {
		throw new NodeOperationError(
			this.getNode(),
			`The invoice number "${invoiceNumber}" is not accepted by Chorus Pro`,
			{
				itemIndex,
				description: 'Use at most 20 characters: letters, digits and - _ / + (no spaces).',
			},
		);
	}
	return invoiceNumber;
}

function readSupplier(this: IExecuteFunctions, itemIndex: number): number {
	// A resource locator; workflows of earlier versions hold the plain Chorus Pro ID of a dropdown.
	const supplier = chorusIdOf.call(
		this,
		locatorChoice(this.getNodeParameter('supplierStructure', itemIndex), 'id').value,
		'The supplier structure',
		itemIndex,
	);
	if (supplier === undefined) {
		throw new NodeOperationError(this.getNode(), 'Choose the supplier structure', {
			itemIndex,
			description:
				'The structure of the technical account that issues the invoice: pick it from the list, or give its Chorus Pro ID.',
		});
	}
	return supplier;
}

/**
 * The invoice of one item, every field checked; only the VAT codes may be looked up. The recipient
 * is checked by the caller against Chorus Pro (it needs its SIRET and requirements).
 */
export async function readInvoice(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<{ invoice: InvoiceFields; recipient: LocatorChoice }> {
	const supplierId = readSupplier.call(this, itemIndex);
	const recipient = locatorChoice(this.getNodeParameter('recipient', itemIndex), 'siret');
	const serviceCode = textParameter.call(this, 'serviceCode', itemIndex);
	const commitmentNumber = textParameter.call(this, 'commitmentNumber', itemIndex);
	const invoiceNumber = readInvoiceNumber.call(this, itemIndex);
	const invoiceDate = parseUserDate(this.getNodeParameter('invoiceDate', itemIndex));
	if (!invoiceDate) {
		throw new NodeOperationError(this.getNode(), 'The invoice date is missing or not a date', {
			itemIndex,
		});
	}
	const invoiceType = this.getNodeParameter('invoiceType', itemIndex) as string;
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const lines = await readLines.call(this, cache, itemIndex);
	if (this.getNodeParameter('submitMode', itemIndex) === 'fields' && !lines.length) {
		throw new NodeOperationError(this.getNode(), 'Add at least one invoice line', {
			itemIndex,
			description:
				'An invoice submitted by fields needs its lines; to send a PDF, use the mode "From PDF".',
		});
	}
	const totals = readTotals.call(this, itemIndex, lines.length > 0);
	const comment = typeof extra.comment === 'string' ? extra.comment.trim() : '';
	const supplierServiceId = Number(extra.supplierServiceId);
	const invoice: InvoiceFields = {
		supplierId,
		supplierServiceId: supplierServiceId > 0 ? supplierServiceId : undefined,
		bankAccountId: extra.bankAccount ? Number(extra.bankAccount) : undefined,
		serviceCode,
		commitmentNumber,
		marketNumber: (extra.marketNumber as string) || undefined,
		invoiceNumber,
		invoiceDate,
		invoiceType,
		originalInvoiceNumber:
			invoiceType === 'AVOIR' ? textParameter.call(this, 'originalInvoiceNumber', itemIndex) : '',
		// The defaults of the editor's fields, for an expression that gives nothing.
		currency: (extra.currency as string) || 'EUR',
		vatRegime: (extra.vatRegime as string) || 'TVA_SUR_DEBIT',
		paymentMode: (extra.paymentMode as string) || 'VIREMENT',
		invoicingFrame: (extra.invoicingFrame as string) || 'A1_FACTURE_FOURNISSEUR',
		vatExemptionReason: (extra.vatExemptionReason as string) || undefined,
		comment,
		lines,
		totals,
	};
	return { invoice, recipient };
}

/** The invoice PDF to upload: the checked file, its name and format. */
export interface PdfToUpload {
	file: FileToSend;
	fileName: string;
	format: string;
}

/** The invoice PDF of an item in mode From PDF, checked (size, content); undefined by fields. */
export async function readPdf(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<PdfToUpload | undefined> {
	if (this.getNodeParameter('submitMode', itemIndex) !== 'pdf') return undefined;
	const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const file = await readInputFile.call(
		this,
		itemIndex,
		property,
		MAX_PDF_BYTES,
		'An invoice PDF',
		true,
	);
	if (fileKind(file.data) !== 'pdf') {
		throw new NodeOperationError(this.getNode(), `The file "${file.fileName}" is not a PDF`, {
			itemIndex,
			description:
				'Submit from PDF takes a PDF file; structured XML or Factur-X files go through Deposit File.',
		});
	}
	return {
		file: await keepToSend(cache, property, file),
		fileName: file.fileName.slice(-MAX_FILE_NAME_LENGTH),
		format: this.getNodeParameter('pdfFormat', itemIndex) as string,
	};
}
