/**
 * What Deposit File checks on a file before sending it: its name, its syntax, and (Validate Before
 * Sending) the invoices in it.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputFile } from './binary';
import type { ExecutionCache } from './cache';
import { detectSyntax, expectedExtensions, fileKind, MAX_FILE_NAME_LENGTH } from './files';
import type { ValidationReport } from './validation/run';
import { problemsOf, validateInvoices } from './validation/run';

/** Checks the file name Chorus Pro will record: length and an extension that matches the content. */
export function checkFileName(
	this: IExecuteFunctions,
	file: InputFile,
	name: string,
	itemIndex: number,
): string {
	const fileName = name.trim();
	if (!fileName) {
		throw new NodeOperationError(this.getNode(), 'The file has no name', {
			itemIndex,
			description: 'Set "File Name" in the options, e.g. invoice-2024-001.xml.',
		});
	}
	if (fileName.length > MAX_FILE_NAME_LENGTH) {
		throw new NodeOperationError(
			this.getNode(),
			`The file name is longer than ${MAX_FILE_NAME_LENGTH} characters`,
			{
				itemIndex,
				description:
					'Chorus Pro keeps at most 200 characters of a file name: set a shorter "File Name" in the options.',
			},
		);
	}
	const extensions = expectedExtensions(fileKind(file.data));
	if (
		extensions.length &&
		!extensions.some((extension) => fileName.toLowerCase().endsWith(extension))
	) {
		throw new NodeOperationError(
			this.getNode(),
			`The file name "${fileName}" does not match its content (expected ${extensions.join(' or ')})`,
			{
				itemIndex,
				description:
					'Chorus Pro reads the file by its name too: rename it, or set "File Name" in the options.',
			},
		);
	}
	return fileName;
}

/** The syntax chosen, or detected from the content; what detection found goes to the summary. */
export async function chooseSyntax(
	this: IExecuteFunctions,
	file: InputFile,
	chosen: string,
	itemIndex: number,
): Promise<{ syntax: string; found: IDataObject }> {
	if (chosen !== 'auto') return { syntax: chosen, found: {} };
	const detected = await detectSyntax(file.data);
	if (detected.syntax) {
		const { facturX, invoiceFiles, profiles } = detected;
		return {
			syntax: detected.syntax,
			found: detected.isBatch ? { batch: { invoiceFiles, profiles } } : facturX ? { facturX } : {},
		};
	}
	throw new NodeOperationError(
		this.getNode(),
		`The format of "${file.fileName}" could not be detected: ${detected.reason ?? 'unknown content'}`,
		{ itemIndex, description: 'Choose the format in "Format" if the file is right.' },
	);
}

export const validationFields: INodeProperties[] = [
	{
		displayName: 'Validate Before Sending',
		name: 'validateBeforeSending',
		type: 'boolean',
		default: true,
		description:
			'Whether to check the invoices in the file first (XML, mandatory terms, identifiers, totals, dates, as Invoice > Validate File does) and send nothing when one is not valid',
	},
	{
		displayName: 'Check Against Chorus Pro',
		name: 'checkAgainstChorusPro',
		type: 'boolean',
		default: false,
		description:
			'Whether the check also asks Chorus Pro (read-only calls, one per buyer per run, and an invoice search per invoice) whether the buyer exists and gets what it requires, the seller is a structure of your account and the invoice number is new',
		displayOptions: { show: { validateBeforeSending: [true] } },
	},
];

/** The syntaxes whose files this node reads; files deposited as another syntax are not checked. */
const VALIDATED_SYNTAXES = ['IN_DP_E1_UBL_INVOICE', 'IN_DP_E1_CII_16B', 'IN_DP_E2_CII_FACTURX'];

/** What stands for an item whose file is not valid, under Continue On Fail: the problems as data. */
export interface InvalidFile {
	error: string;
	description: string;
	validation: ValidationReport[];
}

/**
 * Validate Before Sending: the invoices of the file, checked as Validate File does. An invalid file
 * fails the item (before anything of the run is sent) or, under Continue On Fail, is returned as
 * an error item holding the reports.
 */
export async function validateBeforeSending(
	this: IExecuteFunctions,
	file: InputFile,
	fileName: string,
	syntax: string,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<InvalidFile | undefined> {
	if (!this.getNodeParameter('validateBeforeSending', itemIndex, true)) return undefined;
	if (!VALIDATED_SYNTAXES.includes(syntax)) return undefined;
	const withChorusPro = this.getNodeParameter('checkAgainstChorusPro', itemIndex, false) as boolean;
	const reports = await validateInvoices.call(
		this,
		file.data,
		fileName,
		withChorusPro,
		cache,
		itemIndex,
	);
	const invalid = reports.filter((report) => !report.valid);
	if (!invalid.length) return undefined;
	const count = invalid.reduce((sum, report) => sum + report.errors.length, 0);
	const error = new NodeOperationError(
		this.getNode(),
		`"${fileName}" was not sent: ${count} ${count === 1 ? 'problem' : 'problems'} found in ${invalid.length === 1 ? 'the invoice' : `${invalid.length} invoices`}`,
		{
			itemIndex,
			description: `${problemsOf(invalid)}\nNothing was sent. Fix the file and run again, or turn off "Validate Before Sending".`,
		},
	);
	if (!this.continueOnFail()) throw error;
	return { error: error.message, description: error.description ?? '', validation: reports };
}
