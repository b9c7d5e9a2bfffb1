import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExecutionCache } from '../shared/cache';

/** One operation: its parameters (shown for its resource and operation) and what it does for one item. */
export interface ChorusOperation {
	description: INodeProperties[];
	/**
	 * For writes: checks one item's inputs without sending anything. The router checks every item
	 * first, so a bad item stops the run (or becomes an error item) before any file is sent.
	 */
	check?(this: IExecuteFunctions, itemIndex: number, cache: ExecutionCache): Promise<void>;
	/** Items for input item `itemIndex`; the router pairs them with it. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		cache: ExecutionCache,
	): Promise<INodeExecutionData[]>;
}
