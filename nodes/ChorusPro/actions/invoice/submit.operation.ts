import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { NumberRule } from '../../shared/parameters';
import { checkNumber, textParameter } from '../../shared/parameters';

import type { CheckedAttachment } from '../../shared/attachments';
import { attachmentFields, checkAttachments, uploadAttachments } from '../../shared/attachments';
import { binaryPropertyField, readInputFile } from '../../shared/binary';
import type { ExecutionCache } from '../../shared/cache';
import { cached } from '../../shared/cache';
import { sendAgainOption, sendOnce } from '../../shared/sentOnce';
import { invoiceTypeOptions, ownStructureLocator } from '../../shared/descriptions';
import { chorusIdOf, locatorChoice } from '../../shared/locators';
import { parseUserDate, toChorusDate } from '../../shared/dates';
import { fileKind, MAX_FILE_NAME_LENGTH, MAX_PDF_BYTES } from '../../shared/files';
import { invoiceSummary } from '../../shared/invoices';
import { checkRecipient, recipientLocator, serviceCodeField } from '../../shared/recipients';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { base64File } from '../../transport/body';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'submitMode',
		type: 'options',
		default: 'pdf',
		options: [
			{
				name: 'From PDF',
				value: 'pdf',
				description: 'Upload the invoice PDF, then submit it with the fields below',
			},
			{
				name: 'By Fields',
				value: 'fields',
				description: 'Submit the invoice from its fields and lines only, without a PDF',
			},
		],
	},
	{
		...binaryPropertyField('The invoice PDF (at most 10 MB)'),
		displayOptions: { show: { submitMode: ['pdf'] } },
	},
	{
		displayName: 'PDF Signature',
		name: 'pdfFormat',
		type: 'options',
		default: 'PDF_NON_SIGNE',
		options: [
			{ name: 'Not Signed', value: 'PDF_NON_SIGNE' },
			{ name: 'Signed (PAdES)', value: 'PDF_SIGNE_PADES' },
			{ name: 'Signed (XAdES)', value: 'PDF_SIGNE_XADES' },
		],
		displayOptions: { show: { submitMode: ['pdf'] } },
	},
	ownStructureLocator(
		'Supplier Structure',
		'supplierStructure',
		'Your structure that issues the invoice',
		'searchSupplierStructures',
	),
	recipientLocator,
	serviceCodeField,
	{
		displayName: 'Purchase Order / Commitment Number',
		name: 'commitmentNumber',
		type: 'string',
		default: '',
		description: 'Commitment or purchase order number given by the buyer; required by some buyers',
	},
	{
		displayName: 'Invoice Number',
		name: 'invoiceNumber',
		type: 'string',
		default: '',
		required: true,
		description: 'Your number for the invoice: at most 20 characters, letters, digits and - _ / +',
	},
	{
		displayName: 'Invoice Date',
		name: 'invoiceDate',
		type: 'dateTime',
		default: '',
		required: true,
	},
	{
		displayName: 'Type',
		name: 'invoiceType',
		type: 'options',
		default: 'FACTURE',
		options: invoiceTypeOptions,
	},
	{
		displayName: 'Original Invoice Number',
		name: 'originalInvoiceNumber',
		type: 'string',
		default: '',
		description: 'Number of the invoice this credit note corrects',
		displayOptions: { show: { invoiceType: ['AVOIR'] } },
	},
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Line',
		default: {},
		description: 'Invoice lines; totals and VAT lines are computed from them',
		options: [
			{
				displayName: 'Line',
				name: 'line',
				values: [
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{
						displayName: 'Discount Excl. Tax',
						name: 'discount',
						type: 'number',
						default: 0,
						description: 'Discount on the line, excluding tax',
					},
					{ displayName: 'Quantity', name: 'quantity', type: 'number', default: 1 },
					{ displayName: 'Reference', name: 'reference', type: 'string', default: '' },
					{
						displayName: 'Unit',
						name: 'unit',
						type: 'string',
						default: '',
						placeholder: 'e.g. hour',
					},
					{
						displayName: 'Unit Price Excl. Tax',
						name: 'unitPrice',
						type: 'number',
						typeOptions: { numberPrecision: 6 },
						default: 0,
					},
					{
						displayName: 'VAT Rate Name or ID',
						name: 'vatRate',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getVatRates' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						hint: 'VAT rate code of Chorus Pro, or a percentage such as 20 given by expression.',
					},
				],
			},
		],
	},
	{
		displayName: 'Totals',
		name: 'totals',
		type: 'collection',
		placeholder: 'Add Total',
		default: {},
		description:
			'Amounts of the invoice; computed from the lines when left empty (required without lines)',
		options: [
			{
				displayName: 'Amount to Pay',
				name: 'amountToPay',
				type: 'number',
				default: 0,
				description: 'Defaults to the total including tax',
			},
			{
				displayName: 'Global Discount Incl. Tax',
				name: 'globalDiscount',
				type: 'number',
				default: 0,
			},
			{
				displayName: 'Global Discount Reason',
				name: 'globalDiscountReason',
				type: 'string',
				default: '',
			},
			{ displayName: 'Total Excl. Tax', name: 'totalExclTax', type: 'number', default: 0 },
			{ displayName: 'Total VAT', name: 'totalVat', type: 'number', default: 0 },
			{
				displayName: 'VAT Rate (%)',
				name: 'vatRate',
				type: 'number',
				default: 20,
				description: 'Rate of the single VAT line sent when there are no invoice lines',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Bank Details Name or ID',
				name: 'bankAccount',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getBankAccounts',
					loadOptionsDependsOn: ['supplierStructure.value'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Bank details of the supplier, to which the invoice is paid.',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Free text for the buyer, at most 2000 characters',
			},
			{
				displayName: 'Currency Name or ID',
				name: 'currency',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCurrencies' },
				default: 'EUR',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'ISO 4217 code, EUR by default.',
			},
			{
				displayName: 'Invoicing Frame Name or ID',
				name: 'invoicingFrame',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getInvoicingFrames' },
				default: 'A1_FACTURE_FOURNISSEUR',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'A1 for a plain supplier invoice, A2 already paid, A9 subcontractor, A12 co-contractor.',
			},
			{
				displayName: 'Market Number',
				name: 'marketNumber',
				type: 'string',
				default: '',
				description: 'Number of the public contract the invoice belongs to',
			},
			{
				displayName: 'Payment Mode Name or ID',
				name: 'paymentMode',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getPaymentModes' },
				default: 'VIREMENT',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Credit transfer by default.',
			},
			sendAgainOption,
			{
				displayName: 'Supplier Service ID',
				name: 'supplierServiceId',
				type: 'number',
				default: 0,
				description: 'Chorus Pro ID of a service of your structure, if you use services',
			},
			{
				displayName: 'VAT Exemption Reason Name or ID',
				name: 'vatExemptionReason',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getVatExemptionReasons' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Why an invoice without VAT is exempt.',
			},
			{
				displayName: 'VAT Regime',
				name: 'vatRegime',
				type: 'options',
				default: 'TVA_SUR_DEBIT',
				options: [
					{ name: 'Exempt', value: 'EXONERATION' },
					{ name: 'No VAT', value: 'SANS_TVA' },
					{ name: 'VAT on Debits', value: 'TVA_SUR_DEBIT' },
					{ name: 'VAT on Receipts', value: 'TVA_SUR_ENCAISSEMENT' },
				],
			},
			...attachmentFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['submit'] } },
	properties,
);

