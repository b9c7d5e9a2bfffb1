/**
 * Validation as the operations use it: the file's own checks, then, when asked, the checks against
 * Chorus Pro; and the problems of invalid reports worded for an error.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ExecutionCache } from '../cache';
import { checkAgainstChorusPro } from './chorus';
import type { InvoiceReport } from './validate';
import { record, validateFile } from './validate';

export const checkAgainstChorusProField: INodeProperties = {
	displayName: 'Check Against Chorus Pro',
	name: 'checkAgainstChorusPro',
	type: 'boolean',
	default: true,
	description:
		'Whether to also check with Chorus Pro (read-only calls, one per buyer per run): the buyer exists, is active and gets the service code or commitment number it requires, the seller is a structure of your account, the invoice number is not used yet',
};

export interface ValidationReport extends InvoiceReport {
	checkedAgainstChorusPro: boolean;
}

/** One report per invoice of the file (a batch gives one per file). */
export async function validateInvoices(
	this: IExecuteFunctions,
	data: Buffer,
	fileName: string,
	withChorusPro: boolean,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<ValidationReport[]> {
	const reports: ValidationReport[] = [];
	for (const { report, terms } of await validateFile(data, fileName)) {
		if (terms && withChorusPro)
			for (const { rule, hits } of await checkAgainstChorusPro.call(this, terms, cache, itemIndex))
				record(report, rule, hits);
		const { valid, errors, warnings, ...file } = report;
		const checkedAgainstChorusPro = Boolean(terms && withChorusPro);
		reports.push({ valid, errors, warnings, ...file, checkedAgainstChorusPro });
	}
	return reports;
}

/** The errors of the invalid reports, one line each, for an error's description. */
export function problemsOf(reports: InvoiceReport[]): string {
	return reports
		.filter((report) => !report.valid)
		.flatMap((report) =>
			report.errors.map(
				(error) =>
					`${report.file}${report.invoiceNumber ? ` (${report.invoiceNumber})` : ''}: ${error.message} [${error.rule}${error.term ? `, ${error.term}` : ''}] ${error.hint}`,
			),
		)
		.join('\n');
}
