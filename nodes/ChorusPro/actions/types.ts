import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExecutionCache } from '../shared/cache';

/** One operation: its parameters (shown for its resource and operation) and what it does for one item. */
export interface ChorusOperation {
	description: INodeProperties[];
	/** Items for input item `itemIndex`; the router pairs them with it. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		cache: ExecutionCache,
	): Promise<INodeExecutionData[]>;
}