const round2 = (value: number) => Math.round(value * 100) / 100;

interface Line {
	number: number;
	reference: string;
	description: string;
	quantity: number;
	unit: string;
	unitPrice: number;
	discount: number;
	vatCode?: string;
	vatPercent: number;
}

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

async function readLines(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<Line[]> {
	const raw = ((this.getNodeParameter('lines', itemIndex, {}) as IDataObject).line ??
		[]) as IDataObject[];
	const lines: Line[] = [];
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
		const vatValue = String(line.vatRate ?? '').trim();
		let vatCode: string | undefined;
		let vatPercent: number;
		if (/^[0-9]+([.,][0-9]+)?$/.test(vatValue)) {
			vatPercent = Number(vatValue.replace(',', '.'));
		} else if (vatValue) {
			const table = await vatRateTable.call(this, cache, itemIndex);
			const percent = table.get(vatValue);
			if (percent === undefined) {
				throw new NodeOperationError(this.getNode(), `Unknown VAT rate "${vatValue}" on ${label}`, {
					itemIndex,
					description: `Chorus Pro VAT codes: ${[...table.keys()].join(', ')}; or give a percentage such as 20.`,
				});
			}
			vatCode = vatValue;
			vatPercent = percent;
		} else {
			throw new NodeOperationError(this.getNode(), `Choose the VAT rate of ${label}`, {
				itemIndex,
			});
		}
		lines.push({
			number: index + 1,
			reference: String(line.reference ?? ''),
			description: String(line.description ?? '').trim(),
			quantity: number('quantity', line.quantity ?? 1),
			unit: String(line.unit ?? ''),
			unitPrice: number('unit price', line.unitPrice ?? 0),
			discount: number('discount', line.discount ?? 0),
			vatCode,
			vatPercent,
		});
		if (!lines[lines.length - 1].description) {
			throw new NodeOperationError(this.getNode(), `The description of ${label} is empty`, {
				itemIndex,
			});
		}
	}
	return lines;
}

