import type { INodeProperties } from 'n8n-workflow';

import { attachmentFields } from '../../../shared/attachments';
import { binaryPropertyField } from '../../../shared/binary';
import { invoiceTypeOptions, ownStructureLocator } from '../../../shared/descriptions';
import { recipientLocator, serviceCodeField } from '../../../shared/recipients';
import { sendAgainOption } from '../../../shared/sentOnce';

/** The parameters of Invoice > Submit (shown by submit.operation.ts for its resource and operation). */
export const properties: INodeProperties[] = [
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
