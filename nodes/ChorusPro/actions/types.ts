import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { ExecutionCache } from '../shared/cache';

/** One operation: its parameters (shown for its resource and operation) and what it does for one item. */
export interface ChorusOperation {
	description: INodeProperties[];
	/**
	 * For writes: reads and checks one item's inputs without sending anything. The router prepares
	 * every item first, so a bad item stops the run (or becomes an error item) before any file is
	 * sent, and hands what was prepared to `execute`.
	 */
	prepare?(this: IExecuteFunctions, itemIndex: number, cache: ExecutionCache): Promise<unknown>;
	/** Items for input item `itemIndex` (given what `prepare` returned); the router pairs them with it. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		cache: ExecutionCache,
		prepared?: unknown,
	): Promise<INodeExecutionData[]>;
}

/** A resource: its operations by the values of its Operation dropdown, and its parameters. */
export interface ChorusResource {
	operations: Record<string, ChorusOperation>;
	description: INodeProperties[];
}

/**
 * An options parameter whose values the compiler checks: an option or a default that is not one of
 * `Values` does not compile. Each resource's Operation dropdown is one, with the names of its
 * operations as `Values`, so a dropdown entry cannot lack its operation. The parameter stays an
 * object literal at the call, so n8n's lint rules still read it.
 */
export function dropdown<Values extends string>(
	property: INodeProperties & {
		options: Array<INodePropertyOptions & { value: Values }>;
		default: Values;
	},
): INodeProperties {
	return property;
}