/** VAT lines and totals, from the lines or from the Totals fields. */
function amountsOf(
	this: IExecuteFunctions,
	lines: Line[],
	totals: IDataObject,
	itemIndex: number,
): { ligneTva: IDataObject[]; montantTotal: IDataObject } {
	const rules: Record<string, NumberRule> = {
		totalExclTax: { label: 'Total Excl. Tax', min: 0, max: 1e12 },
		totalVat: { label: 'Total VAT', min: 0, max: 1e12 },
		amountToPay: { label: 'Amount to Pay', min: 0, max: 1e12 },
		vatRate: { label: 'VAT Rate (%)', min: 0, max: 100 },
		globalDiscount: { label: 'Global Discount', min: 0, max: 1e12 },
	};
	const given = (name: string) =>
		totals[name] === undefined || totals[name] === null || totals[name] === ''
			? undefined
			: checkNumber.call(this, totals[name], rules[name], itemIndex);
	const byRate = new Map<string, { base: number; percent: number; code?: string }>();
	for (const line of lines) {
		const key = line.vatCode ?? `manual:${line.vatPercent}`;
		const entry = byRate.get(key) ?? { base: 0, percent: line.vatPercent, code: line.vatCode };
		entry.base = round2(entry.base + line.quantity * line.unitPrice - line.discount);
		byRate.set(key, entry);
	}
	if (!lines.length) {
		const base = given('totalExclTax');
		if (base === undefined) {
			throw new NodeOperationError(this.getNode(), 'Give the invoice lines or the totals', {
				itemIndex,
				description: 'Without lines, "Total Excl. Tax" (and "Total VAT") are required in Totals.',
			});
		}
		byRate.set('single', { base, percent: given('vatRate') ?? 20 });
	}
	const ligneTva = [...byRate.values()].map((rate) => {
		const amount = lines.length
			? round2((rate.base * rate.percent) / 100)
			: (given('totalVat') ?? round2((rate.base * rate.percent) / 100));
		return {
			ligneTvaMontantBaseHtParTaux: rate.base,
			ligneTvaMontantTvaParTaux: amount,
			...(rate.code ? { ligneTvaTaux: rate.code } : { ligneTvaTauxManuel: rate.percent }),
		};
	});
	const montantHtTotal =
		given('totalExclTax') ??
		round2(ligneTva.reduce((sum, line) => sum + line.ligneTvaMontantBaseHtParTaux, 0));
	const montantTVA =
		given('totalVat') ??
		round2(ligneTva.reduce((sum, line) => sum + line.ligneTvaMontantTvaParTaux, 0));
	const montantTtcTotal = round2(montantHtTotal + montantTVA);
	const discount = given('globalDiscount') ?? 0;
	const montantTotal: IDataObject = {
		montantHtTotal,
		montantTVA,
		montantTtcTotal,
		montantRemiseGlobaleTTC: discount,
		montantAPayer: given('amountToPay') ?? round2(montantTtcTotal - discount),
	};
	if (typeof totals.globalDiscountReason === 'string' && totals.globalDiscountReason) {
		montantTotal.motifRemiseGlobaleTTC = totals.globalDiscountReason;
	}
	return { ligneTva, montantTotal };
}

