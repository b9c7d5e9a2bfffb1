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

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const cache: ExecutionCache = new Map();
	await remindPasswordRenewal.call(this);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operationName = this.getNodeParameter('operation', itemIndex) as string;
		const operation = resources[resource]?.operations[operationName];
		try {
			if (!operation) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operationName}" of resource "${resource}" is not known`,
					{ itemIndex },
				);
			}
			const results = await operation.execute.call(this, itemIndex, cache);
			output.push(
				...this.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }),
			);
		} catch (error) {
			if (this.continueOnFail()) {
				output.push(
					...this.helpers.constructExecutionMetaData(
						this.helpers.returnJsonArray(errorJson(error as Error)),
						{ itemData: { item: itemIndex } },
					),
				);
				continue;
			}
			// Errors made by the transport or the operations are already worded for the user; they
			// only lack the item index when raised deep in a helper. Re-wrapping hands them back as is.
			if (error instanceof NodeApiError) {
				error.context.itemIndex ??= itemIndex;
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [output];
}
