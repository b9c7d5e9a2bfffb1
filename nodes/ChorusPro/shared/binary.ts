import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExecutionCache } from './cache';
import { cached } from './cache';
import { base64File, roomForBase64 } from '../transport/body';

/** A file's bytes, and the buffer its request body is made in when it was read into one. */
interface SendableBytes {
	data: Buffer;
	room?: Buffer;
}

export interface InputFile extends SendableBytes {
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
 * A file's exact size when it is known without a read: what the base64 of a file kept in memory
 * decodes to, else `bytes` (n8n 2).
 */
function exactBytes(binary: IBinaryData): number | undefined {
	if (!binary.id && binary.data) return Buffer.byteLength(binary.data, 'base64');
	return typeof binary.bytes === 'number' ? binary.bytes : undefined;
}

/** Units of the sizes n8n 1.x shows for stored files ("1.5 MB", decimal units). */
const SHOWN_UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/**
 * About how many bytes an item's files weigh, from what n8n says of them without reading them:
 * `bytes` (n8n 2), the size shown for a stored file (n8n 1), or the base64 of a file kept in
 * memory. Undefined when one of them does not say.
 */
export function itemFileBytes(item: INodeExecutionData): number | undefined {
	let total = 0;
	for (const binary of Object.values(item.binary ?? {})) {
		const shown = /^([\d.]+) (B|kB|MB|GB)$/.exec(binary.fileSize ?? '');
		const bytes =
			exactBytes(binary) ?? (shown ? Number(shown[1]) * SHOWN_UNITS[shown[2]] : undefined);
		if (bytes === undefined || !Number.isFinite(bytes)) return undefined;
		total += bytes;
	}
	return total;
}

/**
 * Files from this size on are read into the room their request body is made in; below it, a
 * second copy costs nothing worth the store's extra reads (metadata, a stream).
 */
const ROOM_FROM_BYTES = 1024 * 1024;

/**
 * The bytes of a binary field read straight into a room for their base64 (see `roomForBase64`):
 * from n8n's binary data store in chunks, or decoded from the item when n8n keeps files in
 * memory, so that the file is not also held whole beside its request body. Undefined for a small
 * file, or when the size is not known beforehand or the bytes read do not match it (then the file
 * is read as a whole).
 */
async function readIntoRoom(
	this: IExecuteFunctions,
	binary: IBinaryData,
): Promise<{ room: Buffer; data: Buffer } | undefined> {
	if (!binary.id && !binary.data) return undefined;
	// Without an id the file is in memory, and exactBytes knows its size.
	const size =
		exactBytes(binary) ?? (await this.helpers.getBinaryMetadata(binary.id as string)).fileSize;
	if (!Number.isInteger(size) || size < ROOM_FROM_BYTES) return undefined;
	const made = roomForBase64(size);
	if (!binary.id) return made.data.write(binary.data, 'base64') === size ? made : undefined;
	let at = 0;
	for await (const chunk of await this.helpers.getBinaryStream(binary.id)) {
		const bytes = chunk as Buffer;
		if (at + bytes.length > size) return undefined;
		made.data.set(bytes, at);
		at += bytes.length;
	}
	return at === size ? made : undefined;
}

/**
 * A binary field's bytes: with `toSend`, read into the room their request body will be made in
 * when that is possible, else as n8n hands them over.
 */
async function readBytes(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	binary: IBinaryData,
	toSend: boolean,
): Promise<SendableBytes> {
	return (
		(toSend ? await readIntoRoom.call(this, binary) : undefined) ?? {
			data: await this.helpers.getBinaryDataBuffer(itemIndex, property),
		}
	);
}

/**
 * Reads an input file, refusing it before loading when its size is over `maxBytes`
 * (Chorus Pro would answer 413 after a long upload). With `toSend`, into the room its request
 * body will be made in.
 */
export async function readInputFile(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	maxBytes: number,
	what: string,
	toSend = false,
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
	const { data, room } = await readBytes.call(this, itemIndex, property, binary, toSend);
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
		room,
		fileName:
			binary.fileName ?? `${property}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
		mimeType: binary.mimeType,
	};
}

/**
 * How many bytes a run may hold of checked files waiting to be sent. A file within it is read
 * once; past it, it is read again when its item is sent, so that a run of many large files does
 * not hold them all from the checks (every item's, before the first is sent) to the sends.
 */
const KEPT_BYTES_PER_RUN = 32 * 1024 * 1024;

/** What a kept file counts against the run's budget: its room when it has one. */
const heldBytes = ({ data, room }: SendableBytes) => room?.length ?? data.length;

/** A checked file to send when its item's turn comes: its binary field, and its bytes if kept. */
export interface FileToSend {
	property: string;
	kept?: SendableBytes;
	/** The run's count of bytes held, which the file leaves when it is taken. */
	heldIn?: { bytes: number };
}

/** A file just checked, kept to be sent while the run's budget allows (read again otherwise). */
export async function keepToSend(
	cache: ExecutionCache,
	property: string,
	{ data, room }: InputFile,
): Promise<FileToSend> {
	const held = await cached(cache, 'bytes of checked files held', async () => ({ bytes: 0 }));
	const bytes = heldBytes({ data, room });
	if (held.bytes + bytes > KEPT_BYTES_PER_RUN) return { property };
	held.bytes += bytes;
	return { property, kept: { data, room }, heldIn: held };
}

/**
 * A checked file as a request body value (its base64), handed over once: the item does not hold
 * the file while it goes on (a deposit followed for minutes, say); a second send reads it again.
 */
export async function fileToSend(
	this: IExecuteFunctions,
	itemIndex: number,
	file: FileToSend,
): Promise<string> {
	const { kept, heldIn, property } = file;
	file.kept = undefined;
	if (kept && heldIn) heldIn.bytes -= heldBytes(kept);
	const { data, room } =
		kept ??
		(await readBytes.call(
			this,
			itemIndex,
			property,
			this.helpers.assertBinaryData(itemIndex, property),
			true,
		));
	return base64File(data, room);
}