function checkInvoiceNumber(this: IExecuteFunctions, value: string, itemIndex: number): string {
	const invoiceNumber = value.trim();
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

/** An invoice ready to send: every field checked, the buyer's requirements met, nothing sent. */
interface PreparedSubmission {
	body: IDataObject;
	montantTotal: IDataObject;
	pdf?: { property: string; fileName: string; format: string };
	attachments: CheckedAttachment[];
	key: string;
}

async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<PreparedSubmission> {
	const mode = this.getNodeParameter('submitMode', itemIndex) as string;
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
	const recipient = locatorChoice(this.getNodeParameter('recipient', itemIndex), 'siret');
	const serviceCode = textParameter.call(this, 'serviceCode', itemIndex);
	const commitmentNumber = textParameter.call(this, 'commitmentNumber', itemIndex);
	const invoiceNumber = checkInvoiceNumber.call(
		this,
		textParameter.call(this, 'invoiceNumber', itemIndex),
		itemIndex,
	);
	const invoiceDate = parseUserDate(this.getNodeParameter('invoiceDate', itemIndex));
	if (!invoiceDate) {
		throw new NodeOperationError(this.getNode(), 'The invoice date is missing or not a date', {
			itemIndex,
		});
	}
	const invoiceType = this.getNodeParameter('invoiceType', itemIndex) as string;
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const lines = await readLines.call(this, cache, itemIndex);
	if (mode === 'fields' && !lines.length) {
		throw new NodeOperationError(this.getNode(), 'Add at least one invoice line', {
			itemIndex,
			description:
				'An invoice submitted by fields needs its lines; to send a PDF, use the mode "From PDF".',
		});
	}
	const { ligneTva, montantTotal } = amountsOf.call(
		this,
		lines,
		this.getNodeParameter('totals', itemIndex, {}) as IDataObject,
		itemIndex,
	);
	// Everything that can be checked is checked before any upload.
	const { siret } = await checkRecipient.call(
		this,
		cache,
		itemIndex,
		recipient,
		serviceCode,
		commitmentNumber,
	);
	const attachments = await checkAttachments.call(
		this,
		itemIndex,
		(extra.attachmentProperties as string) ?? '',
		(extra.attachmentType as string) ?? '',
	);
	const pdf =
		mode === 'pdf'
			? await readInputFile.call(
					this,
					itemIndex,
					this.getNodeParameter('binaryPropertyName', itemIndex) as string,
					MAX_PDF_BYTES,
					'An invoice PDF',
				)
			: undefined;
	if (pdf && fileKind(pdf.data) !== 'pdf') {
		throw new NodeOperationError(this.getNode(), `The file "${pdf.fileName}" is not a PDF`, {
			itemIndex,
			description:
				'Submit from PDF takes a PDF file; structured XML or Factur-X files go through Deposit File.',
		});
	}

	const references: IDataObject = {
		deviseFacture: (extra.currency as string) || 'EUR',
		typeFacture: invoiceType,
		typeTva: (extra.vatRegime as string) || 'TVA_SUR_DEBIT',
		modePaiement: (extra.paymentMode as string) || 'VIREMENT',
	};
	if (commitmentNumber) references.numeroBonCommande = commitmentNumber;
	if (extra.marketNumber) references.numeroMarche = extra.marketNumber;
	if (extra.vatExemptionReason) references.motifExonerationTva = extra.vatExemptionReason;
	const originalInvoiceNumber =
		invoiceType === 'AVOIR' ? textParameter.call(this, 'originalInvoiceNumber', itemIndex) : '';
	if (originalInvoiceNumber) references.numeroFactureOrigine = originalInvoiceNumber;

	const fournisseur: IDataObject = { idFournisseur: supplier };
	if (Number(extra.supplierServiceId) > 0)
		fournisseur.idServiceFournisseur = Number(extra.supplierServiceId);
	if (extra.bankAccount)
		fournisseur.codeCoordonneesBancairesFournisseur = Number(extra.bankAccount);

	const body: IDataObject = {
		modeDepot: 'SAISIE_API',
		numeroFactureSaisi: invoiceNumber,
		dateFacture: toChorusDate(invoiceDate),
		destinataire: {
			codeDestinataire: siret,
			...(serviceCode ? { codeServiceExecutant: serviceCode } : {}),
		},
		fournisseur,
		cadreDeFacturation: {
			codeCadreFacturation: (extra.invoicingFrame as string) || 'A1_FACTURE_FOURNISSEUR',
		},
		references,
		...(lines.length
			? {
					lignePoste: lines.map((line) => ({
						lignePosteNumero: line.number,
						lignePosteReference: line.reference || String(line.number),
						lignePosteDenomination: line.description,
						lignePosteQuantite: line.quantity,
						lignePosteUnite: line.unit || 'unité',
						lignePosteMontantUnitaireHT: line.unitPrice,
						lignePosteMontantRemiseHT: line.discount,
						...(line.vatCode
							? { lignePosteTauxTva: line.vatCode }
							: { lignePosteTauxTvaManuel: line.vatPercent }),
					})),
					ligneTva,
				}
			: {}),
		montantTotal,
	};
	if (typeof extra.comment === 'string' && extra.comment.trim())
		body.commentaire = extra.comment.trim().slice(0, 2000);

	return {
		body,
		montantTotal,
		pdf: pdf && {
			property: this.getNodeParameter('binaryPropertyName', itemIndex) as string,
			fileName: pdf.fileName.slice(-MAX_FILE_NAME_LENGTH),
			format: this.getNodeParameter('pdfFormat', itemIndex) as string,
		},
		attachments,
		// An invoice number is unique per supplier on Chorus Pro: that is the invoice's identity.
		key: `submit:${supplier}:${invoiceNumber}`,
	};
}

const preparedKey = (itemIndex: number) => `submit:${itemIndex}`;

export async function check(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<void> {
	await cached(
		cache,
		preparedKey(itemIndex),
		async () => await prepare.call(this, itemIndex, cache),
	);
}

/** Uploads the PDF and the attachments, then submits the invoice that references them. */
async function send(
	this: IExecuteFunctions,
	itemIndex: number,
	{ body, pdf, attachments }: PreparedSubmission,
): Promise<IDataObject> {
	const invoice: IDataObject = { ...body };
	let pdfUpload: IDataObject | undefined;
	if (pdf) {
		const data = await this.helpers.getBinaryDataBuffer(itemIndex, pdf.property);
		pdfUpload = withoutEnvelope(
			await chorusRequest.call(
				this,
				SERVICES.depositPdf,
				{ fichierFacture: base64File(data), nomFichier: pdf.fileName, formatDepot: pdf.format },
				{ itemIndex, timeout: 300_000 },
			),
		);
		invoice.modeDepot = pdf.format === 'PDF_NON_SIGNE' ? 'DEPOT_PDF_API' : 'DEPOT_PDF_SIGNE_API';
		invoice.pieceJointePrincipale = [
			{
				pieceJointePrincipaleDesignation: pdf.fileName.replace(/\.pdf$/i, '').slice(0, 100),
				pieceJointePrincipaleId: pdfUpload.pieceJointeId,
			},
		];
	}
	const uploaded = await uploadAttachments.call(this, itemIndex, attachments);
	if (uploaded.length) invoice.pieceJointeComplementaire = uploaded;
	const answer = withoutEnvelope(
		await chorusRequest.call(this, SERVICES.submitInvoice, invoice, { itemIndex }),
	);
	return pdfUpload ? { ...answer, pdfUpload } : answer;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const prepared = await cached(
		cache,
		preparedKey(itemIndex),
		async () => await prepare.call(this, itemIndex, cache),
	);
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
		summary: { ...invoiceSummary(result), amounts: prepared.montantTotal },
	});
}
