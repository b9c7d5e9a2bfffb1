import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { cached } from '../../shared/cache';
import { returnAllOrLimit } from '../../shared/descriptions';
import {
	invoiceSearchCriteria,
	sortColumnOptions,
	statusOptions,
} from '../../shared/invoiceSearch';
import { withInvoiceSummary } from '../../shared/invoices';
import { findStructuresBySiret } from '../../shared/structures';
import { chorusRequestAll } from '../../transport/paginate';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Amount Incl. Tax Max', name: 'amountMax', type: 'number', default: 0 },
			{ displayName: 'Amount Incl. Tax Min', name: 'amountMin', type: 'number', default: 0 },
			{
				displayName: 'Deposited From',
				name: 'depositedFrom',
				type: 'dateTime',
				default: '',
				description: 'First day of deposit (Paris time)',
			},
			{
				displayName: 'Deposited To',
				name: 'depositedTo',
				type: 'dateTime',
				default: '',
				description: 'Last day of deposit, included',
			},
			{
				displayName: 'Flux Number',
				name: 'fluxNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. CPP0011117000000000000042',
				description: 'Invoices created by this deposit (numéro de flux)',
			},
			{ displayName: 'Invoice Date From', name: 'invoiceDateFrom', type: 'dateTime', default: '' },
			{ displayName: 'Invoice Date To', name: 'invoiceDateTo', type: 'dateTime', default: '' },
			{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '' },
			{
				displayName: 'Invoice Type',
				name: 'invoiceType',
				type: 'options',
				default: 'FACTURE',
				options: [
					{ name: 'Invoice', value: 'FACTURE' },
					{ name: 'Credit Note', value: 'AVOIR' },
				],
			},
			{
				displayName: 'Market Number',
				name: 'marketNumber',
				type: 'string',
				default: '',
				description: 'Public contract number (numéro de marché)',
			},
			{
				displayName: 'Purchase Order Number',
				name: 'purchaseOrderNumber',
				type: 'string',
				default: '',
				description: 'Commitment number (engagement juridique, EJ) or purchase order',
			},
			{
				displayName: 'Recipient SIRET',
				name: 'recipientSiret',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12345678200028',
				description: 'Only invoices sent to this public buyer',
			},
			{
				displayName: 'Status Changed From',
				name: 'statusChangedFrom',
				type: 'dateTime',
				default: '',
				description: 'Only invoices whose status changed at or after this moment',
			},
			{
				displayName: 'Status Changed To',
				name: 'statusChangedTo',
				type: 'dateTime',
				default: '',
				description: 'Only invoices whose status changed at or before this moment',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: statusOptions,
				description: 'Current status among these',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'column',
				type: 'options',
				default: 'DateDepot',
				options: sortColumnOptions,
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				default: 'Descendant',
				options: [
					{ name: 'Ascending', value: 'Ascendant' },
					{ name: 'Descending', value: 'Descendant' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['search'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = this.getNodeParameter('sort', itemIndex, {}) as IDataObject;

	const body = invoiceSearchCriteria.call(this, filters, itemIndex);
	const fluxNumber = typeof filters.fluxNumber === 'string' ? filters.fluxNumber.trim() : '';
	if (fluxNumber) body.numeroFluxDepot = fluxNumber;
	const siret = typeof filters.recipientSiret === 'string' ? filters.recipientSiret.trim() : '';
	if (siret) {
		const structures = await cached(
			cache,
			`structure:${siret}`,
			async () => await findStructuresBySiret.call(this, siret, itemIndex),
		);
		// An unknown buyer has no invoice: the answer is empty, as the search would be.
		if (!structures.length) return [];
		body.listeDestinataire = structures.map((structure) => ({
			idDestinataire: structure.idStructureCPP,
		}));
	}
	if (sort.column) {
		body.rechercheFactureParFournisseur = {
			triColonne: sort.column,
			triSens: sort.direction ?? 'Descendant',
		};
	}
	const invoices = await chorusRequestAll.call(this, SERVICES.searchSupplierInvoices, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(invoices.map(withInvoiceSummary));
}
