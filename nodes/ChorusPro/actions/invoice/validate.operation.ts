import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { binaryPropertyField, readInputFile } from '../../shared/binary';
import type { ExecutionCache } from '../../shared/cache';
import { MAX_FLUX_BYTES } from '../../shared/files';
import { checkAgainstChorusProField, validateInvoices } from '../../shared/validation/run';

const properties: INodeProperties[] = [
	binaryPropertyField(
		'Factur-X PDF, UBL or CII XML invoice, or a zip / tar.gz batch of invoices in one of these formats',
	),
	checkAgainstChorusProField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['validate'] } },
	properties,
);

/**
 * Checks an invoice file before it is deposited: one item per invoice with `valid`, its errors and
 * warnings (rule, business term, path in the file, value found, message, hint). Nothing is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
): Promise<INodeExecutionData[]> {
	const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const withChorusPro = this.getNodeParameter('checkAgainstChorusPro', itemIndex, true) as boolean;
	const file = await readInputFile.call(
		this,
		itemIndex,
		property,
		MAX_FLUX_BYTES,
		'A file to check',
	);
	const reports = await validateInvoices.call(
		this,
		file.data,
		file.fileName,
		withChorusPro,
		cache,
		itemIndex,
	);
	return this.helpers.returnJsonArray(reports as unknown as IDataObject[]);
}
