import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A text parameter, trimmed. An expression may resolve to undefined, null or a number (an empty
 * spreadsheet cell, a numeric id): all read as text, empty when there is nothing.
 */
export function textParameter(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

export interface NumberRule {
	/** The field's name as the user sees it. */
	label: string;
	min: number;
	max: number;
	integer?: boolean;
}

/**
 * A numeric setting, checked whatever gave it: the editor enforces its bounds, an expression does
 * not, and a 0, a negative number or a text there would turn a wait loop into a request storm.
 */
export function checkNumber(
	this: { getNode(): INode },
	value: unknown,
	rule: NumberRule,
	itemIndex?: number,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const valid =
		typeof number === 'number' &&
		Number.isFinite(number) &&
		number >= rule.min &&
		number <= rule.max &&
		(!rule.integer || Number.isInteger(number));
	if (valid) return number;
	const shown =
		typeof value === 'string'
			? `"${value}"`
			: typeof value === 'object' && value !== null
				? JSON.stringify(value)
				: String(value);
	throw new NodeOperationError(
		this.getNode(),
		`"${rule.label}" must be a number from ${rule.min} to ${rule.max}, not ${shown}`,
		{
			itemIndex,
			description: `Set "${rule.label}" to ${rule.integer ? 'a whole number' : 'a number'} between ${rule.min} and ${rule.max}${typeof value === 'string' || typeof value === 'object' ? '; if it comes from an expression, check what the expression returns' : ''}.`,
		},
	);
}

/** A number parameter of the node, checked with `rule`. */
export function numberParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	rule: NumberRule,
): number {
	return checkNumber.call(this, this.getNodeParameter(name, itemIndex), rule, itemIndex);
}
