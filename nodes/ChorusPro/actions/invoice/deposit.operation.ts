import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { FileToSend } from '../../shared/binary';
import { binaryPropertyField, keepToSend, readInputFile, fileToSend } from '../../shared/binary';
import type { ExecutionCache } from '../../shared/cache';
import type { InvalidFile } from '../../shared/depositFile';
import {
	checkFileName,
	chooseSyntax,
	validateBeforeSending,
	validationFields,
} from '../../shared/depositFile';
import type { WaitOptions } from '../../shared/depositFollow';
import { followDeposit } from '../../shared/depositFollow';
import { FLUX_SYNTAXES, MAX_FLUX_BYTES } from '../../shared/files';
import type { NumberRule } from '../../shared/parameters';
import { checkNumber } from '../../shared/parameters';
import { contentKey, sendAgainOption, sendOnce, wasSent } from '../../shared/sentOnce';
import { chorusRequest, withoutEnvelope } from '../../transport/request';
import { SERVICES } from '../../transport/services';

const properties: INodeProperties[] = [
	binaryPropertyField(
		'Factur-X PDF, UBL or CII XML invoice, or a zip / tar.gz batch of invoices in one of these formats',
	),
	{
		displayName: 'Format',
		name: 'syntax',
		type: 'options',
		default: 'auto',
		description: 'Format of the invoices in the file',
		options: [
			{
				name: 'Detect From Content',
				value: 'auto',
				description:
					'Factur-X PDF, UBL Invoice or Credit Note, CII; batches: the format of their files',
			},
			...FLUX_SYNTAXES,
		],
	},
	...validationFields,
	{
		displayName: 'Wait for Processing',
		name: 'waitForProcessing',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until Chorus Pro has processed the file, then return its final state, the errors per invoice and the IDs of the invoices created',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Error on Rejection',
				name: 'errorOnRejection',
				type: 'boolean',
				default: false,
				description:
					'Whether a file rejected by Chorus Pro (wholly or in part) fails the item instead of being returned with its errors',
				displayOptions: { show: { '/waitForProcessing': [true] } },
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name the file gets on Chorus Pro; by default the name of the binary file',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 15,
				description: 'Time between two reads of the deposit report',
				displayOptions: { show: { '/waitForProcessing': [true] } },
			},
			sendAgainOption,
			{
				displayName: 'Signed File',
				name: 'signed',
				type: 'boolean',
				default: false,
				description: 'Whether the file carries an electronic signature',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description:
					'How long to wait for a final state; after it the item is returned with the last state seen and the flux number, to check later with Deposit > Get Report',
				displayOptions: { show: { '/waitForProcessing': [true] } },
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['deposit'] } },
	properties,
);

/** What an item will send, checked before anything is sent. */
interface PreparedDeposit {
	file: FileToSend;
	fileName: string;
	syntaxeFlux: string;
	found: IDataObject;
	key: string;
	/** Set when the deposit is followed until Chorus Pro has processed it. */
	wait?: WaitOptions & { errorOnRejection: boolean };
	/** Validate Before Sending found problems, and the run continues on failure. */
	invalid?: InvalidFile;
}

const POLL_INTERVAL: NumberRule = { label: 'Poll Interval (Seconds)', min: 1, max: 3600 };
const TIMEOUT: NumberRule = { label: 'Timeout (Seconds)', min: 1, max: 24 * 3600 };

export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<PreparedDeposit> {
	const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const chosenSyntax = this.getNodeParameter('syntax', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = this.getNodeParameter('waitForProcessing', itemIndex) as boolean;
	const file = await readInputFile.call(
		this,
		itemIndex,
		property,
		MAX_FLUX_BYTES,
		'A deposited file',
		true,
	);
	const fileName = checkFileName.call(
		this,
		file,
		(options.fileName as string) || file.fileName,
		itemIndex,
	);
	const { syntax, found } = await chooseSyntax.call(this, file, chosenSyntax, itemIndex);
	const key = contentKey('deposit', file.data);
	// A file an earlier try deposited is not checked again: sendOnce returns that deposit (an
	// invoice search would now find its number used).
	const invalid =
		wasSent.call(this, key) && options.sendAgain !== true
			? undefined
			: await validateBeforeSending.call(this, file, fileName, syntax, cache, itemIndex);
	return {
		file: invalid ? { property } : await keepToSend(cache, property, file),
		fileName,
		syntaxeFlux: syntax,
		found,
		key,
		invalid,
		wait: wait
			? {
					pollInterval: checkNumber.call(
						this,
						options.pollInterval ?? 15,
						POLL_INTERVAL,
						itemIndex,
					),
					timeout: checkNumber.call(this, options.timeout ?? 600, TIMEOUT, itemIndex),
					errorOnRejection: options.errorOnRejection === true,
				}
			: undefined,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_cache: ExecutionCache,
	prepared: PreparedDeposit,
): Promise<INodeExecutionData[]> {
	const { file, fileName, syntaxeFlux, found, key, wait, invalid } = prepared;
	// Continue On Fail: the problems come out as the item's data; nothing is sent.
	if (invalid) return this.helpers.returnJsonArray(invalid as unknown as IDataObject);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const { result: deposit, alreadySent } = await sendOnce.call(
		this,
		key,
		options.sendAgain === true,
		itemIndex,
		async () => {
			return withoutEnvelope(
				await chorusRequest.call(
					this,
					SERVICES.depositFlux,
					{
						fichierFlux: await fileToSend.call(this, itemIndex, file),
						nomFichier: fileName,
						syntaxeFlux,
						avecSignature: options.signed === true,
					},
					{ itemIndex, timeout: 300_000 },
				),
			);
		},
	);
	const fluxNumber = String(deposit.numeroFluxDepot);
	const result: IDataObject = {
		...deposit,
		nomFichier: fileName,
		...(alreadySent ? { alreadySent: true, alreadySentAt: alreadySent } : {}),
	};
	if (!wait) {
		result.summary = {
			fluxNumber,
			depositDate: deposit.dateDepot ?? null,
			syntax: syntaxeFlux,
			...found,
		};
		return this.helpers.returnJsonArray(result);
	}

	const followed = await followDeposit.call(this, fluxNumber, wait, itemIndex);
	const summary = followed.summary as IDataObject;
	const rejected =
		summary.isFinal === true &&
		(summary.isSuccess !== true || (summary.invoiceErrors as IDataObject[]).length > 0);
	if (wait.errorOnRejection && rejected) {
		const messages = [
			...(summary.invoiceErrors as IDataObject[]).map(
				(error) => `${String(error.invoiceNumber)}: ${String(error.message)}`,
			),
			...(summary.technicalErrors as IDataObject[]).map(
				(error) => `${String(error.code)}: ${String(error.message)}`,
			),
		];
		throw new NodeOperationError(
			this.getNode(),
			`Chorus Pro ${summary.isSuccess === true ? 'partly rejected' : 'rejected'} flux ${fluxNumber} (${String(summary.state)})`,
			{
				itemIndex,
				description: `${messages.join('\n') || 'No detail given.'}\nFix the invoices named above and deposit them again.`,
			},
		);
	}
	return this.helpers.returnJsonArray({
		...result,
		...followed,
		summary: { ...summary, depositDate: deposit.dateDepot ?? null, syntax: syntaxeFlux, ...found },
	});
}
