import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ExecutionCache } from '../../shared/cache';
import { invoiceTypeOptions, returnAllOrLimit } from '../../shared/descriptions';
import { invoiceFilters, invoiceSort, readInvoiceSearch } from '../../shared/invoiceSearch';
import { withInvoiceSummary } from '../../shared/invoices';
import { findStructuresBySiret, siretOf } from '../../shared/structures';
import { chorusRequestAll } from '../../transport/paginate';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	invoiceFilters([
		{
			displayName: 'Flux Number',
			name: 'fluxNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. CPP0011117000000000000042',
			description: 'Only the invoices created by this deposit',
		},
		{
			displayName: 'Invoice Type',
			name: 'invoiceType',
			type: 'options',
			default: 'FACTURE',
			options: invoiceTypeOptions,
		},
		{
			displayName: 'Recipient SIRET',
			name: 'recipientSiret',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12345678200028',
			description: 'Only invoices sent to this public buyer',
		},
	]),
	invoiceSort,
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
	const { limit, filters, body } = readInvoiceSearch.call(
		this,
		itemIndex,
		SERVICES.searchSupplierInvoices,
	);
	const fluxNumber = typeof filters.fluxNumber === 'string' ? filters.fluxNumber.trim() : '';
	if (fluxNumber) body.numeroFluxDepot = fluxNumber;
	const siretText = String(filters.recipientSiret ?? '').trim();
	if (siretText) {
		const siret = siretOf(siretText);
		if (!siret)
			throw new NodeOperationError(
				this.getNode(),
				`The recipient SIRET "${siretText}" is not valid`,
				{
					itemIndex,
					description: 'A SIRET has 14 digits (spaces and dots between them are ignored).',
				},
			);
		const structures = await findStructuresBySiret.call(this, cache, siret, itemIndex);
		// An unknown buyer has no invoice: the answer is empty, as the search would be.
		if (!structures.length) return [];
		body.listeDestinataire = structures.map((structure) => ({
			idDestinataire: structure.idStructureCPP,
		}));
	}
	const invoices = await chorusRequestAll.call(this, SERVICES.searchSupplierInvoices, body, {
		itemIndex,
		limit,
	});
	return this.helpers.returnJsonArray(invoices.map(withInvoiceSummary));
}
