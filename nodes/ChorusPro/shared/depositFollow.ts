/**
 * Following a deposited flux: its report read until a final state or the timeout, then the
 * invoices it created (docs/chorus-pro-api.md §3.1, §4.3).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { getFluxReport, invoicesOfFlux, invoiceSummary } from './invoices';

export interface WaitOptions {
	pollInterval: number;
	timeout: number;
}

/**
 * Follows the deposit report until a final state or the timeout, then finds the invoices created.
 * The deposit has succeeded by then: a failure while following it is reported in the output with
 * the flux number, never as an error that would invite sending the file again.
 */
export async function followDeposit(
	this: IExecuteFunctions,
	fluxNumber: string,
	options: WaitOptions,
	itemIndex: number,
): Promise<IDataObject> {
	const deadline = Date.now() + options.timeout * 1000;
	let last: { report: IDataObject; summary: IDataObject } | undefined;
	try {
		for (;;) {
			last = await getFluxReport.call(this, fluxNumber, itemIndex);
			if (last.summary.isFinal === true || Date.now() + options.pollInterval * 1000 > deadline)
				break;
			await sleep(options.pollInterval * 1000);
		}
		const summary: IDataObject = { ...last.summary, timedOut: last.summary.isFinal !== true };
		let invoices: IDataObject[] = [];
		if (last.summary.isSuccess === true) {
			invoices = await invoicesOfFlux.call(this, fluxNumber, itemIndex);
			summary.invoiceIds = invoices.map((invoice) => invoice.identifiantFactureCPP);
			summary.invoices = invoices.map(invoiceSummary);
		} else {
			summary.invoiceIds = [];
			summary.invoices = [];
		}
		return { report: last.report, invoices, summary };
	} catch (error) {
		return {
			report: last?.report ?? null,
			invoices: [],
			summary: {
				...(last?.summary ?? { fluxNumber, state: null, isFinal: false, isSuccess: false }),
				timedOut: false,
				invoiceIds: [],
				invoices: [],
				followError: (error as Error).message,
				hint: `The file was deposited (flux ${fluxNumber}); do not send it again. Read its state later with Deposit > Get Report.`,
			},
		};
	}
}
