import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A text parameter, trimmed. An expression may resolve to undefined, null or a number (an empty
 * spreadsheet cell, a numeric id): all read as text, empty when there is nothing.
 */
export function textParameter(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}
