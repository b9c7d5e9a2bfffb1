import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { chorusRequestAll } from '../transport/paginate';
import { chorusRequest, withoutEnvelope } from '../transport/request';
import type { ChorusService } from '../transport/services';
import { SERVICES } from '../transport/services';
import { chorusDateToIso } from './dates';
import type { FluxStateSummary, InvoiceStatusSummary } from './statuses';
import { fluxStateSummary, invoiceStatusSummary } from './statuses';

/** A value copied from a Chorus Pro answer as it came (null when it is missing). */
export type ChorusValue = IDataObject[string];

/**
 * The stable `summary` of an invoice in the outputs, whatever service it was read from.
 * (Type aliases, not interfaces: they stay assignable to n8n's IDataObject.)
 */
export type InvoiceSummary = InvoiceStatusSummary & {
	invoiceId: ChorusValue;
	invoiceNumber: ChorusValue;
	statusDate: string | null;
};

/** The `summary` of a deposited file (flux): its state, and the errors Chorus Pro found. */
type DepositSummary = FluxStateSummary & {
	fluxNumber: string;
	stateDate: string | null;
	invoiceErrors: Array<{
		invoiceNumber: ChorusValue;
		supplier: ChorusValue;
		recipient: ChorusValue;
		message: ChorusValue;
	}>;
	technicalErrors: Array<{ code: ChorusValue; message: ChorusValue; nature: ChorusValue }>;
	/** The invoices it created, when they were looked up. */
	invoiceIds?: ChorusValue[];
	invoices?: InvoiceSummary[];
};

export const invoiceIdField: INodeProperties = {
	displayName: 'Invoice ID',
	name: 'invoiceId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 8420532',
	description:
		'Chorus Pro ID of the invoice (summary.invoiceId in the output of Search or Deposit File), not the invoice number',
};

/** Reads a Chorus Pro id (a positive whole number) from a parameter, naming it when it is not one. */
export function readChorusId(
	this: IExecuteFunctions,
	parameter: string,
	label: string,
	itemIndex: number,
): number {
	const raw = this.getNodeParameter(parameter, itemIndex) as unknown;
	const text =
		typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw ?? '').trim();
	const id = Number(text);
	if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(id) || id <= 0) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} must be a Chorus Pro ID (a number), not "${text}"`,
			{
				itemIndex,
				description: `Use the numeric ${label.toLowerCase()} Chorus Pro gives (e.g. from a Search), not a number of your own.`,
			},
		);
	}
	return id;
}

/** The stable summary added to an invoice read from any service. */
export function invoiceSummary(raw: IDataObject): InvoiceSummary {
	const status = raw.statut ?? raw.statutFacture ?? raw.statutCourantCode ?? raw.nouveauStatut;
	return {
		invoiceId: raw.identifiantFactureCPP ?? raw.idFacture ?? null,
		invoiceNumber: raw.numeroFacture ?? null,
		...invoiceStatusSummary(status),
		statusDate: chorusDateToIso(raw.dateHeureEtatCourant) ?? null,
	};
}

export function withInvoiceSummary(raw: IDataObject): IDataObject & { summary: InvoiceSummary } {
	return { ...raw, summary: invoiceSummary(raw) };
}

/**
 * The invoice of an item read with `service` (consulter fournisseur or recipiendaire: both take
 * identifiantFactureCPP, unlike the other recipient services, which take idFacture), with its summary.
 */
export async function getInvoice(
	this: IExecuteFunctions,
	service: ChorusService,
	itemIndex: number,
): Promise<IDataObject & { summary: InvoiceSummary }> {
	const identifiantFactureCPP = readChorusId.call(this, 'invoiceId', 'Invoice ID', itemIndex);
	const answer = await chorusRequest.call(
		this,
		service,
		{ identifiantFactureCPP, codeLangue: 'FR' },
		{ itemIndex },
	);
	const facture = (answer.facture ?? {}) as IDataObject;
	return { ...facture, summary: invoiceSummary({ identifiantFactureCPP, ...facture }) };
}

/** Integration report of a deposited flux, with its errors as arrays and a summary. */
export async function getFluxReport(
	this: IExecuteFunctions,
	fluxNumber: string,
	itemIndex: number,
): Promise<{ report: IDataObject; summary: DepositSummary }> {
	const report = withoutEnvelope(
		await chorusRequest.call(
			this,
			SERVICES.fluxReport,
			{ numeroFluxDepot: fluxNumber },
			{ itemIndex },
		),
	);
	const asArray = (value: unknown): IDataObject[] =>
		Array.isArray(value)
			? (value as IDataObject[])
			: value && typeof value === 'object'
				? [value as IDataObject]
				: [];
	const invoiceErrors = asArray(report.listeErreurDP);
	const technicalErrors = asArray(report.listeErreurTechnique);
	report.listeErreurDP = invoiceErrors;
	report.listeErreurTechnique = technicalErrors;
	return {
		report,
		summary: {
			fluxNumber,
			...fluxStateSummary(report.etatCourantDepotFlux),
			stateDate: chorusDateToIso(report.dateHeureEtatCourantFlux) ?? null,
			invoiceErrors: invoiceErrors.map((error) => ({
				invoiceNumber: error.numeroDP ?? null,
				supplier: error.identifiantFournisseur ?? null,
				recipient: error.identifiantDestinataire ?? null,
				message: error.libelleErreurDP ?? null,
			})),
			technicalErrors: technicalErrors.map((error) => ({
				code: error.codeErreur ?? null,
				message: error.libelleErreur ?? null,
				nature: error.natureErreur ?? null,
			})),
		},
	};
}

/** Invoices created from a flux (found by the supplier search on its number). */
export async function invoicesOfFlux(
	this: IExecuteFunctions,
	fluxNumber: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await chorusRequestAll.call(
		this,
		SERVICES.searchSupplierInvoices,
		{ numeroFluxDepot: fluxNumber },
		{ itemIndex },
	);
}

/** The Get operation of a resource whose invoices `service` reads (sent or received ones). */
export function getInvoiceOperation(resource: string, service: ChorusService) {
	return {
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['get'] } }, [
			invoiceIdField,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			return this.helpers.returnJsonArray(await getInvoice.call(this, service, itemIndex));
		},
	};
}
