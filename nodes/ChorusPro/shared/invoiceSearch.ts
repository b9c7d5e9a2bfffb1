import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChorusService } from '../transport/services';
import { readLimit } from './descriptions';
import { parseUserDate, toChorusDate, toChorusDateTime } from './dates';
import { INVOICE_STATUSES } from './statuses';

/** Status filter options: every known status, by its English label (the value is Chorus Pro's code). */
export const statusOptions: INodePropertyOptions[] = Object.entries(INVOICE_STATUSES)
	.map(([value, info]) => ({ name: info.label, value }))
	.sort((a, b) => a.name.localeCompare(b.name));

const sortColumnOptions: INodePropertyOptions[] = [
	{ name: 'Amount Excl. Tax', value: 'MontantHT' },
	{ name: 'Deposit Date', value: 'DateDepot' },
	{ name: 'Invoice Date', value: 'DateFacture' },
	{ name: 'Invoice Number', value: 'NumeroFacture' },
	{ name: 'Status', value: 'Statut' },
	{ name: 'Status Date', value: 'DateHeureEtatCourant' },
];

/** Filters both invoice searches (issued and received) offer; each adds its own. */
const COMMON_FILTERS: INodeProperties[] = [
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
	{ displayName: 'Invoice Date From', name: 'invoiceDateFrom', type: 'dateTime', default: '' },
	{ displayName: 'Invoice Date To', name: 'invoiceDateTo', type: 'dateTime', default: '' },
	{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '' },
	{
		displayName: 'Market Number',
		name: 'marketNumber',
		type: 'string',
		default: '',
		description: 'Number of the public contract',
	},
	{
		displayName: 'Purchase Order Number',
		name: 'purchaseOrderNumber',
		type: 'string',
		default: '',
		description: 'Commitment or purchase order number given by the buyer',
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
];

/** The Filters collection of an invoice search: the common filters and the search's own, by name. */
export function invoiceFilters(own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [...COMMON_FILTERS, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const invoiceSort: INodeProperties = {
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
};

function dateFilter(
	this: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = parseUserDate(value);
	if (!date) {
		throw new NodeOperationError(
			this.getNode(),
			`"${String(value)}" is not a date (filter "${field}")`,
			{
				itemIndex,
				description:
					'Use the date picker, or a date such as 2024-05-14 or 2024-05-14T08:30:00+02:00.',
			},
		);
	}
	return date;
}

/**
 * Turns the search filters shared by the invoice searches into Chorus request keys. Periods are
 * Paris calendar days (`YYYY-MM-DD`); the "status changed" period is a Paris date-time.
 */
export function invoiceSearchCriteria(
	this: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): IDataObject {
	const body: IDataObject = {};
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
	const copy: Record<string, string> = {
		invoiceNumber: 'numeroFacture',
		purchaseOrderNumber: 'numeroBonCommande',
		marketNumber: 'numeroMarche',
		invoiceType: 'typeFacture',
	};
	for (const [filter, key] of Object.entries(copy)) {
		const value = text(filters[filter]);
		if (value !== undefined && value !== '') body[key] = value;
	}
	const days: Array<[string, string, string]> = [
		['depositedFrom', 'periodeDateDepotDu', 'Deposited From'],
		['depositedTo', 'periodeDateDepotAu', 'Deposited To'],
		['invoiceDateFrom', 'periodeDateFactureDu', 'Invoice Date From'],
		['invoiceDateTo', 'periodeDateFactureAu', 'Invoice Date To'],
	];
	for (const [filter, key, label] of days) {
		const date = dateFilter.call(this, filters[filter], label, itemIndex);
		if (date) body[key] = toChorusDate(date);
	}
	const changedFrom = dateFilter.call(
		this,
		filters.statusChangedFrom,
		'Status Changed From',
		itemIndex,
	);
	if (changedFrom) body.periodeDateHeureEtatCourantDu = toChorusDateTime(changedFrom);
	const changedTo = dateFilter.call(this, filters.statusChangedTo, 'Status Changed To', itemIndex);
	if (changedTo) body.periodeDateHeureEtatCourantAu = toChorusDateTime(changedTo);
	for (const [filter, key] of [
		['amountMin', 'montantTTCMin'],
		['amountMax', 'montantTTCMax'],
	]) {
		const value = filters[filter];
		if (typeof value === 'number') body[key] = value;
	}
	if (Array.isArray(filters.statuses) && filters.statuses.length)
		body.statutCourant = filters.statuses;
	return body;
}

/**
 * What an invoice search item asks: its limit, its filters, and the request body with the common
 * criteria and the sort, in the paging block of `service`.
 */
export function readInvoiceSearch(
	this: IExecuteFunctions,
	itemIndex: number,
	service: ChorusService,
): { limit?: number; filters: IDataObject; body: IDataObject } {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = this.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const body = invoiceSearchCriteria.call(this, filters, itemIndex);
	if (sort.column && service.page) {
		body[service.page.block] = { triColonne: sort.column, triSens: sort.direction ?? 'Descendant' };
	}
	return { limit: readLimit.call(this, itemIndex), filters, body };
}
