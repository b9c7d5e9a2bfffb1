import type { IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface InputFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export function binaryPropertyField(
	description: string,
	name = 'binaryPropertyName',
): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name,
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file',
		description,
	};
}

export const outputBinaryField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'outputBinaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

function megabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Reads an input file, refusing it before loading when its size is over `maxBytes`
 * (Chorus Pro would answer 413 after a long upload).
 */
export async function readInputFile(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	maxBytes: number,
	what: string,
): Promise<InputFile> {
	const binary: IBinaryData = this.helpers.assertBinaryData(itemIndex, property);
	const tooLarge = (bytes: number) =>
		new NodeOperationError(
			this.getNode(),
			`The file "${binary.fileName ?? property}" is too large for Chorus Pro`,
			{
				itemIndex,
				description: `${what} may weigh at most ${megabytes(maxBytes)}; this one weighs ${megabytes(bytes)}. Split or compress it.`,
			},
		);
	if (typeof binary.bytes === 'number' && binary.bytes > maxBytes) throw tooLarge(binary.bytes);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length > maxBytes) throw tooLarge(data.length);
	if (data.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`The file in the binary field "${property}" is empty`,
			{
				itemIndex,
			},
		);
	}
	return {
		data,
		fileName:
			binary.fileName ?? `${property}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
		mimeType: binary.mimeType,
	};
}
