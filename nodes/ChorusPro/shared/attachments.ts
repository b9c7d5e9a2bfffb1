import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chorusRequest } from '../transport/request';
import { SERVICES } from '../transport/services';
import type { FileToSend } from './binary';
import { fileToSend, keepToSend, readInputFile } from './binary';
import type { ExecutionCache } from './cache';
import { ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_NAME_LENGTH, MAX_PDF_BYTES } from './files';

export const attachmentFields: INodeProperties[] = [
	{
		displayName: 'Attachment Binary Fields',
		name: 'attachmentProperties',
		type: 'string',
		default: '',
		placeholder: 'e.g. timesheet, deliveryNote',
		description:
			'Input binary fields to add as supplementary attachments, separated by commas. Each file: at most 10 MB, a name of at most 50 characters.',
	},
	{
		displayName: 'Attachment Type Name or ID',
		name: 'attachmentType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAttachmentTypes' },
		default: '',
		description:
			'Type of the attachments (code from Chorus Pro). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

/** An attachment checked against Chorus Pro's rules, to upload when the item is sent. */
export interface CheckedAttachment {
	file: FileToSend;
	fileName: string;
	mimeType: string;
	extension: string;
	type: string;
}

/** Checks the listed input files (size, name, extension) without sending them. */
export async function checkAttachments(
	this: IExecuteFunctions,
	itemIndex: number,
	cache: ExecutionCache,
	propertyList: string,
	type: string,
): Promise<CheckedAttachment[]> {
	const properties = propertyList
		.split(',')
		.map((property) => property.trim())
		.filter(Boolean);
	if (properties.length && !type) {
		throw new NodeOperationError(this.getNode(), 'Choose the attachment type', {
			itemIndex,
			description: 'Chorus Pro needs a type for each attachment (field "Attachment Type").',
		});
	}
	const checked: CheckedAttachment[] = [];
	for (const property of properties) {
		const file = await readInputFile.call(
			this,
			itemIndex,
			property,
			MAX_PDF_BYTES,
			'An attachment',
			true,
		);
		const extension = (/\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1] ?? '').toUpperCase();
		if (!ATTACHMENT_EXTENSIONS.includes(extension)) {
			throw new NodeOperationError(
				this.getNode(),
				`Chorus Pro does not accept the attachment "${file.fileName}"`,
				{
					itemIndex,
					description: `Accepted extensions: ${ATTACHMENT_EXTENSIONS.join(', ')}.`,
				},
			);
		}
		if (file.fileName.length > MAX_ATTACHMENT_NAME_LENGTH) {
			throw new NodeOperationError(
				this.getNode(),
				`The attachment name "${file.fileName}" is longer than 50 characters`,
				{
					itemIndex,
					description:
						'Chorus Pro limits attachment names to 50 characters, extension included: rename the file.',
				},
			);
		}
		checked.push({
			file: await keepToSend(cache, property, file),
			fileName: file.fileName,
			mimeType: file.mimeType,
			extension,
			type,
		});
	}
	return checked;
}

/** Uploads checked attachments to Chorus Pro (ajouter fichier) and returns their entries. */
export async function uploadAttachments(
	this: IExecuteFunctions,
	itemIndex: number,
	attachments: CheckedAttachment[],
): Promise<IDataObject[]> {
	const entries: IDataObject[] = [];
	for (const attachment of attachments) {
		const answer = await chorusRequest.call(
			this,
			SERVICES.addFile,
			{
				pieceJointeFichier: await fileToSend.call(this, itemIndex, attachment.file),
				pieceJointeNom: attachment.fileName,
				pieceJointeTypeMime: attachment.mimeType,
				pieceJointeExtension: attachment.extension.toLowerCase(),
			},
			{ itemIndex, timeout: 300_000 },
		);
		entries.push({
			pieceJointeComplementaireDesignation: attachment.fileName
				.replace(/\.[^.]+$/, '')
				.slice(0, 100),
			pieceJointeComplementaireType: attachment.type,
			pieceJointeComplementaireId: answer.pieceJointeId,
		});
	}
	return entries;
}
