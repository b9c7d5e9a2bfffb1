import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { itemFileBytes } from '../shared/binary';
import type { ExecutionCache } from '../shared/cache';
import { checkNumber } from '../shared/parameters';
import { remindPasswordRenewal } from '../shared/renewal';
import { resources } from './resources';

/** Bytes of input files being checked at once, before the first item is sent. */
const CHECK_BYTES = 32 * 1024 * 1024;

/** The part of an error a user needs in an output item when the workflow continues on failure. */
function errorJson(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		const { codeRetour, libelle, httpStatus } = error.context as IDataObject;
		if (codeRetour !== undefined) json.codeRetour = codeRetour;
		if (libelle !== undefined) json.libelle = libelle;
		if (httpStatus !== undefined) json.httpStatus = httpStatus;
	}
	return json;
}

/** An error as n8n should show it: already worded for the user, with its item index. */
function forItem(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	// Errors made by the transport or the operations are already worded for the user; they only
	// lack the item index when raised deep in a helper. Re-wrapping hands them back as is.
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return new NodeApiError(this.getNode(), error as unknown as JsonObject);
	}
	if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/**
 * Checks every item before the first one is sent, `concurrency` at a time in their order: a check
 * waits on n8n reading the file as much as it computes. Checks read their files into memory: at
 * most CHECK_BYTES of files are being checked at once, and a larger file (or one whose size n8n
 * does not say) is checked alone. Without Continue On Fail no new check starts after a failure,
 * and the first item that failed stops the run, as if they had been checked one after the other;
 * with it, the failures are returned beside what the other items prepared.
 */
async function checkEveryItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	concurrency: number,
	check: (itemIndex: number) => Promise<unknown>,
): Promise<{ prepared: Map<number, unknown>; failures: Map<number, unknown> }> {
	const prepared = new Map<number, unknown>();
	const failures = new Map<number, unknown>();
	let firstFailure: number | undefined;
	let nextCheck = 0;
	let checking = 0;
	let wake = () => {};
	let checkEnded = new Promise<void>((resolve) => (wake = resolve));
	const checker = async () => {
		while (firstFailure === undefined && nextCheck < items.length) {
			const itemIndex = nextCheck++;
			const bytes = itemFileBytes(items[itemIndex]) ?? CHECK_BYTES;
			while (checking > 0 && checking + bytes > CHECK_BYTES) await checkEnded;
			if (firstFailure !== undefined && firstFailure < itemIndex) return;
			checking += bytes;
			try {
				prepared.set(itemIndex, await check(itemIndex));
			} catch (error) {
				failures.set(itemIndex, error);
				if (!this.continueOnFail()) firstFailure = Math.min(firstFailure ?? itemIndex, itemIndex);
			} finally {
				checking -= bytes;
				wake();
				checkEnded = new Promise<void>((resolve) => (wake = resolve));
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, checker));
	if (firstFailure !== undefined)
		throw forItem.call(this, failures.get(firstFailure), firstFailure);
	return { prepared, failures };
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const cache: ExecutionCache = new Map();
	await remindPasswordRenewal.call(this);

	if (!items.length) return [[]];

	// Read once: Resource and Operation take no expression, so every item has the same.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.operations[operationName];
	const unknown = (itemIndex: number) =>
		new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not known`,
			{ itemIndex },
		);

	const concurrency = checkNumber.call(
		this,
		this.getNodeParameter('concurrency', 0, 5),
		{ label: 'Items in Parallel', min: 1, max: 20, integer: true },
		0,
	);

	// Reads prepare nothing and skip the checks.
	const prepare = operation ? operation.prepare : undefined;
	const { prepared, failures } =
		prepare || !operation
			? await checkEveryItem.call(this, items, concurrency, async (itemIndex) => {
					if (!prepare) throw unknown(itemIndex);
					return await prepare.call(this, itemIndex, cache);
				})
			: { prepared: new Map<number, unknown>(), failures: new Map<number, unknown>() };

	const results: INodeExecutionData[][] = new Array(items.length);
	// Once the credential is refused, the items left are not sent: each would be refused the same.
	let refused: unknown;
	// Without Continue On Fail, the first error stops the run: no new item starts after it.
	let stop: { itemIndex: number; error: unknown } | undefined;
	let next = 0;

	const work = async (itemIndex: number) => {
		try {
			if (failures.has(itemIndex)) throw failures.get(itemIndex);
			if (refused) throw refused;
			if (!operation) throw unknown(itemIndex);
			// Handed over, not kept: what an item prepared (a file read, say) goes when it is done.
			const ready = prepared.get(itemIndex);
			prepared.delete(itemIndex);
			const output = await operation.execute.call(this, itemIndex, cache, ready);
			results[itemIndex] = this.helpers.constructExecutionMetaData(output, {
				itemData: { item: itemIndex },
			});
		} catch (error) {
			if (error instanceof NodeApiError && error.context.credentialRefused === true)
				refused = error;
			if (!this.continueOnFail()) {
				if (!stop || itemIndex < stop.itemIndex) stop = { itemIndex, error };
				return;
			}
			results[itemIndex] = this.helpers.constructExecutionMetaData(
				this.helpers.returnJsonArray(errorJson(error as Error)),
				{ itemData: { item: itemIndex } },
			);
		}
	};
	// A few workers take the items in order; each item's output lands at its own index. The first
	// item goes alone: it fetches the token the others share, and a refused credential or a wrong
	// setting shows on it before the other items are sent.
	// Workers start their items one per turn of the event loop (sleep(0)). Started in the same turn,
	// the requests would leave together once every item's set-up (n8n evaluating its parameters,
	// building its request) had run, come back together and stay bunched: each item's CPU time
	// would add to the others' wait instead of overlapping it.
	let turn: Promise<void> = Promise.resolve();
	const worker = async () => {
		while (!stop && next < items.length) {
			if (concurrency > 1) {
				turn = turn.then(async () => await sleep(0));
				await turn;
				if (stop || next >= items.length) break;
			}
			await work(next++);
		}
	};
	await work(next++);
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length - 1) }, worker));
	if (stop) throw forItem.call(this, stop.error, stop.itemIndex);
	const output = results.flat();
	return [output];
}
