import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ExecutionCache } from '../shared/cache';
import { remindPasswordRenewal } from '../shared/renewal';
import { resources } from './resources';

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

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const cache: ExecutionCache = new Map();
	await remindPasswordRenewal.call(this);

	const operations = items.map((_, itemIndex) => {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operationName = this.getNodeParameter('operation', itemIndex) as string;
		const operation = resources[resource]?.operations[operationName];
		if (operation) return operation;
		return new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not known`,
			{ itemIndex },
		);
	});

	// Every item is checked before the first one is sent.
	const failures = new Map<number, unknown>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const operation = operations[itemIndex];
		try {
			if (operation instanceof Error) throw operation;
			await operation.check?.call(this, itemIndex, cache);
		} catch (error) {
			if (!this.continueOnFail()) throw forItem.call(this, error, itemIndex);
			failures.set(itemIndex, error);
		}
	}

	const output: INodeExecutionData[] = [];
	// Once the credential is refused, the items left are not sent: each would be refused the same.
	let refused: unknown;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const operation = operations[itemIndex];
		try {
			if (failures.has(itemIndex)) throw failures.get(itemIndex);
			if (refused) throw refused;
			if (operation instanceof Error) throw operation;
			const results = await operation.execute.call(this, itemIndex, cache);
			output.push(
				...this.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }),
			);
		} catch (error) {
			if (error instanceof NodeApiError && error.context.credentialRefused === true)
				refused = error;
			if (!this.continueOnFail()) throw forItem.call(this, error, itemIndex);
			output.push(
				...this.helpers.constructExecutionMetaData(
					this.helpers.returnJsonArray(errorJson(error as Error)),
					{ itemData: { item: itemIndex } },
				),
			);
		}
	}
	return [output];
}
